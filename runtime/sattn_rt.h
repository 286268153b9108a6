/* libsattn_rt: the sattn runtime. No MLIR inside.
 *
 * It validates the tensors a kernel is called with (DLPack DLTensor: data,
 * device, dtype, shape, strides), reports every problem as a status code
 * plus a message that names the argument, and runs work items on a thread
 * pool. It never aborts the host process.
 *
 * Tensors are [batch, heads, seq, dim]: q and out [B, Hq, Lq, D], k and v
 * [B, Hkv, Lk, D] with Hq a multiple of Hkv (GQA/MQA); lse, when present,
 * [B, Hq, Lq] float32. Strides are in elements, non-negative, and not zero
 * on a dimension of out or lse longer than 1 (rows would overwrite each
 * other); NULL strides mean compact row-major. The kernels read and write
 * the head dimension with stride 1: tensors with another innermost stride
 * run on compact copies (out is copied back), at the cost of the copy. Outputs whose strides make
 * distinct elements overlap are the caller's error (not detected). Data
 * (plus byte_offset) must be aligned to the element size. A pool runs one
 * call at a time: a second concurrent call on the same pool is refused. */
#ifndef SATTN_RT_H
#define SATTN_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dlpack/dlpack.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sattn_status {
  SATTN_OK = 0,
  SATTN_ERR_NULL,        /* a required pointer is NULL */
  SATTN_ERR_SHAPE,       /* rank or sizes do not fit together */
  SATTN_ERR_DTYPE,       /* element type differs from the kernel's */
  SATTN_ERR_DEVICE,      /* tensor not on the device the kernel runs on */
  SATTN_ERR_STRIDE,      /* strides that alias output rows or overflow */
  SATTN_ERR_ARGUMENT,    /* another bad argument (scale, threads, ...) */
  SATTN_ERR_NO_MEMORY,
  SATTN_ERR_SYSTEM,      /* thread creation and the like */
} sattn_status;

/* "SATTN_OK", "SATTN_ERR_SHAPE", ... */
const char *sattn_status_name(sattn_status s);

/* An error: status and message; a NULL sattn_error * is allowed everywhere
 * (the message is then dropped). */
typedef struct sattn_error {
  sattn_status status;
  char message[256];
} sattn_error;

typedef enum sattn_dtype { SATTN_F32, SATTN_F16, SATTN_BF16 } sattn_dtype;

/* "f32", "f16", "bf16". */
const char *sattn_dtype_name(sattn_dtype t);
/* Bytes per element: 4 or 2. */
size_t sattn_dtype_size(sattn_dtype t);
/* The DLPack type of a dtype (lanes 1). */
DLDataType sattn_dtype_dlpack(sattn_dtype t);
/* A DLTensor over CPU memory: compact strides (NULL), no byte offset. The
 * shape array is not copied and must outlive the tensor. */
DLTensor sattn_tensor_cpu(void *data, int ndim, int64_t *shape, sattn_dtype t);
/* Element i of buf (in dtype t) as float. */
float sattn_load_f32(sattn_dtype t, const void *buf, size_t i);
/* Stores x at element i of buf, rounded to dtype t (bf16: nearest even);
 * returns the value as stored. */
float sattn_store_f32(sattn_dtype t, void *buf, size_t i, float x);

/* The sizes of one attention call, read off validated tensors. */
typedef struct sattn_shape {
  int64_t batch, heads_q, heads_kv, seq_q, seq_k, dim;
} sattn_shape;

/* A validated tensor: base pointer (data + byte_offset) and element
 * strides, always filled in (compact when the DLTensor had none). */
typedef struct sattn_view {
  void *data;
  int64_t strides[4];
} sattn_view;

typedef struct sattn_views {
  sattn_view q, k, v, out, lse; /* lse.data NULL when absent */
} sattn_views;

/* Validates q, k, v, out (and lse if not NULL) for a kernel of element type
 * `dtype` and head dimension `head_dim` on the CPU. Fills *shape and
 * *views. Returns SATTN_OK or the first problem, with a message naming the
 * argument ("k: expected 4 dimensions [batch, heads, seq, dim], got 3"). */
sattn_status sattn_check_tensors(const DLTensor *q, const DLTensor *k,
                                 const DLTensor *v, const DLTensor *out,
                                 const DLTensor *lse, sattn_dtype dtype,
                                 int64_t head_dim, sattn_shape *shape,
                                 sattn_views *views, sattn_error *err);

/* ---- thread pool --------------------------------------------------------- */

typedef struct sattn_pool sattn_pool;

/* The number of online CPUs (at least 1). */
int sattn_online_cpus(void);

/* A pool of `threads` workers (the calling thread counts as one); threads
 * <= 0 means one per online CPU. At most 1024. *out is NULL on failure. */
sattn_status sattn_pool_create(int threads, sattn_pool **out, sattn_error *err);
/* Joins the workers; NULL does nothing. */
void sattn_pool_destroy(sattn_pool *pool);
int sattn_pool_threads(const sattn_pool *pool);

/* Runs fn(ctx, item, worker) for every item in [0, n_items), spread over
 * the pool's threads (dynamic, in chunks), and returns when all are done.
 * `worker` is in [0, threads). One run at a time per pool. */
typedef void (*sattn_item_fn)(void *ctx, int64_t item, int worker);
sattn_status sattn_pool_run(sattn_pool *pool, int64_t n_items,
                            sattn_item_fn fn, void *ctx, sattn_error *err);

/* ---- random blocks --------------------------------------------------------- */

/* The key blocks drawn for (qblock, head) by the pinned generator of
 * PATTERN_LANGUAGE.md, in the order drawn; out holds min(count, nkblocks)
 * entries. Returns how many were written, or -1 when out of memory. */
int64_t sattn_rt_random_blocks(uint64_t seed, int64_t qblock, int64_t head,
                               int64_t count, int64_t nkblocks, int64_t *out);

/* 1 when key block kblock is among those drawn for (qblock, head); called
 * by generated kernels (the element predicate of `random`). Thread-safe. */
int8_t sattn_rt_random_member(int64_t seed, int64_t qblock, int64_t head,
                              int64_t count, int64_t nkblocks, int64_t kblock);
/* The first key block >= kblock drawn for (qblock, head), or nkblocks when
 * there is none: the block schedule of `random` visits only drawn blocks.
 * Thread-safe. */
int64_t sattn_rt_random_next(int64_t seed, int64_t qblock, int64_t head, int64_t count,
                             int64_t nkblocks, int64_t kblock);

/* ---- launching a compiled CPU kernel ------------------------------------ */

/* The item function of a compiled kernel (codegen/tile.h): the arguments
 * are MLIR memref descriptors of q, k, v, out (rank 4) and lse (rank 3),
 * whether to write lse, the work item, the number of key splits, and the
 * f32 partial output (rank 4, [nsplit * batch, heads, seq_q, dim]) and
 * partial lse (rank 3) the splits write when there are several. */
typedef void (*sattn_cpu_item_fn)(void *q, void *k, void *v, void *out, void *lse,
                                  int64_t write_lse, int64_t item, int64_t nsplit,
                                  void *part_out, void *part_lse);

typedef struct sattn_cpu_kernel {
  const char *name;
  sattn_dtype dtype;
  int64_t head_dim;
  int64_t block_q; /* query rows per work item */
  sattn_cpu_item_fn item;
  /* Where the kernel's head groups end (`pattern[a:b]` with a last b):
   * q must have exactly this many heads; 0 means any number. */
  int64_t heads_end;
  /* Residue classes (0 or 1: none): with s > 1 the work items per (batch,
   * query head) are min(s, seq_q) classes of ceil(ceil(seq_q / s) /
   * block_q) tiles (the kernel decodes them alike). */
  int64_t lattice;
  /* A second part (NULL: none): for a union whose terms want different
   * tilings, the kernel is two sub-attentions; both write partial results,
   * merged exactly by their log-sum-exp. lattice1 is the second's. */
  sattn_cpu_item_fn item1;
  int64_t lattice1;
  /* The second part's query rows when it is a kernel's global rows (their
   * positions [rows1_begin, rows1_end); 0 0: every row). */
  int64_t rows1_begin, rows1_end;
  /* The kernel runs Intel AMX instructions (bf16 on a CPU with AMX): the
   * runtime asks the OS for the tile state once per process (Linux
   * arch_prctl) and fails with SATTN_ERR_SYSTEM where that is denied. */
  int amx;
} sattn_cpu_kernel;

/* Validates the tensors (sattn_check_tensors) and runs every work item
 * (batch x heads_q x query tiles, see `lattice`) on the pool. lse may be
 * NULL. When there are fewer work items than 4 per thread and the keys
 * are long (decoding), the keys are split over several work items (at
 * least 1024 keys each, at most 64 splits) and the partial results merged
 * exactly by their log-sum-exp. */
sattn_status sattn_cpu_run(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                           const DLTensor *q, const DLTensor *k,
                           const DLTensor *v, DLTensor *out, DLTensor *lse,
                           sattn_error *err);

/* sattn_cpu_run with a given number of key splits (1 to 64; 0: choose as
 * sattn_cpu_run does). */
sattn_status sattn_cpu_run_split(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                                 const DLTensor *q, const DLTensor *k, const DLTensor *v,
                                 DLTensor *out, DLTensor *lse, int nsplit, sattn_error *err);

#ifdef __cplusplus
}
#endif
#endif
