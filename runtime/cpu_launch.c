/* CPU launcher: validated DLPack tensors -> memref descriptors -> one call
 * of the kernel's item function per work item, on the thread pool. */
#include <stdio.h>
#include <string.h>

#include "sattn_rt.h"

/* The memref descriptors of MLIR's C interface (llvm.emit_c_interface). */
typedef struct memref4 {
  void *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
} memref4;

typedef struct memref3 {
  void *allocated, *aligned;
  int64_t offset, sizes[3], strides[3];
} memref3;

typedef struct launch {
  const sattn_cpu_kernel *kernel;
  memref4 q, k, v, out;
  memref3 lse;
  int64_t write_lse;
} launch;

static memref4 desc4(const sattn_view *v, const DLTensor *t) {
  memref4 m = {v->data, v->data, 0, {0}, {0}};
  for (int d = 0; d < 4; d++) {
    m.sizes[d] = t->shape[d];
    m.strides[d] = v->strides[d];
  }
  return m;
}

static void run_item(void *ctx, int64_t item, int worker) {
  launch *l = ctx;
  l->kernel->item(&l->q, &l->k, &l->v, &l->out, &l->lse, l->write_lse, item);
}

sattn_status sattn_cpu_run(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                           const DLTensor *q, const DLTensor *k,
                           const DLTensor *v, DLTensor *out, DLTensor *lse,
                           sattn_error *err) {
  if (!kernel || !kernel->item || !pool) {
    if (err) {
      err->status = SATTN_ERR_NULL;
      snprintf(err->message, sizeof err->message,
               "%s is NULL", !kernel ? "kernel" : !pool ? "pool" : "kernel->item");
    }
    return SATTN_ERR_NULL;
  }
  if (kernel->block_q <= 0) {
    if (err) {
      err->status = SATTN_ERR_ARGUMENT;
      snprintf(err->message, sizeof err->message, "kernel: block_q must be positive");
    }
    return SATTN_ERR_ARGUMENT;
  }
  sattn_shape s;
  sattn_views views;
  sattn_status st = sattn_check_tensors(q, k, v, out, lse, kernel->dtype,
                                        kernel->head_dim, &s, &views, err);
  if (st)
    return st;
  launch l;
  memset(&l, 0, sizeof l);
  l.kernel = kernel;
  l.q = desc4(&views.q, q);
  l.k = desc4(&views.k, k);
  l.v = desc4(&views.v, v);
  l.out = desc4(&views.out, out);
  if (lse) {
    l.lse = (memref3){views.lse.data, views.lse.data, 0, {0}, {0}};
    for (int d = 0; d < 3; d++) {
      l.lse.sizes[d] = lse->shape[d];
      l.lse.strides[d] = views.lse.strides[d];
    }
    l.write_lse = 1;
  }
  if (kernel->heads_end > 0 && s.heads_q != kernel->heads_end) {
    if (err) {
      err->status = SATTN_ERR_SHAPE;
      snprintf(err->message, sizeof err->message,
               "q: %lld heads, but kernel '%s' has patterns for heads 0..%lld "
               "(its head groups end at %lld)", (long long)s.heads_q,
               kernel->name ? kernel->name : "?", (long long)kernel->heads_end - 1,
               (long long)kernel->heads_end);
    }
    return SATTN_ERR_SHAPE;
  }
  if (s.heads_kv == 0 || s.batch == 0 || s.heads_q == 0 || s.seq_q == 0)
    return SATTN_OK; /* nothing to compute */
  int64_t tiles = (s.seq_q - 1) / kernel->block_q + 1;
  if (kernel->lattice > 1) {
    int64_t classes = kernel->lattice < s.seq_q ? kernel->lattice : s.seq_q;
    int64_t rows = (s.seq_q - 1) / kernel->lattice + 1;
    tiles = classes * ((rows - 1) / kernel->block_q + 1);
  }
  int64_t items = s.batch * s.heads_q * tiles;
  return sattn_pool_run(pool, items, run_item, &l, err);
}
