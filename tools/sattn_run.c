/* sattn-run: compile a kernel (or a lone pattern) in process, run it on
 * random or .npy inputs, check it against the float64 oracle, time it.
 *
 *   sattn-run FILE.sattn [--kernel NAME] | --pattern 'EXPR' [--dtype T] [--dim D]
 *             [--batch B --heads H --heads-kv HKV --seq-q LQ --seq-k LK]
 *             [--q Q.npy --k K.npy --v V.npy] [--out OUT.npy]
 *             [--check] [--time N] [--threads N] [--seed N] [--json]
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "jit_kernel.h"
#include "lang.h"
#include "mlir_diag.h"
#include "npy.h"
#include "oracle.h"
#include "sattn_rt.h"
#include "to_oracle.h"
#include "tool_io.h"

static const char *const TOOL = "sattn-run";

static void usage(FILE *f) {
  fputs("usage: sattn-run FILE.sattn [--kernel NAME] [options]\n"
        "       sattn-run --pattern 'EXPR' [--dtype f32|bf16|f16] [--dim D] [options]\n"
        "Compiles a kernel in process (JIT), runs it, checks and times it.\n\n"
        "inputs (random, or float32 .npy files [batch, heads, seq, dim]):\n"
        "  --batch B (1)  --heads H (8)  --heads-kv HKV (= H)  --seq-q LQ (1024)\n"
        "  --seq-k LK (= LQ)  --seed N (random inputs; default: time)\n"
        "  --q Q.npy --k K.npy --v V.npy   shapes, GQA and Lq != Lk from the files\n"
        "options:\n"
        "  --kernel NAME    the kernel of FILE to run (default: the first)\n"
        "  --out OUT.npy    write the output (float32)\n"
        "  --check          compare with the float64 oracle; exit 1 above the\n"
        "                   tolerance (1e-4 for f32, 1e-2 for bf16/f16)\n"
        "  --time N         run N times after a warm-up: median time and GFLOP/s\n"
        "                   (4 * dim flops per allowed pair)\n"
        "  --threads N      worker threads (default: online CPUs)\n"
        "  --block-q N, --block-k N  query rows and keys per tile (default: chosen\n"
        "                   per kernel for this CPU)\n"
        "  --splits N       split every work item's keys in N ranges merged by their\n"
        "                   log-sum-exp (1..64; default: the runtime decides)\n"
        "  --json           print one JSON object with what ran and was measured\n"
        "  --help, --version\n", f);
}

typedef struct options {
  const char *file, *kernel, *pattern, *dtype, *qp, *kp, *vp, *outp;
  int64_t dim, batch, heads, heads_kv, seq_q, seq_k, time_n, threads, block_q, block_k, splits;
  uint64_t seed;
  bool check, json, have_seed, have_dim;
} options;

static bool int_arg(const char *flag, const char *v, int64_t min, int64_t max,
                    int64_t *out) {
  char *end;
  errno = 0;
  long long x = strtoll(v ? v : "", &end, 10);
  if (!v || !*v || *end || errno || x < min || x > max) {
    tool_error(TOOL, "%s expects an integer from %lld to %lld, got '%s'", flag,
               (long long)min, (long long)max, v ? v : "");
    return false;
  }
  *out = x;
  return true;
}

/* 0 to go on, 1 to exit 0, 2 on a usage error. */
static int parse_args(int argc, char **argv, options *o) {
  *o = (options){.dtype = NULL, .dim = 64, .batch = 1, .heads = 8, .heads_kv = -1,
                 .seq_q = 1024, .seq_k = -1, .block_q = 0, .block_k = 0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *eq = strchr(a, '=');
    char flag[64];
    snprintf(flag, sizeof flag, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
    const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
#define TAKE() (eq ? val : (i + 1 < argc ? argv[++i] : NULL))
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 1;
    } else if (!strcmp(a, "--version")) {
      printf("sattn-run %s (MLIR 22)\n", SATTN_VERSION);
      return 1;
    } else if (!strcmp(flag, "--check") && !eq) {
      o->check = true;
    } else if (!strcmp(flag, "--json") && !eq) {
      o->json = true;
    } else if (!strcmp(flag, "--kernel") || !strcmp(flag, "--pattern") ||
               !strcmp(flag, "--dtype") || !strcmp(flag, "--q") ||
               !strcmp(flag, "--k") || !strcmp(flag, "--v") || !strcmp(flag, "--out")) {
      const char *v = TAKE();
      if (!v || !*v) {
        tool_error(TOOL, "%s needs a value", flag);
        return 2;
      }
      const char **dst = !strcmp(flag, "--kernel")    ? &o->kernel
                         : !strcmp(flag, "--pattern") ? &o->pattern
                         : !strcmp(flag, "--dtype")   ? &o->dtype
                         : !strcmp(flag, "--q")       ? &o->qp
                         : !strcmp(flag, "--k")       ? &o->kp
                         : !strcmp(flag, "--v")       ? &o->vp
                                                      : &o->outp;
      *dst = v;
    } else if (!strcmp(flag, "--dim") || !strcmp(flag, "--batch") ||
               !strcmp(flag, "--heads") || !strcmp(flag, "--heads-kv") ||
               !strcmp(flag, "--seq-q") || !strcmp(flag, "--seq-k") ||
               !strcmp(flag, "--time") || !strcmp(flag, "--threads") ||
               !strcmp(flag, "--seed") || !strcmp(flag, "--block-q") ||
               !strcmp(flag, "--block-k") || !strcmp(flag, "--splits")) {
      const char *v = TAKE();
      int64_t x;
      int64_t max = !strcmp(flag, "--dim")       ? 256
                    : !strncmp(flag, "--block-", 8) ? 4096
                    : !strcmp(flag, "--splits")     ? 64
                    : !strcmp(flag, "--threads") ? 1024
                    : !strcmp(flag, "--time")    ? 100000
                    : !strcmp(flag, "--seed")    ? INT64_MAX
                                                 : ((int64_t)1 << 31);
      int64_t min = !strcmp(flag, "--time") || !strcmp(flag, "--seed") ||
                            !strcmp(flag, "--threads")
                        ? 0
                        : 1;
      if (!int_arg(flag, v, min, max, &x))
        return 2;
      if (!strcmp(flag, "--dim"))
        o->dim = x, o->have_dim = true;
      else if (!strcmp(flag, "--batch"))
        o->batch = x;
      else if (!strcmp(flag, "--heads"))
        o->heads = x;
      else if (!strcmp(flag, "--heads-kv"))
        o->heads_kv = x;
      else if (!strcmp(flag, "--seq-q"))
        o->seq_q = x;
      else if (!strcmp(flag, "--seq-k"))
        o->seq_k = x;
      else if (!strcmp(flag, "--time"))
        o->time_n = x;
      else if (!strcmp(flag, "--threads"))
        o->threads = x;
      else if (!strcmp(flag, "--block-q"))
        o->block_q = x;
      else if (!strcmp(flag, "--block-k"))
        o->block_k = x;
      else if (!strcmp(flag, "--splits"))
        o->splits = x;
      else
        o->seed = (uint64_t)x, o->have_seed = true;
    } else if (a[0] == '-' && a[1]) {
      tool_error(TOOL, "unknown option '%s' (see --help)", a);
      return 2;
    } else if (o->file) {
      tool_error(TOOL, "more than one input file ('%s' and '%s')", o->file, a);
      return 2;
    } else {
      o->file = a;
    }
#undef TAKE
  }
  if (!o->file == !o->pattern) {
    tool_error(TOOL, o->file ? "give a FILE or --pattern, not both"
                             : "no kernel: give FILE.sattn or --pattern 'EXPR' (see --help)");
    return 2;
  }
  if (o->kernel && !o->file) {
    tool_error(TOOL, "--kernel selects a kernel of FILE; with --pattern there is none");
    return 2;
  }
  if (o->dtype && strcmp(o->dtype, "f32") && strcmp(o->dtype, "f16") &&
      strcmp(o->dtype, "bf16")) {
    tool_error(TOOL, "--dtype must be f32, f16 or bf16, got '%s'", o->dtype);
    return 2;
  }
  if (o->have_dim && o->dim % 16) {
    tool_error(TOOL, "--dim must be a multiple of 16 from 16 to 256, got %lld",
               (long long)o->dim);
    return 2;
  }
  if ((o->qp || o->kp || o->vp) && !(o->qp && o->kp && o->vp)) {
    tool_error(TOOL, "give --q, --k and --v together");
    return 2;
  }
  if (o->heads_kv < 0)
    o->heads_kv = o->heads;
  if (o->seq_k < 0)
    o->seq_k = o->seq_q;
  if (!o->qp && o->heads % o->heads_kv) {
    tool_error(TOOL, "--heads (%lld) must be a multiple of --heads-kv (%lld)",
               (long long)o->heads, (long long)o->heads_kv);
    return 2;
  }
  return 0;
}

static uint64_t rng;
static float urand(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (float)((double)((rng * 0x2545F4914F6CDD1DULL) >> 11) / 4503599627370496.0 - 1.0);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* A JSON number, or null when not finite (JSON has no NaN or inf). */
static void json_number(const char *key, double x) {
  if (isfinite(x))
    printf(", \"%s\": %.6g", key, x);
  else
    printf(", \"%s\": null", key);
}

/* ---- main ---------------------------------------------------------------------- */

typedef struct run {
  options o;
  MlirContext ctx;
  lang_unit unit;
  bool have_unit;
  jit_kernel jit;
  sattn_pool *pool;
  const sem_kernel *kernel;
  sattn_dtype dt;
  int64_t B, Hq, Hkv, Lq, Lk, D;
  void *q, *k, *v, *out;
  /* The inputs as floats for the oracle (--check only): f32 inputs alias
   * q, k, v; other dtypes get copies. Peak memory stays near the tensors'
   * own without --check. */
  float *qf, *kf, *vf;
  bool own_f;
  npy_array nq, nk, nv;
} run;

static void cleanup(run *r) {
  free(r->q), free(r->k), free(r->v), free(r->out);
  if (r->own_f)
    free(r->qf), free(r->kf), free(r->vf);
  free(r->nq.data), free(r->nk.data), free(r->nv.data);
  jit_kernel_destroy(&r->jit);
  sattn_pool_destroy(r->pool);
  if (r->have_unit)
    lang_unit_destroy(&r->unit);
  if (!mlirContextIsNull(r->ctx))
    mlirContextDestroy(r->ctx);
}

static bool compile(run *r) {
  const options *o = &r->o;
  char err[512] = "";
  r->ctx = sattn_context_create();
  if (mlirContextIsNull(r->ctx))
    return false;
  size_t len = 0;
  char *text = o->file ? tool_read_file(o->file, &len, err, sizeof err)
                       : (char *)o->pattern;
  if (!text) {
    tool_error(TOOL, "%s", err);
    return false;
  }
  if (!o->file)
    len = strlen(text);
  const char *name = o->file ? o->file : "<pattern>";
  diag_source src = {name, text, len};
  diag_printer printer = {stderr, &src, 1};
  diag_sink sink = {diag_print_fn, &printer, 0, 0};
  int dt = !o->dtype || !strcmp(o->dtype, "f32") ? 0 : !strcmp(o->dtype, "f16") ? 1 : 2;
  lang_options lo = {0};
  bool ok = o->file ? lang_compile(&r->unit, r->ctx, name, text, len, &lo, &sink)
                    : lang_compile_pattern(&r->unit, r->ctx, name, text, len, dt,
                                           o->dim, &sink);
  r->have_unit = true;
  MlirOperation kf = {NULL};
  if (ok) {
    kf = jit_find_kernel(r->unit.module, o->kernel);
    for (const sem_kernel *k = r->unit.prog->kernels; k; k = k->next)
      if (!o->kernel || !strcmp(o->kernel, k->name)) {
        r->kernel = k;
        break;
      }
    if (mlirOperationIsNull(kf) || !r->kernel) {
      char names[512] = "";
      size_t n = 0;
      for (const sem_kernel *k = r->unit.prog->kernels; k && n < sizeof names - 64; k = k->next)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "", k->name);
      tool_error(TOOL, o->kernel ? "%s has no kernel '%s' (kernels: %s)"
                                 : "%s has no kernel%s (kernels: %s)",
                 name, o->kernel ? o->kernel : "", n ? names : "none");
      ok = false;
    }
  }
  if (ok && o->file && (o->dtype || o->have_dim)) {
    static const char *const dts[] = {"f32", "f16", "bf16"};
    if ((o->dtype && strcmp(o->dtype, dts[r->kernel->dtype])) ||
        (o->have_dim && o->dim != r->kernel->head_dim)) {
      tool_error(TOOL, "kernel '%s' is compiled for dtype %s and head_dim %lld; "
                       "--dtype/--dim disagree", r->kernel->name,
                 dts[r->kernel->dtype], (long long)r->kernel->head_dim);
      ok = false;
    }
  }
  if (ok) {
    MlirDiagnosticHandlerID h = mlir_diag_attach(r->ctx, &sink);
    ok = jit_kernel_create(r->ctx, kf, "run_kernel", r->o.block_q, r->o.block_k, &r->jit);
    mlir_diag_detach(r->ctx, h);
  }
  if (o->file)
    free(text);
  if (ok) {
    r->dt = (sattn_dtype)r->kernel->dtype;
    r->D = r->kernel->head_dim;
  }
  return ok;
}

static bool load_inputs(run *r) {
  const options *o = &r->o;
  char err[512] = "";
  if (o->qp) {
    npy_array *arrs[] = {&r->nq, &r->nk, &r->nv};
    const char *paths[] = {o->qp, o->kp, o->vp}, *names[] = {"--q", "--k", "--v"};
    for (int i = 0; i < 3; i++) {
      if (!npy_read(paths[i], arrs[i], err, sizeof err)) {
        tool_error(TOOL, "%s: %s", names[i], err);
        return false;
      }
      if (arrs[i]->ndim != 4) {
        tool_error(TOOL, "%s: '%s' has %d dimensions; expected 4 [batch, heads, seq, dim]",
                   names[i], paths[i], arrs[i]->ndim);
        return false;
      }
    }
    r->B = r->nq.shape[0], r->Hq = r->nq.shape[1], r->Lq = r->nq.shape[2];
    r->Hkv = r->nk.shape[1], r->Lk = r->nk.shape[2];
    if (r->nq.shape[3] != r->D || r->nk.shape[3] != r->D || r->nv.shape[3] != r->D) {
      tool_error(TOOL, "head dimension: q %lld, k %lld, v %lld; the kernel takes %lld",
                 (long long)r->nq.shape[3], (long long)r->nk.shape[3],
                 (long long)r->nv.shape[3], (long long)r->D);
      return false;
    }
    for (int d = 0; d < 3; d++)
      if (r->nv.shape[d] != r->nk.shape[d]) {
        tool_error(TOOL, "--v: shape differs from --k's in dimension %d (%lld vs %lld)",
                   d, (long long)r->nv.shape[d], (long long)r->nk.shape[d]);
        return false;
      }
    if (r->nk.shape[0] != r->B) {
      tool_error(TOOL, "--k: batch %lld differs from --q's %lld",
                 (long long)r->nk.shape[0], (long long)r->B);
      return false;
    }
    if (!r->Hkv || r->Hq % r->Hkv) {
      tool_error(TOOL, "--q has %lld heads, not a multiple of --k's %lld", (long long)r->Hq,
                 (long long)r->Hkv);
      return false;
    }
  } else {
    r->B = o->batch, r->Hq = o->heads, r->Hkv = o->heads_kv;
    r->Lq = o->seq_q, r->Lk = o->seq_k;
  }
  /* Element counts, refused before they could overflow (2^40 elements is
   * 4 TiB of f32, far above any machine here). */
  int64_t nq64, nk64;
  if (__builtin_mul_overflow(r->B, r->Hq, &nq64) ||
      __builtin_mul_overflow(nq64, r->Lq, &nq64) ||
      __builtin_mul_overflow(nq64, r->D, &nq64) ||
      __builtin_mul_overflow(r->B, r->Hkv, &nk64) ||
      __builtin_mul_overflow(nk64, r->Lk, &nk64) ||
      __builtin_mul_overflow(nk64, r->D, &nk64) || nq64 > ((int64_t)1 << 40) ||
      nk64 > ((int64_t)1 << 40)) {
    tool_error(TOOL, "the tensors are too large: batch %lld x heads %lld/%lld x seq "
                     "%lld/%lld x dim %lld elements", (long long)r->B, (long long)r->Hq,
               (long long)r->Hkv, (long long)r->Lq, (long long)r->Lk, (long long)r->D);
    return false;
  }
  size_t nq = (size_t)nq64, nk = (size_t)nk64;
  size_t es = r->dt == SATTN_F32 ? 4 : 2;
  r->q = malloc(nq * es + 1), r->out = malloc(nq * es + 1);
  r->k = malloc(nk * es + 1), r->v = malloc(nk * es + 1);
  r->own_f = o->check && r->dt != SATTN_F32;
  if (r->own_f) {
    r->qf = malloc(nq * 4 + 1), r->kf = malloc(nk * 4 + 1), r->vf = malloc(nk * 4 + 1);
  } else if (o->check) {
    r->qf = r->q, r->kf = r->k, r->vf = r->v; /* f32: the same values */
  }
  if (!r->q || !r->out || !r->k || !r->v ||
      (o->check && (!r->qf || !r->kf || !r->vf))) {
    tool_error(TOOL, "out of memory for the inputs (%zu + %zu elements)", nq, 2 * nk);
    return false;
  }
  rng = o->have_seed ? (o->seed ? o->seed : 1) : (uint64_t)time(NULL);
  for (size_t i = 0; i < nq; i++) {
    float x = sattn_store_f32(r->dt, r->q, i, o->qp ? r->nq.data[i] : urand());
    if (r->own_f)
      r->qf[i] = x;
  }
  for (size_t i = 0; i < nk; i++) {
    float x = sattn_store_f32(r->dt, r->k, i, o->qp ? r->nk.data[i] : urand());
    float y = sattn_store_f32(r->dt, r->v, i, o->qp ? r->nv.data[i] : urand());
    if (r->own_f)
      r->kf[i] = x, r->vf[i] = y;
  }
  return true;
}

/* A superset of the keys row p may attend, in closed form (the same
 * per-term ranges as the kernel's hull): counting only inside it keeps
 * --time linear in the pattern's reach instead of O(Lq x Lk). */
static void row_range(const sem_node *n, int64_t p, int64_t lk, int64_t *lo,
                      int64_t *hi) {
  int64_t a, b;
  switch (n->kind) {
  case SEM_CAUSAL: *lo = 0, *hi = p + 1; return;
  case SEM_WINDOW: *lo = p - n->a, *hi = p + n->b + 1; return;
  case SEM_DILATED: *lo = p - n->a * n->b, *hi = p + n->a * n->b + 1; return;
  case SEM_LOCAL: {
    int64_t qb = p >= 0 ? p / n->b : -((-p + n->b - 1) / n->b);
    *lo = (qb - n->a) * n->b, *hi = (qb + n->a + 1) * n->b;
    return;
  }
  case SEM_UNION:
  case SEM_INTERSECT:
    row_range(n->lhs, p, lk, lo, hi);
    row_range(n->rhs, p, lk, &a, &b);
    if (n->kind == SEM_UNION)
      *lo = a < *lo ? a : *lo, *hi = b > *hi ? b : *hi;
    else
      *lo = a > *lo ? a : *lo, *hi = b < *hi ? b : *hi;
    return;
  case SEM_DIFFERENCE: row_range(n->lhs, p, lk, lo, hi); return;
  default: *lo = 0, *hi = lk; return;
  }
}

/* Whether a mask draws random blocks per head. */
static bool per_head(const sem_node *n) {
  for (; n; n = n->lhs)
    if ((n->kind == SEM_RANDOM && n->per_head) || (n->rhs && per_head(n->rhs)))
      return true;
  return false;
}

/* Allowed pairs over all batches and heads (the oracle, row by row, within
 * each row's closed-form range). */
static double allowed_pairs(const run *r) {
  const sem_kernel *k = r->kernel;
  double total = 0;
  for (size_t g = 0; g < k->ngroups; g++) {
    int64_t h0 = k->group_starts[g], h1 = k->group_starts[g + 1] < 0 ? r->Hq
                                                                    : k->group_starts[g + 1];
    if (h1 > r->Hq)
      h1 = r->Hq;
    if (h1 <= h0)
      continue;
    orc_node *o = sem_to_oracle(k->masks[g]);
    bool by_head = per_head(k->masks[g]);
    for (int64_t h = h0; o && h < (by_head ? h1 : h0 + 1); h++) {
      double pairs = 0;
      for (int64_t i = 0; i < r->Lq; i++) {
        int64_t lo, hi, p = i + r->Lk - r->Lq;
        row_range(k->masks[g], p, r->Lk, &lo, &hi);
        lo = lo < 0 ? 0 : lo;
        hi = hi > r->Lk ? r->Lk : hi;
        for (int64_t j = lo; j < hi; j++)
          pairs += orc_eval(o, i, j, r->Lq, r->Lk, h) == ORC_YES;
      }
      total += pairs * (double)(by_head ? 1 : h1 - h0) * (double)r->B;
    }
    orc_node_destroy(o);
  }
  return total;
}

int main(int argc, char **argv) {
  run r;
  memset(&r, 0, sizeof r);
  int code = parse_args(argc, argv, &r.o);
  if (code)
    return code == 1 ? 0 : 2;
  code = 1;
  sattn_error err = {0};
  if (!compile(&r) || !load_inputs(&r))
    goto done;
  if (sattn_pool_create((int)r.o.threads, &r.pool, &err)) {
    tool_error(TOOL, "%s", err.message);
    goto done;
  }
  int64_t qs[4] = {r.B, r.Hq, r.Lq, r.D}, ks[4] = {r.B, r.Hkv, r.Lk, r.D};
  DLTensor tq = sattn_tensor_cpu(r.q, 4, qs, r.dt), tk = sattn_tensor_cpu(r.k, 4, ks, r.dt),
           tv = sattn_tensor_cpu(r.v, 4, ks, r.dt), to = sattn_tensor_cpu(r.out, 4, qs, r.dt);
  sattn_cpu_kernel kern = {r.kernel->name, r.dt, r.D, r.jit.info.block_q,
                           (sattn_cpu_item_fn)r.jit.item, r.jit.info.heads_end,
                           r.jit.info.lattice, (sattn_cpu_item_fn)r.jit.item1,
                           r.jit.info.lattice1, r.jit.info.rows1_begin, r.jit.info.rows1_end,
                           r.jit.info.amx};
  size_t nq = (size_t)(r.B * r.Hq * r.Lq * r.D);
  memset(r.out, 0xff, nq * (r.dt == SATTN_F32 ? 4 : 2)); /* poison (NaN) */
  if (sattn_cpu_run_split(&kern, r.pool, &tq, &tk, &tv, &to, NULL, (int)r.o.splits, &err)) {
    tool_error(TOOL, "%s: %s", sattn_status_name(err.status), err.message);
    goto done;
  }
  double rel = NAN, tol = r.dt == SATTN_F32 ? 1e-4 : 1e-2;
  bool check_ok = true;
  if (r.o.check) {
    double *ref = calloc(nq ? nq : 1, sizeof *ref);
    orc_node *masks[64] = {0};
    for (size_t g = 0; g < r.kernel->ngroups; g++)
      masks[g] = sem_to_oracle(r.kernel->masks[g]);
    orc_dims dims = {r.B, r.Hq, r.Hkv, r.Lq, r.Lk, r.D};
    /* With no keys every row is empty: the reference is all zeros. */
    bool empty = r.Lk == 0 || nq == 0;
    if (!ref || (!empty && orc_attention(&dims, r.qf, r.kf, r.vf, r.kernel->scale,
                                         (const orc_node *const *)masks,
                                         r.kernel->ngroups > 1 ? r.kernel->group_starts
                                                               : NULL,
                                         r.kernel->ngroups, ref, NULL))) {
      tool_error(TOOL, "the oracle could not run (%s)",
                 ref ? "a pattern it cannot evaluate" : "out of memory");
      for (size_t g = 0; g < r.kernel->ngroups; g++)
        orc_node_destroy(masks[g]);
      free(ref);
      goto done;
    }
    double num = 0, den = 0;
    for (size_t i = 0; i < nq; i++) {
      double o = sattn_load_f32(r.dt, r.out, i);
      num += (o - ref[i]) * (o - ref[i]);
      den += ref[i] * ref[i];
    }
    rel = den > 0 ? sqrt(num / den) : sqrt(num);
    check_ok = rel < tol; /* NaN fails */
    for (size_t g = 0; g < r.kernel->ngroups; g++)
      orc_node_destroy(masks[g]);
    free(ref);
  }
  double median_ms = NAN, gflops = NAN, pairs = NAN;
  if (r.o.time_n > 0) {
    double *ms = malloc((size_t)r.o.time_n * sizeof *ms);
    for (int64_t t = 0; ms && t < r.o.time_n; t++) {
      double t0 = now();
      sattn_cpu_run_split(&kern, r.pool, &tq, &tk, &tv, &to, NULL, (int)r.o.splits, &err);
      ms[t] = 1e3 * (now() - t0);
    }
    if (ms) {
      qsort(ms, (size_t)r.o.time_n, sizeof *ms, cmp_double);
      median_ms = ms[r.o.time_n / 2];
    }
    free(ms);
    pairs = allowed_pairs(&r);
    gflops = 4.0 * (double)r.D * pairs / (median_ms * 1e-3) / 1e9;
  }
  if (r.o.outp) {
    float *f = malloc(nq * sizeof *f + 1);
    for (size_t i = 0; f && i < nq; i++)
      f[i] = sattn_load_f32(r.dt, r.out, i);
    char e2[512];
    if (!f || !npy_write(r.o.outp, f, 4, qs, e2, sizeof e2)) {
      tool_error(TOOL, "--out: %s", f ? e2 : "out of memory");
      free(f);
      goto done;
    }
    free(f);
  }
  static const char *const dts[] = {"f32", "f16", "bf16"};
  /* what ran the two products (JSON key, words) */
  const kernel_cpu_info *inf = &r.jit.info;
  const char *prod_key = inf->bf16dot ? "bf16_dot" : inf->amx ? "amx_qk" : "fma";
  const char *prod = inf->bf16dot ? "QK^T and PV on vdpbf16ps"
                     : inf->amx   ? "QK^T on AMX tiles, PV on FMA"
                                  : "QK^T and PV on FMA";
  const char *what = r.o.pattern ? r.o.pattern : r.kernel->name;
  int threads = sattn_pool_threads(r.pool);
  if (r.o.json) {
    printf("{\"pattern\": \"");
    for (const char *c = what; *c; c++) /* JSON string escaping */
      if (*c == '"' || *c == '\\')
        printf("\\%c", *c);
      else if ((unsigned char)*c < 0x20)
        printf("\\u%04x", *c);
      else
        putchar(*c);
    printf("\", \"dtype\": \"%s\", \"shape\": {\"batch\": %lld, \"heads\": %lld, "
           "\"heads_kv\": %lld, \"seq_q\": %lld, \"seq_k\": %lld, \"dim\": %lld}, "
           "\"threads\": %d, \"block_q\": %lld, \"block_k\": %lld, \"products\": \"%s\"",
           dts[r.dt], (long long)r.B, (long long)r.Hq, (long long)r.Hkv, (long long)r.Lq,
           (long long)r.Lk, (long long)r.D, threads, (long long)r.jit.info.block_q,
           (long long)r.jit.info.block_k, prod_key);
    if (r.o.time_n > 0) {
      printf(", \"runs\": %lld", (long long)r.o.time_n);
      json_number("median_ms", median_ms);
      printf(", \"allowed_pairs\": %.0f", pairs); /* exact: benchmarks compare counts */
      json_number("gflops", gflops);
    }
    if (r.o.check) {
      json_number("rel_err", rel);
      printf(", \"tolerance\": %g, \"check\": \"%s\"", tol, check_ok ? "ok" : "failed");
    }
    printf("}\n");
  } else {
    printf("%s: %s, batch %lld, heads %lld/%lld, seq %lld x %lld, dim %lld, %d threads, "
           "tiles %lld x %lld, %s\n",
           what, dts[r.dt], (long long)r.B, (long long)r.Hq, (long long)r.Hkv,
           (long long)r.Lq, (long long)r.Lk, (long long)r.D, threads,
           (long long)inf->block_q, (long long)inf->block_k, prod);
    if (r.o.check)
      printf("check: relative error %.3g against the float64 oracle (tolerance %g): %s\n",
             rel, tol, check_ok ? "ok" : "FAILED");
    if (r.o.time_n > 0)
      printf("time: median %.3f ms over %lld runs, %.0f allowed pairs, %.2f GFLOP/s\n",
             median_ms, (long long)r.o.time_n, pairs, gflops);
  }
  code = check_ok ? 0 : 1;
done:
  cleanup(&r);
  return code;
}
