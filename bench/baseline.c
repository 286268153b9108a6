/* The baselines of the CPU benchmark (bench/attention.py): what a user
 * would write instead of compiling a pattern.
 *
 *   naive  dense masked attention in C, row by row: every score q_i . k_j,
 *          masked ones set to -inf, softmax, then sum_j p_j v_j over all
 *          keys (the textbook code; -O3 -march=native, no fast-math);
 *   blas   the same in query chunks through OpenBLAS sgemm: S = Q_c K^T,
 *          mask, softmax, O_c = P V.
 *
 * Both do the same work on every row whatever the pattern, so they are
 * timed on a sample: 8 chunks of rows spread evenly over the queries (the
 * first chunk at row 0, where global rows are), enough rows for about
 * --budget flops, and the time scaled by Lq / sampled rows. The mask rows
 * come from the oracle (oracle/) and are built before timing (a user would
 * hold a boolean mask).
 *
 *   sattn-baseline --impl naive|blas --pattern EXPR --dim D --seq L
 *                  [--threads N] [--budget FLOPS] [--seed N]
 *
 * Prints one JSON object: impl, seconds (the whole problem, scaled),
 * sampled_rows, measured_seconds, blas_core (OpenBLAS's kernel name). */
#include <math.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "context.h"
#include "diag.h"
#include "lang.h"
#include "oracle.h"
#include "to_oracle.h"

char *openblas_get_corename(void);
void openblas_set_num_threads(int);

enum { CHUNKS = 8 };

typedef struct problem {
  int64_t L, D;
  float *q, *k, *v, *out;
  unsigned char *mask; /* rows x L, the sampled rows in order */
  int64_t *rows;       /* the sampled rows */
  int64_t nrows;
  float scale;
} problem;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- naive ------------------------------------------------------------------ */

typedef struct naive_job {
  const problem *p;
  int64_t r0, r1;
  float *s;
} naive_job;

static void *naive_rows(void *u) {
  naive_job *jb = u;
  const problem *p = jb->p;
  int64_t L = p->L, D = p->D;
  for (int64_t r = jb->r0; r < jb->r1; r++) {
    const float *qi = p->q + p->rows[r] * D;
    const unsigned char *m = p->mask + r * L;
    float mx = -INFINITY;
    for (int64_t j = 0; j < L; j++) {
      float s = 0;
      for (int64_t d = 0; d < D; d++)
        s += qi[d] * p->k[j * D + d];
      s = m[j] ? s * p->scale : -INFINITY;
      jb->s[j] = s;
      if (s > mx)
        mx = s;
    }
    float sum = 0;
    for (int64_t j = 0; j < L; j++) {
      float e = mx == -INFINITY ? 0 : expf(jb->s[j] - mx);
      jb->s[j] = e;
      sum += e;
    }
    float *o = p->out + r * D;
    for (int64_t d = 0; d < D; d++)
      o[d] = 0;
    for (int64_t j = 0; j < L; j++) {
      float w = sum > 0 ? jb->s[j] / sum : 0;
      for (int64_t d = 0; d < D; d++)
        o[d] += w * p->v[j * D + d];
    }
  }
  return NULL;
}

static int run_naive(const problem *p, int threads) {
  pthread_t tid[64];
  naive_job jobs[64];
  for (int t = 0; t < threads; t++) {
    jobs[t] = (naive_job){p, p->nrows * t / threads, p->nrows * (t + 1) / threads,
                          malloc((size_t)p->L * sizeof(float))};
    if (!jobs[t].s)
      return 1;
  }
  for (int t = 1; t < threads; t++)
    pthread_create(&tid[t], NULL, naive_rows, &jobs[t]);
  naive_rows(&jobs[0]);
  for (int t = 1; t < threads; t++)
    pthread_join(tid[t], NULL);
  for (int t = 0; t < threads; t++)
    free(jobs[t].s);
  return 0;
}

/* ---- blas ------------------------------------------------------------------- */

/* One chunk: consecutive sampled rows r0 .. r1 - 1 (consecutive queries). */
static int blas_chunk(const problem *p, int64_t r0, int64_t r1, float *s, float *qc) {
  int64_t L = p->L, D = p->D, n = r1 - r0;
  for (int64_t r = 0; r < n; r++)
    memcpy(qc + r * D, p->q + p->rows[r0 + r] * D, (size_t)D * sizeof(float));
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)L, (int)D, p->scale, qc,
              (int)D, p->k, (int)D, 0.0f, s, (int)L);
  for (int64_t r = 0; r < n; r++) {
    float *row = s + r * L;
    const unsigned char *m = p->mask + (r0 + r) * L;
    float mx = -INFINITY;
    for (int64_t j = 0; j < L; j++) {
      if (!m[j])
        row[j] = -INFINITY;
      if (row[j] > mx)
        mx = row[j];
    }
    float sum = 0;
    for (int64_t j = 0; j < L; j++) {
      row[j] = mx == -INFINITY ? 0 : expf(row[j] - mx);
      sum += row[j];
    }
    float inv = sum > 0 ? 1.0f / sum : 0;
    for (int64_t j = 0; j < L; j++)
      row[j] *= inv;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)D, (int)L, 1.0f, s,
              (int)L, p->v, (int)D, 0.0f, p->out + r0 * D, (int)D);
  return 0;
}

static int run_blas(const problem *p, int64_t per_chunk) {
  float *s = malloc((size_t)per_chunk * (size_t)p->L * sizeof(float));
  float *qc = malloc((size_t)per_chunk * (size_t)p->D * sizeof(float));
  if (!s || !qc) {
    free(s);
    free(qc);
    return 1;
  }
  for (int64_t r0 = 0; r0 < p->nrows; r0 += per_chunk)
    blas_chunk(p, r0, r0 + per_chunk < p->nrows ? r0 + per_chunk : p->nrows, s, qc);
  free(s);
  free(qc);
  return 0;
}

/* ---- main ---------------------------------------------------------------------- */

static void usage(FILE *f) {
  fprintf(f, "usage: sattn-baseline --impl naive|blas --pattern EXPR --dim D --seq L\n"
             "                      [--threads N] [--budget FLOPS] [--seed N]\n");
}

/* An integer argument in [lo, hi], or an error naming it. */
static bool int_arg(const char *name, const char *v, int64_t lo, int64_t hi, int64_t *out) {
  char *end;
  long long x = strtoll(v, &end, 10);
  if (!*v || *end || x < lo || x > hi) {
    fprintf(stderr, "sattn-baseline: %s expects an integer from %lld to %lld, got '%s'\n", name,
            (long long)lo, (long long)hi, v);
    return false;
  }
  *out = x;
  return true;
}

static uint64_t rng = 88172645463325252ull;
static float frand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (float)((double)(rng >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

int main(int argc, char **argv) {
  const char *impl = NULL, *pattern = NULL;
  int64_t D = 64, L = 4096, threads = 1;
  double budget = 4e9;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    }
    if (!v) {
      fprintf(stderr, "sattn-baseline: %s needs a value\n", a);
      return 2;
    }
    i++;
    if (!strcmp(a, "--impl"))
      impl = v;
    else if (!strcmp(a, "--pattern"))
      pattern = v;
    else if (!strcmp(a, "--dim")) {
      if (!int_arg(a, v, 1, 1024, &D))
        return 2;
    } else if (!strcmp(a, "--seq")) {
      if (!int_arg(a, v, 1, 1 << 20, &L))
        return 2;
    } else if (!strcmp(a, "--threads")) {
      if (!int_arg(a, v, 1, 64, &threads))
        return 2;
    } else if (!strcmp(a, "--budget")) {
      char *end;
      budget = strtod(v, &end);
      if (!*v || *end || !(budget > 0)) {
        fprintf(stderr, "sattn-baseline: --budget expects a positive number, got '%s'\n", v);
        return 2;
      }
    } else if (!strcmp(a, "--seed")) {
      int64_t seed;
      if (!int_arg(a, v, 0, INT64_MAX, &seed))
        return 2;
      rng = (uint64_t)seed * 2654435761u + 1;
    }
    else {
      fprintf(stderr, "sattn-baseline: unknown argument '%s'\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (!impl || (strcmp(impl, "naive") && strcmp(impl, "blas")) || !pattern || D < 1 ||
      D > 1024 || L < 1 || threads < 1 || threads > 64 || !(budget > 0)) {
    usage(stderr);
    return 2;
  }
  /* The pattern, through the front end, as an oracle tree. */
  MlirContext ctx = sattn_context_create();
  diag_source src = {"<pattern>", pattern, strlen(pattern)};
  diag_printer printer = {stderr, &src, 1};
  diag_sink sink = {diag_print_fn, &printer, 0, 0};
  lang_unit unit;
  if (!lang_compile_pattern(&unit, ctx, "<pattern>", pattern, strlen(pattern), 0, D, &sink) ||
      !unit.prog->kernels) {
    fprintf(stderr, "sattn-baseline: the pattern does not compile\n");
    return 1;
  }
  orc_node *mask = sem_to_oracle(unit.prog->kernels->masks[0]);
  problem p;
  memset(&p, 0, sizeof p);
  p.L = L;
  p.D = D;
  p.scale = 1.0f / sqrtf((float)D);
  /* Sampled rows: CHUNKS runs of consecutive rows, evenly spread. */
  int64_t want = (int64_t)(budget / (4.0 * (double)D * (double)L));
  want = want < CHUNKS ? CHUNKS : want;
  want = want > L ? L : want;
  int64_t per_chunk = (want + CHUNKS - 1) / CHUNKS;
  p.rows = malloc((size_t)(per_chunk * CHUNKS) * sizeof *p.rows);
  for (int64_t c = 0; c < CHUNKS && p.nrows < L; c++) {
    int64_t first = c * (L / CHUNKS);
    for (int64_t r = 0; r < per_chunk && first + r < L && p.nrows < L; r++)
      p.rows[p.nrows++] = first + r;
  }
  size_t n = (size_t)L * (size_t)D;
  p.q = malloc(n * sizeof(float));
  p.k = malloc(n * sizeof(float));
  p.v = malloc(n * sizeof(float));
  p.out = malloc((size_t)p.nrows * (size_t)D * sizeof(float));
  p.mask = malloc((size_t)p.nrows * (size_t)L);
  if (!mask || !p.rows || !p.q || !p.k || !p.v || !p.out || !p.mask) {
    fprintf(stderr, "sattn-baseline: out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < n; i++) {
    p.q[i] = frand();
    p.k[i] = frand();
    p.v[i] = frand();
  }
  for (int64_t r = 0; r < p.nrows; r++)
    for (int64_t j = 0; j < L; j++)
      p.mask[r * L + j] = orc_eval(mask, p.rows[r], j, L, L, 0) == ORC_YES;
  openblas_set_num_threads((int)threads);
  double t0 = now();
  int rc = !strcmp(impl, "naive") ? run_naive(&p, (int)threads) : run_blas(&p, per_chunk);
  double dt = now() - t0;
  if (rc) {
    fprintf(stderr, "sattn-baseline: out of memory\n");
    return 1;
  }
  double check = 0;
  for (int64_t i = 0; i < p.nrows * D; i++)
    check += p.out[i];
  printf("{\"impl\": \"%s\", \"seconds\": %.6g, \"sampled_rows\": %lld, "
         "\"measured_seconds\": %.6g, \"blas_core\": \"%s\", \"checksum\": %.6g}\n",
         impl, dt * (double)L / (double)p.nrows, (long long)p.nrows, dt,
         openblas_get_corename(), check);
  orc_node_destroy(mask);
  lang_unit_destroy(&unit);
  mlirContextDestroy(ctx);
  return 0;
}
