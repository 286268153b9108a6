/* Unit tests of libsattn_rt: tensor validation (every failure names the
 * argument and has its own status) and the thread pool (every item runs
 * exactly once, on every thread count). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "sattn_rt.h"

/* ---- tensor fixtures ----------------------------------------------------- */

typedef struct fixture {
  int64_t qshape[4], kshape[4], vshape[4], oshape[4], lshape[3];
  float buf[4096];
  float lbuf[256];
  DLTensor q, k, v, out, lse;
} fixture;

static DLTensor tensor(void *data, int ndim, int64_t *shape, uint8_t code,
                       uint8_t bits) {
  DLTensor t;
  memset(&t, 0, sizeof t);
  t.data = data;
  t.device = (DLDevice){kDLCPU, 0};
  t.ndim = ndim;
  t.dtype = (DLDataType){code, bits, 1};
  t.shape = shape;
  return t;
}

/* B=2, Hq=4, Hkv=2, Lq=3, Lk=5, D=16, f32, compact; lse present. */
static void setup(fixture *f) {
  memset(f, 0, sizeof *f);
  int64_t q[4] = {2, 4, 3, 16}, k[4] = {2, 2, 5, 16}, l[3] = {2, 4, 3};
  memcpy(f->qshape, q, sizeof q);
  memcpy(f->oshape, q, sizeof q);
  memcpy(f->kshape, k, sizeof k);
  memcpy(f->vshape, k, sizeof k);
  memcpy(f->lshape, l, sizeof l);
  f->q = tensor(f->buf, 4, f->qshape, kDLFloat, 32);
  f->k = tensor(f->buf, 4, f->kshape, kDLFloat, 32);
  f->v = tensor(f->buf, 4, f->vshape, kDLFloat, 32);
  f->out = tensor(f->buf, 4, f->oshape, kDLFloat, 32);
  f->lse = tensor(f->lbuf, 3, f->lshape, kDLFloat, 32);
}

static sattn_status check(fixture *f, sattn_error *err) {
  sattn_shape shape;
  sattn_views views;
  memset(err, 0, sizeof *err);
  return sattn_check_tensors(&f->q, &f->k, &f->v, &f->out, &f->lse, SATTN_F32,
                             16, &shape, &views, err);
}

static int has(const sattn_error *e, const char *text) {
  if (!strstr(e->message, text)) {
    printf("  message was: %s\n", e->message);
    return 0;
  }
  return 1;
}

static void valid_call_fills_shape_and_compact_strides(void) {
  fixture f;
  setup(&f);
  sattn_shape s;
  sattn_views v;
  sattn_error e = {0};
  CHECK(sattn_check_tensors(&f.q, &f.k, &f.v, &f.out, &f.lse, SATTN_F32, 16, &s,
                            &v, &e) == SATTN_OK);
  CHECK(s.batch == 2 && s.heads_q == 4 && s.heads_kv == 2 && s.seq_q == 3 &&
        s.seq_k == 5 && s.dim == 16);
  CHECK(v.q.strides[0] == 4 * 3 * 16 && v.q.strides[1] == 3 * 16 &&
        v.q.strides[2] == 16 && v.q.strides[3] == 1);
  CHECK(v.lse.strides[2] == 1 && v.lse.data == f.lbuf);
}

static void explicit_strides_and_byte_offset_are_kept(void) {
  fixture f;
  setup(&f);
  int64_t st[4] = {1000, 200, 40, 2}; /* padded rows, every other element */
  f.k.strides = st;
  f.k.byte_offset = 64;
  sattn_shape s;
  sattn_views v;
  sattn_error e = {0};
  CHECK(sattn_check_tensors(&f.q, &f.k, &f.v, &f.out, NULL, SATTN_F32, 16, &s,
                            &v, &e) == SATTN_OK);
  CHECK(v.k.strides[0] == 1000 && v.k.strides[3] == 2);
  CHECK((char *)v.k.data == (char *)f.buf + 64);
  CHECK(v.lse.data == NULL);
}

static void null_tensor_is_named(void) {
  fixture f;
  setup(&f);
  sattn_shape s;
  sattn_views v;
  sattn_error e = {0};
  CHECK(sattn_check_tensors(&f.q, NULL, &f.v, &f.out, NULL, SATTN_F32, 16, &s,
                            &v, &e) == SATTN_ERR_NULL);
  CHECK(has(&e, "k: the tensor pointer is NULL"));
  f.v.data = NULL;
  CHECK(check(&f, &e) == SATTN_ERR_NULL && has(&e, "v: data is NULL"));
  setup(&f);
  f.q.shape = NULL;
  CHECK(check(&f, &e) == SATTN_ERR_NULL && has(&e, "q: shape is NULL"));
}

static void wrong_rank_is_named(void) {
  fixture f;
  setup(&f);
  sattn_error e;
  f.k.ndim = 3;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE &&
        has(&e, "k: expected 4 dimensions [batch, heads, seq, dim], got 3"));
  setup(&f);
  f.lse.ndim = 4;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE && has(&e, "lse: expected 3 dimensions"));
}

static void wrong_dtype_is_named(void) {
  fixture f;
  setup(&f);
  sattn_error e;
  f.v.dtype = (DLDataType){kDLBfloat, 16, 1};
  CHECK(check(&f, &e) == SATTN_ERR_DTYPE &&
        has(&e, "v: element type bfloat16, the kernel takes f32"));
  setup(&f);
  f.q.dtype.lanes = 4;
  CHECK(check(&f, &e) == SATTN_ERR_DTYPE && has(&e, "q: element type float32x4"));
  setup(&f);
  f.lse.dtype = (DLDataType){kDLFloat, 16, 1};
  CHECK(check(&f, &e) == SATTN_ERR_DTYPE && has(&e, "lse: element type float16"));
  setup(&f);
  f.out.dtype = (DLDataType){kDLInt, 32, 1};
  CHECK(check(&f, &e) == SATTN_ERR_DTYPE && has(&e, "out: element type int32"));
}

static void wrong_device_is_named(void) {
  fixture f;
  setup(&f);
  sattn_error e;
  f.out.device.device_type = kDLCUDA;
  CHECK(check(&f, &e) == SATTN_ERR_DEVICE && has(&e, "out: the tensor is on device"));
}

static void mismatched_shapes_are_named(void) {
  fixture f;
  sattn_error e;
  setup(&f);
  f.kshape[3] = 32;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE &&
        has(&e, "k: head dimension 32, the kernel is compiled for head_dim = 16"));
  setup(&f);
  f.vshape[0] = 3;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE && has(&e, "v: batch 3 differs"));
  setup(&f);
  f.vshape[2] = 4;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE && has(&e, "v: dimension 2 is 4, k has 5"));
  setup(&f);
  f.oshape[2] = 4;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE && has(&e, "out: dimension 2 is 4, q has 3"));
  setup(&f);
  f.qshape[1] = 3;
  f.oshape[1] = 3;
  f.lshape[1] = 3;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE &&
        has(&e, "q: 3 heads is not a multiple of the 2 key/value heads"));
  setup(&f);
  f.lshape[2] = 7;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE && has(&e, "lse: dimension 2 is 7"));
  setup(&f);
  f.kshape[2] = -1;
  CHECK(check(&f, &e) == SATTN_ERR_SHAPE && has(&e, "k: dimension 2 has negative size"));
}

static void aliasing_output_strides_are_rejected(void) {
  fixture f;
  setup(&f);
  sattn_error e;
  int64_t st[4] = {192, 48, 0, 1}; /* every row of out at one place */
  f.out.strides = st;
  CHECK(check(&f, &e) == SATTN_ERR_STRIDE &&
        has(&e, "out: stride 0 on dimension 2 (size 3)"));
  /* A zero stride on an input is a broadcast, which is fine. */
  setup(&f);
  f.k.strides = st;
  CHECK(check(&f, &e) == SATTN_OK);
  setup(&f);
  int64_t huge[4] = {INT64_MAX / 2, 1, 1, 1};
  f.q.strides = huge;
  CHECK(check(&f, &e) == SATTN_ERR_STRIDE && has(&e, "q: strides reach past"));
}

static void negative_and_misaligned_are_rejected(void) {
  fixture f;
  sattn_error e;
  setup(&f);
  int64_t rev[4] = {80 * 16, 5 * 16, -16, 1}; /* a reversed sequence */
  f.v.strides = rev;
  CHECK(check(&f, &e) == SATTN_ERR_STRIDE &&
        has(&e, "v: stride -16 on dimension 2: negative strides are not supported"));
  setup(&f);
  f.q.byte_offset = 2; /* f32 data must be 4-byte aligned */
  CHECK(check(&f, &e) == SATTN_ERR_STRIDE &&
        has(&e, "q: data + byte_offset is not aligned to the element size (4 bytes)"));
}

static void empty_sizes_are_valid(void) {
  fixture f;
  setup(&f);
  sattn_error e;
  f.kshape[2] = 0; /* Lk = 0: every row is empty */
  f.vshape[2] = 0;
  CHECK(check(&f, &e) == SATTN_OK);
  f.k.data = NULL; /* no elements: no data needed */
  f.v.data = NULL;
  CHECK(check(&f, &e) == SATTN_OK);
}

static void bad_dtype_argument(void) {
  fixture f;
  setup(&f);
  sattn_shape s;
  sattn_views v;
  sattn_error e = {0};
  CHECK(sattn_check_tensors(&f.q, &f.k, &f.v, &f.out, NULL, (sattn_dtype)7, 16,
                            &s, &v, &e) == SATTN_ERR_ARGUMENT);
  CHECK(sattn_check_tensors(&f.q, &f.k, &f.v, &f.out, NULL, SATTN_F32, 16, NULL,
                            &v, NULL) == SATTN_ERR_NULL);
}

static void status_names(void) {
  CHECK(strcmp(sattn_status_name(SATTN_OK), "SATTN_OK") == 0);
  CHECK(strcmp(sattn_status_name(SATTN_ERR_STRIDE), "SATTN_ERR_STRIDE") == 0);
  CHECK(strcmp(sattn_dtype_name(SATTN_BF16), "bf16") == 0);
}

/* ---- element conversions ---------------------------------------------------- */

static void bf16_rounds_to_nearest_even(void) {
  uint16_t buf[4];
  /* 1 + 2^-8 lies halfway between two bf16 values: ties go to even (1.0). */
  CHECK(sattn_store_f32(SATTN_BF16, buf, 0, 1.0f + 1.0f / 256) == 1.0f);
  CHECK(buf[0] == 0x3f80);
  /* 1 + 3 * 2^-8 is halfway too: ties go to even (1 + 2^-6). */
  CHECK(sattn_store_f32(SATTN_BF16, buf, 1, 1.0f + 3.0f / 256) == 1.0f + 4.0f / 256);
  /* Just above halfway rounds up. */
  CHECK(sattn_store_f32(SATTN_BF16, buf, 2, 1.0f + 1.0f / 256 + 1.0f / 65536) ==
        1.0f + 2.0f / 256);
  float nan = __builtin_nanf("");
  float back = sattn_store_f32(SATTN_BF16, buf, 3, nan);
  CHECK(back != back); /* NaN stays NaN */
}

static void f16_round_trips(void) {
  uint16_t buf[3];
  CHECK(sattn_store_f32(SATTN_F16, buf, 0, 0.5f) == 0.5f && buf[0] == 0x3800);
  CHECK(sattn_store_f32(SATTN_F16, buf, 1, -2.0f) == -2.0f && buf[1] == 0xc000);
  CHECK(sattn_load_f32(SATTN_F16, buf, 1) == -2.0f);
  CHECK(sattn_store_f32(SATTN_F16, buf, 2, 65504.0f) == 65504.0f); /* largest f16 */
  float f[1];
  CHECK(sattn_store_f32(SATTN_F32, f, 0, 0.1f) == 0.1f && sattn_load_f32(SATTN_F32, f, 0) == 0.1f);
  CHECK(sattn_dtype_size(SATTN_BF16) == 2 && sattn_dtype_size(SATTN_F32) == 4);
  CHECK(sattn_dtype_dlpack(SATTN_BF16).code == kDLBfloat &&
        sattn_dtype_dlpack(SATTN_F16).bits == 16);
}

/* ---- pool ---------------------------------------------------------------- */

typedef struct counts {
  _Atomic int *hits;
  _Atomic int per_worker[64];
} counts;

static void count_item(void *ctx, int64_t item, int worker) {
  counts *c = ctx;
  atomic_fetch_add(&c->hits[item], 1);
  if (worker >= 0 && worker < 64)
    atomic_fetch_add(&c->per_worker[worker], 1);
}

static void pool_runs_every_item_once(void) {
  int thread_counts[] = {1, 2, 3, 8, 0};
  for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
    sattn_pool *p = NULL;
    sattn_error e = {0};
    CHECK(sattn_pool_create(thread_counts[t], &p, &e) == SATTN_OK && p);
    if (!p)
      continue;
    int nthreads = sattn_pool_threads(p);
    CHECK(thread_counts[t] ? nthreads == thread_counts[t]
                           : nthreads == sattn_online_cpus());
    int64_t sizes[] = {1, 7, 1000, 12345};
    for (size_t s = 0; s < 4; s++) {
      counts c;
      memset(&c, 0, sizeof c);
      c.hits = calloc((size_t)sizes[s], sizeof *c.hits);
      CHECK(sattn_pool_run(p, sizes[s], count_item, &c, &e) == SATTN_OK);
      int wrong = 0, total = 0;
      for (int64_t i = 0; i < sizes[s]; i++)
        wrong += c.hits[i] != 1;
      for (int w = 0; w < 64; w++) {
        total += c.per_worker[w];
        if (w >= nthreads)
          CHECK(c.per_worker[w] == 0);
      }
      CHECK(wrong == 0);
      CHECK(total == sizes[s]);
      free(c.hits);
    }
    sattn_pool_destroy(p);
  }
}

typedef struct nested {
  sattn_pool *pool;
  _Atomic int refused;
} nested;

/* A work item that tries to start another run on the same pool. */
static void reenter(void *ctx, int64_t item, int worker) {
  nested *n = ctx;
  sattn_error e = {0};
  if (sattn_pool_run(n->pool, 4, count_item, NULL, &e) == SATTN_ERR_ARGUMENT &&
      strstr(e.message, "already running"))
    atomic_fetch_add(&n->refused, 1);
}

static void pool_refuses_a_second_concurrent_run(void) {
  sattn_pool *p = NULL;
  sattn_error e = {0};
  CHECK(sattn_pool_create(2, &p, &e) == SATTN_OK);
  nested n = {p, 0};
  CHECK(sattn_pool_run(p, 3, reenter, &n, &e) == SATTN_OK);
  CHECK(n.refused == 3);
  counts c;
  memset(&c, 0, sizeof c);
  c.hits = calloc(5, sizeof *c.hits);
  CHECK(sattn_pool_run(p, 5, count_item, &c, &e) == SATTN_OK); /* usable again */
  CHECK(c.hits[0] == 1 && c.hits[4] == 1);
  free(c.hits);
  sattn_pool_destroy(p);
}

static void pool_rejects_bad_arguments(void) {
  sattn_error e = {0};
  CHECK(sattn_pool_create(1, NULL, &e) == SATTN_ERR_NULL);
  sattn_pool *p = NULL;
  CHECK(sattn_pool_create(5000, &p, &e) == SATTN_ERR_ARGUMENT && !p);
  CHECK(has(&e, "threads: at most 1024"));
  CHECK(sattn_pool_create(2, &p, &e) == SATTN_OK);
  CHECK(sattn_pool_run(p, -1, count_item, NULL, &e) == SATTN_ERR_ARGUMENT);
  CHECK(sattn_pool_run(p, 10, NULL, NULL, &e) == SATTN_ERR_NULL);
  CHECK(sattn_pool_run(NULL, 10, count_item, NULL, NULL) == SATTN_ERR_NULL);
  CHECK(sattn_pool_run(p, 0, count_item, NULL, &e) == SATTN_OK);
  sattn_pool_destroy(p);
  sattn_pool_destroy(NULL);
}

int main(void) {
  TEST(valid_call_fills_shape_and_compact_strides);
  TEST(explicit_strides_and_byte_offset_are_kept);
  TEST(null_tensor_is_named);
  TEST(wrong_rank_is_named);
  TEST(wrong_dtype_is_named);
  TEST(wrong_device_is_named);
  TEST(mismatched_shapes_are_named);
  TEST(aliasing_output_strides_are_rejected);
  TEST(negative_and_misaligned_are_rejected);
  TEST(empty_sizes_are_valid);
  TEST(bad_dtype_argument);
  TEST(status_names);
  TEST(bf16_rounds_to_nearest_even);
  TEST(f16_round_trips);
  TEST(pool_runs_every_item_once);
  TEST(pool_rejects_bad_arguments);
  TEST(pool_refuses_a_second_concurrent_run);
  return HARNESS_REPORT();
}
