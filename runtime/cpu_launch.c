/* CPU launcher: validated DLPack tensors -> memref descriptors -> one call
 * of the kernel's item function per work item, on the thread pool; with
 * key splits (split-K), a second phase merges the splits' partial results
 * by their log-sum-exp. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amx_permit.h"
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
  memref4 q, k, v, out, part_out, part_out1;
  memref3 lse, part_lse, part_lse1;
  int64_t write_lse, nsplit;
  int64_t items0; /* work items of the first part (x nsplit) */
  int64_t nparts; /* 1, or 2 with kernel->item1 */
  /* A second part run by run_rows_part (global rows, or every row for a
   * lattice part): the first part writes out and lse for every row, the
   * second (nsplit1 key splits; 1: into part_out1 directly) partials for
   * its rows [row_lo, row_lo + nrows) only; the merge touches those rows. */
  bool rows_part;
  int64_t nsplit1, row_lo, nrows;
  float *lse0; /* the first part's lse (the caller's or scratch) */
  /* the merge phase */
  sattn_shape s;
  sattn_views views;
  sattn_dtype dtype;
  float *po, *pl;
} launch;

static memref4 desc4(const sattn_view *v, const DLTensor *t) {
  memref4 m = {v->data, v->data, 0, {0}, {0}};
  for (int d = 0; d < 4; d++) {
    m.sizes[d] = t->shape[d];
    m.strides[d] = v->strides[d];
  }
  return m;
}

/* Work items per (batch, head) of a part: query tiles, or residue classes
 * times their tiles (as the kernel decodes them, codegen/tile.c). */
static int64_t part_tiles(int64_t lattice, int64_t block_q, int64_t seq_q) {
  if (lattice <= 1)
    return (seq_q - 1) / block_q + 1;
  int64_t classes = lattice < seq_q ? lattice : seq_q;
  int64_t rows = (seq_q - 1) / lattice + 1;
  return classes * ((rows - 1) / block_q + 1);
}

static void run_item(void *ctx, int64_t item, int worker) {
  launch *l = ctx;
  if (l->nparts > 1 && item >= l->items0) { /* the second part: its own partials */
    if (l->rows_part && l->nsplit1 == 1) /* unsplit: its out and lse are the partials */
      l->kernel->item1(&l->q, &l->k, &l->v, &l->part_out1, &l->part_lse1, 1, item - l->items0, 1,
                       &l->part_out1, &l->part_lse1);
    else
      l->kernel->item1(&l->q, &l->k, &l->v, &l->out, &l->lse, l->write_lse, item - l->items0,
                       l->rows_part ? l->nsplit1 : l->nsplit, &l->part_out1, &l->part_lse1);
    return;
  }
  l->kernel->item(&l->q, &l->k, &l->v, &l->out, &l->lse, l->write_lse, item, l->nsplit,
                  &l->part_out, &l->part_lse);
}

/* o = wa o + wb p over a unit-stride row: a loop the compiler vectorizes
 * (the strided form stays scalar; the merge was 7% of strided at 4K). */
static void merge_unit(float *restrict o, const float *restrict p, float wa, float wb, int64_t D) {
  for (int64_t d = 0; d < D; d++)
    o[d] = wa * o[d] + wb * p[d];
}

/* A row (b, h, row_lo + r) of the second part: the first part's out and
 * lse merged with the second part's key splits. */
static void merge_part_row(launch *l, int64_t x) {
  const sattn_shape *s = &l->s;
  int64_t r = x % l->nrows, h = x / l->nrows % s->heads_q, b = x / l->nrows / s->heads_q;
  int64_t i = l->row_lo + r, D = s->dim;
  const int64_t *os = l->views.out.strides;
  size_t o0 = (size_t)(b * os[0] + h * os[1] + i * os[2]);
  double lse0 = l->lse0[(b * s->heads_q + h) * s->seq_q + i];
  /* partials: [nsplit1 * B, H, nrows, D] and [nsplit1 * B, H, nrows] */
  int64_t per = s->batch * s->heads_q * l->nrows, at = (b * s->heads_q + h) * l->nrows + r;
  double m = lse0;
  for (int64_t sp = 0; sp < l->nsplit1; sp++)
    m = fmax(m, l->pl[sp * per + at]);
  if (l->nsplit1 == 1 && l->dtype == SATTN_F32) {
    /* the common case (an unsplit second part, f32): in floats, in place */
    float *o = (float *)l->views.out.data + o0;
    const float *p = l->po + at * D;
    float lb = l->pl[at];
    float wa = lse0 > -INFINITY ? expf((float)(lse0 - m)) : 0.0f;
    float wb = lb > -INFINITY ? expf((float)(lb - m)) : 0.0f;
    float sum = wa + wb, inv = sum > 0 ? 1.0f / sum : 0.0f;
    wa *= inv;
    wb *= inv;
    if (wb > 0 && os[3] == 1) /* never read a partial the part left unset (-inf lse) */
      merge_unit(o, p, wa, wb, D);
    else if (wb > 0)
      for (int64_t d = 0; d < D; d++)
        o[d * os[3]] = wa * o[d * os[3]] + wb * p[d];
    else
      for (int64_t d = 0; d < D; d++)
        o[d * os[3]] = wa * o[d * os[3]];
    if (l->write_lse) {
      const int64_t *ls = l->views.lse.strides;
      ((float *)l->views.lse.data)[b * ls[0] + h * ls[1] + i * ls[2]] =
          sum > 0 ? (float)m + logf(sum) : -INFINITY;
    }
    return;
  }
  double wsum = 0, acc[256];
  for (int64_t d = 0; d < D; d++)
    acc[d] = 0;
  if (m > -INFINITY) {
    if (lse0 > -INFINITY) {
      double w = exp(lse0 - m);
      wsum += w;
      for (int64_t d = 0; d < D; d++)
        acc[d] += w * sattn_load_f32(l->dtype, l->views.out.data, o0 + (size_t)(d * os[3]));
    }
    for (int64_t sp = 0; sp < l->nsplit1; sp++) {
      if (l->pl[sp * per + at] == -INFINITY)
        continue;
      double w = exp(l->pl[sp * per + at] - m);
      const float *o = l->po + (sp * per + at) * D;
      wsum += w;
      for (int64_t d = 0; d < D; d++)
        acc[d] += w * o[d];
    }
  }
  for (int64_t d = 0; d < D; d++)
    sattn_store_f32(l->dtype, l->views.out.data, o0 + (size_t)(d * os[3]),
                    wsum > 0 ? (float)(acc[d] / wsum) : 0.0f);
  if (l->write_lse) {
    const int64_t *ls = l->views.lse.strides;
    ((float *)l->views.lse.data)[b * ls[0] + h * ls[1] + i * ls[2]] =
        wsum > 0 ? (float)(m + log(wsum)) : -INFINITY;
  }
}

enum { MERGE_ROWS = 64 /* rows per merge task */ };

static void merge_rows_part(void *ctx, int64_t task, int worker) {
  launch *l = ctx;
  int64_t total = l->s.batch * l->s.heads_q * l->nrows;
  for (int64_t x = task * MERGE_ROWS; x < total && x < (task + 1) * MERGE_ROWS; x++)
    merge_part_row(l, x);
}

/* One row (b, h, i) of the output from its splits: with M = max lse_s,
 * out = sum e^(lse_s - M) out_s / sum e^(lse_s - M), lse = M + log sum; a
 * row with no allowed key in any split gives 0 and -inf. */
static void merge_row(void *ctx, int64_t row, int worker) {
  launch *l = ctx;
  const sattn_shape *s = &l->s;
  int64_t i = row % s->seq_q, h = row / s->seq_q % s->heads_q, b = row / s->seq_q / s->heads_q;
  int64_t D = s->dim, rows = s->batch * s->heads_q * s->seq_q;
  int64_t n = l->nsplit * l->nparts; /* partial results: parts x key splits */
  double m = -INFINITY;
  for (int64_t sp = 0; sp < n; sp++)
    m = fmax(m, l->pl[sp * rows + row]);
  double wsum = 0, acc[256] = {0};
  if (m > -INFINITY)
    for (int64_t sp = 0; sp < n; sp++) {
      if (l->pl[sp * rows + row] == -INFINITY)
        continue; /* empty here, or a row this part does not cover */
      double w = exp(l->pl[sp * rows + row] - m);
      const float *o = l->po + (sp * rows + row) * D;
      wsum += w;
      for (int64_t d = 0; d < D; d++)
        acc[d] += w * o[d];
    }
  const int64_t *os = l->views.out.strides;
  for (int64_t d = 0; d < D; d++)
    sattn_store_f32(l->dtype, l->views.out.data,
                    (size_t)(b * os[0] + h * os[1] + i * os[2] + d * os[3]),
                    wsum > 0 ? (float)(acc[d] / wsum) : 0.0f);
  if (l->write_lse) {
    const int64_t *ls = l->views.lse.strides;
    ((float *)l->views.lse.data)[b * ls[0] + h * ls[1] + i * ls[2]] =
        wsum > 0 ? (float)(m + log(wsum)) : -INFINITY;
  }
}

/* A kernel with two parts, unsplit: the first part writes out and lse (the
 * caller's lse, or scratch) for every row in one pass; the second writes
 * partials: a global-rows part splits its few rows' keys over several
 * items, for those rows only; a part over every row (a lattice part) runs
 * unsplit into a second output. Then the merge combines the two for the
 * second part's rows. Memory: the lse of every row plus the second part's
 * rows' partials (O(L), never a mask). */
static sattn_status run_rows_part(const sattn_cpu_kernel *kernel, sattn_pool *pool, launch *l,
                                  const sattn_shape *s, const sattn_views *views,
                                  const DLTensor *lse, int64_t items0, int64_t items1,
                                  int threads, sattn_error *err) {
  int64_t shift = s->seq_k - s->seq_q;
  bool whole = kernel->rows1_end <= kernel->rows1_begin;
  int64_t lo = kernel->rows1_begin - shift, hi = kernel->rows1_end - shift;
  lo = whole ? 0 : lo < 0 ? 0 : lo > s->seq_q ? s->seq_q : lo;
  hi = whole ? s->seq_q : hi < lo ? lo : hi > s->seq_q ? s->seq_q : hi;
  int64_t n = hi - lo;
  /* A global-rows part's keys split so that its items keep every thread
   * busy; a whole part has items enough: unsplit, its output (f32) is the
   * partial buffer, except for bf16 / f16 kernels, whose item functions
   * write partials (f32) only when split. */
  int64_t want = (4 * (int64_t)threads + items1 - 1) / items1, most = s->seq_k / 1024;
  int64_t ns = want < most ? want : most;
  ns = whole ? (kernel->dtype == SATTN_F32 ? 1 : 2) : ns < 2 ? 2 : ns > 64 ? 64 : ns;
  size_t rows = (size_t)(s->batch * s->heads_q * s->seq_q);
  size_t grows = (size_t)(s->batch * s->heads_q * (n > 0 ? n : 1));
  float *own_lse = lse ? NULL : malloc(rows * sizeof *own_lse);
  l->po = malloc((size_t)ns * grows * (size_t)s->dim * sizeof *l->po);
  l->pl = malloc((size_t)ns * grows * sizeof *l->pl);
  if ((!lse && !own_lse) || !l->po || !l->pl) {
    free(own_lse), free(l->po), free(l->pl);
    if (err) {
      err->status = SATTN_ERR_NO_MEMORY;
      snprintf(err->message, sizeof err->message,
               "out of memory for the global rows' partial results");
    }
    return SATTN_ERR_NO_MEMORY;
  }
  for (size_t x = 0; x < (size_t)ns * grows; x++)
    l->pl[x] = -INFINITY;
  bool user_lse = lse != NULL;
  if (!user_lse) { /* the first part's lse into scratch, dense [B, H, Lq] */
    l->lse = (memref3){own_lse, own_lse, 0, {s->batch, s->heads_q, s->seq_q},
                       {s->heads_q * s->seq_q, s->seq_q, 1}};
    l->lse0 = own_lse;
  } else {
    l->lse0 = NULL;
  }
  int64_t write_lse = l->write_lse;
  l->write_lse = 1;
  /* The second part's partials cover rows [lo, hi): a descriptor whose
   * offset makes row lo its first. */
  int64_t B = s->batch * ns, H = s->heads_q, D = s->dim, N = n > 0 ? n : 1;
  l->part_out1 = (memref4){l->po, l->po, -lo * D, {B, H, s->seq_q, D}, {H * N * D, N * D, D, 1}};
  l->part_lse1 = (memref3){l->pl, l->pl, -lo, {B, H, s->seq_q}, {H * N, N, 1}};
  l->nsplit = 1;
  l->nsplit1 = ns;
  l->rows_part = true;
  l->row_lo = lo;
  l->nrows = n;
  l->items0 = items0;
  l->s = *s;
  l->views = *views;
  l->dtype = kernel->dtype;
  sattn_status st = sattn_pool_run(pool, items0 + items1 * ns, run_item, l, err);
  if (!st && n > 0) {
    if (user_lse) { /* the caller's lse: dense copy of the first part's, for the merge */
      own_lse = malloc(rows * sizeof *own_lse);
      if (!own_lse) {
        st = SATTN_ERR_NO_MEMORY;
        if (err) {
          err->status = st;
          snprintf(err->message, sizeof err->message, "out of memory for the merge");
        }
      } else {
        const int64_t *ls = views->lse.strides;
        for (int64_t b = 0; b < s->batch; b++)
          for (int64_t h = 0; h < s->heads_q; h++)
            for (int64_t i = lo; i < hi; i++)
              own_lse[(b * s->heads_q + h) * s->seq_q + i] =
                  ((float *)views->lse.data)[b * ls[0] + h * ls[1] + i * ls[2]];
        l->lse0 = own_lse;
      }
    }
    l->write_lse = write_lse;
    if (!st)
      st = sattn_pool_run(pool, ((int64_t)s->batch * s->heads_q * n + MERGE_ROWS - 1) / MERGE_ROWS,
                          merge_rows_part, l, err);
  }
  free(own_lse), free(l->po), free(l->pl);
  return st;
}

/* Element-wise copy of a [B, H, L, D] tensor between two views. */
static void copy_view(const sattn_view *dst, const sattn_view *src, const int64_t *shape,
                      size_t es) {
  for (int64_t b = 0; b < shape[0]; b++)
    for (int64_t h = 0; h < shape[1]; h++)
      for (int64_t i = 0; i < shape[2]; i++)
        for (int64_t d = 0; d < shape[3]; d++) {
          int64_t so = b * src->strides[0] + h * src->strides[1] + i * src->strides[2] +
                       d * src->strides[3];
          int64_t dof = b * dst->strides[0] + h * dst->strides[1] + i * dst->strides[2] +
                        d * dst->strides[3];
          memcpy((char *)dst->data + (size_t)dof * es, (const char *)src->data + (size_t)so * es,
                 es);
        }
}

/* Replaces *view by a compact buffer of the same tensor (its values when
 * `fill`); returns the buffer to free, NULL when out of memory. */
static void *compact_copy(sattn_view *view, const int64_t *shape, size_t es, bool fill) {
  size_t n = (size_t)shape[0] * (size_t)shape[1] * (size_t)shape[2] * (size_t)shape[3];
  void *buf = malloc(n ? n * es : 1);
  if (!buf)
    return NULL;
  sattn_view c = {buf, {shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1}};
  if (fill)
    copy_view(&c, view, shape, es);
  *view = c;
  return buf;
}

static sattn_status run_checked(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                                const DLTensor *q, const DLTensor *k, const DLTensor *v,
                                DLTensor *out, DLTensor *lse, int nsplit, const sattn_shape *sp,
                                const sattn_views *vp, sattn_error *err);

sattn_status sattn_cpu_run(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                           const DLTensor *q, const DLTensor *k,
                           const DLTensor *v, DLTensor *out, DLTensor *lse,
                           sattn_error *err) {
  return sattn_cpu_run_split(kernel, pool, q, k, v, out, lse, 0, err);
}

sattn_status sattn_cpu_run_split(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                                 const DLTensor *q, const DLTensor *k, const DLTensor *v,
                                 DLTensor *out, DLTensor *lse, int nsplit, sattn_error *err) {
  if (nsplit < 0 || nsplit > 64) {
    if (err) {
      err->status = SATTN_ERR_ARGUMENT;
      snprintf(err->message, sizeof err->message,
               "nsplit: %d key splits, expected 0 (automatic) to 64", nsplit);
    }
    return SATTN_ERR_ARGUMENT;
  }
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
  if (kernel->amx && !sattn_amx_permitted()) {
    if (err) {
      err->status = SATTN_ERR_SYSTEM;
      snprintf(err->message, sizeof err->message,
               "kernel '%s' uses Intel AMX and the OS refused this process the tile state "
               "(arch_prctl ARCH_REQ_XCOMP_PERM); build it with SATTN_CPU_AMX=0",
               kernel->name ? kernel->name : "?");
    }
    return SATTN_ERR_SYSTEM;
  }
  sattn_shape s;
  sattn_views views;
  sattn_status st = sattn_check_tensors(q, k, v, out, lse, kernel->dtype,
                                        kernel->head_dim, &s, &views, err);
  if (st)
    return st;
  /* The kernels take a unit innermost stride (codegen/tile.c): other
   * layouts run on compact copies, and out is copied back. */
  sattn_view *inner[] = {&views.q, &views.k, &views.v, &views.out};
  const DLTensor *ts[] = {q, k, v, out};
  sattn_view user_out = views.out;
  void *copies[4] = {NULL, NULL, NULL, NULL};
  size_t es = sattn_dtype_size(kernel->dtype);
  for (int t = 0; t < 4; t++) {
    if (inner[t]->strides[3] == 1)
      continue;
    copies[t] = compact_copy(inner[t], ts[t]->shape, es, t < 3);
    if (!copies[t]) {
      for (int u = 0; u < t; u++)
        free(copies[u]);
      if (err) {
        err->status = SATTN_ERR_NO_MEMORY;
        snprintf(err->message, sizeof err->message,
                 "%s: out of memory for a compact copy (its innermost stride is %lld, "
                 "the kernels take 1)", (const char *[]){"q", "k", "v", "out"}[t],
                 (long long)inner[t]->strides[3]);
      }
      return SATTN_ERR_NO_MEMORY;
    }
  }
  st = run_checked(kernel, pool, q, k, v, out, lse, nsplit, &s, &views, err);
  if (copies[3] && st == SATTN_OK)
    copy_view(&user_out, &views.out, out->shape, es);
  for (int t = 0; t < 4; t++)
    free(copies[t]);
  return st;
}

/* The run on validated views with unit innermost strides. */
static sattn_status run_checked(const sattn_cpu_kernel *kernel, sattn_pool *pool,
                                const DLTensor *q, const DLTensor *k, const DLTensor *v,
                                DLTensor *out, DLTensor *lse, int nsplit, const sattn_shape *sp,
                                const sattn_views *vp, sattn_error *err) {
  sattn_shape s = *sp;
  sattn_views views = *vp;
  sattn_status st;
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
  int64_t items = s.batch * s.heads_q * part_tiles(kernel->lattice, kernel->block_q, s.seq_q);
  int64_t items1 = 0;
  if (kernel->item1 && kernel->rows1_end > kernel->rows1_begin) {
    /* Only the rows at those positions (p = i + Lk - Lq), at least one tile
     * (the kernel skips an empty one). */
    int64_t shift = s.seq_k - s.seq_q;
    int64_t lo = kernel->rows1_begin - shift, hi = kernel->rows1_end - shift;
    lo = lo < 0 ? 0 : lo > s.seq_q ? s.seq_q : lo;
    hi = hi < lo ? lo : hi > s.seq_q ? s.seq_q : hi;
    int64_t t = (hi - lo + kernel->block_q - 1) / kernel->block_q;
    items1 = s.batch * s.heads_q * (t < 1 ? 1 : t);
  } else if (kernel->item1) {
    items1 = s.batch * s.heads_q * part_tiles(kernel->lattice1, kernel->block_q, s.seq_q);
  }
  l.nparts = kernel->item1 ? 2 : 1;
  /* Split-K when the work items would leave threads idle and the keys are
   * long: each split at least 1024 keys. Two parts write partials too:
   * at least two splits (the item function writes partials then). */
  int threads = sattn_pool_threads(pool);
  if (nsplit == 0) {
    nsplit = 1;
    if (items + items1 < 4 * (int64_t)threads && s.seq_k >= 2048) {
      int64_t want = (4 * (int64_t)threads + items + items1 - 1) / (items + items1),
              most = s.seq_k / 1024;
      nsplit = (int)(want < most ? want : most);
      nsplit = nsplit > 64 ? 64 : nsplit;
    }
  }
  if (l.nparts > 1 && nsplit == 1)
    return run_rows_part(kernel, pool, &l, &s, &views, lse, items, items1, threads, err);
  if (l.nparts > 1 && nsplit < 2)
    nsplit = 2;
  l.nsplit = nsplit;
  if (nsplit == 1)
    return sattn_pool_run(pool, items, run_item, &l, err);
  if (s.dim > 256) {
    if (err) {
      err->status = SATTN_ERR_ARGUMENT;
      snprintf(err->message, sizeof err->message, "head_dim above 256 cannot be split");
    }
    return SATTN_ERR_ARGUMENT;
  }
  size_t rows = (size_t)(s.batch * s.heads_q * s.seq_q), np = (size_t)l.nparts;
  l.po = malloc(np * (size_t)nsplit * rows * (size_t)s.dim * sizeof *l.po);
  l.pl = malloc(np * (size_t)nsplit * rows * sizeof *l.pl);
  if (!l.po || !l.pl) {
    free(l.po);
    free(l.pl);
    if (err) {
      err->status = SATTN_ERR_NO_MEMORY;
      snprintf(err->message, sizeof err->message,
               "out of memory for %d key splits' partial results", nsplit);
    }
    return SATTN_ERR_NO_MEMORY;
  }
  /* part_out [nsplit * B, H, Lq, D] and part_lse [nsplit * B, H, Lq] per
   * part, dense, the second part's after the first's. */
  int64_t B = s.batch * nsplit, H = s.heads_q, L = s.seq_q, D = s.dim;
  l.part_out = (memref4){l.po, l.po, 0, {B, H, L, D}, {H * L * D, L * D, D, 1}};
  l.part_lse = (memref3){l.pl, l.pl, 0, {B, H, L}, {H * L, L, 1}};
  l.part_out1 = l.part_out, l.part_lse1 = l.part_lse;
  l.part_out1.offset = B * H * L * D;
  l.part_lse1.offset = B * H * L;
  l.items0 = items * nsplit;
  items = items * nsplit + items1 * nsplit;
  /* A part that covers some rows only leaves the others' partials unset:
   * their lse -inf (weight 0) keeps them out of the merge. */
  for (size_t x = 0; x < np * (size_t)nsplit * rows; x++)
    l.pl[x] = -INFINITY;
  l.s = s;
  l.views = views;
  l.dtype = kernel->dtype;
  st = sattn_pool_run(pool, items, run_item, &l, err);
  if (!st)
    st = sattn_pool_run(pool, (int64_t)rows, merge_row, &l, err);
  free(l.po);
  free(l.pl);
  return st;
}
