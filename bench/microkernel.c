/* The ceiling of sattn's CPU micro-kernel on this machine, measured: the
 * QK^T register block of codegen/cpu_step.c (queries in zmm lanes, R keys x
 * G query vectors of accumulators, per head dim G vector loads of QT and R
 * broadcasts of K from memory), hand-written with intrinsics, against
 * register-only FMA chains (sattn-peak's denominator) in the same run.
 *
 *   sattn-microkernel [--json]
 *
 * Rows:
 *   peak          16 independent FMA chains, no loads;
 *   RxG, K in L2  the block over a 96-key tile, d = 128, QT (32 KB) in L1
 *                 and K (1536 keys, 768 KB) in L2: the step's steady state;
 *   RxG, far K    the same with K streamed from 120K keys (61 MB);
 *   6x4, QT in registers  the loads of QT taken out (only the broadcasts
 *                 left): what the loads cost.
 * If the 6x4 row stays well under the peak with everything in L1/L2, the
 * whole kernel cannot reach the peak either: the denominator counts FMAs
 * that load nothing. n/a without AVX-512. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { D = 128, BQ = 64, BK = 96, G_MAX = 4 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static float QT[D][BQ] __attribute__((aligned(64)));
static float ST[BK][BQ] __attribute__((aligned(64)));
static volatile float g_sink;

__attribute__((target("avx512f"))) static double peak(void) {
  __m512 acc[16], x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
  for (int c = 0; c < 16; c++)
    acc[c] = _mm512_set1_ps((float)c);
  long iters = 50000000;
  double t = now();
  for (long i = 0; i < iters; i++)
#pragma GCC unroll 16
    for (int c = 0; c < 16; c++)
      acc[c] = _mm512_fmadd_ps(acc[c], x, y);
  t = now() - t;
  for (int c = 1; c < 16; c++)
    acc[0] = _mm512_add_ps(acc[0], acc[c]);
  g_sink = _mm512_reduce_add_ps(acc[0]);
  return 2.0 * 16 * 16 * (double)iters / t / 1e9;
}

/* One R x G block over all of d, its scores stored (as the step does). The
 * template is a macro so that R and G are constants (registers). */
#define BLOCK(R, G, QT_LOAD)                                                        \
  __attribute__((target("avx512f"))) static void block_##R##x##G##QT_LOAD(        \
      const float *kr, int c) {                                                    \
    __m512 acc[R][G], q[G];                                                       \
    for (int r = 0; r < R; r++)                                                   \
      for (int g = 0; g < G; g++)                                                 \
        acc[r][g] = _mm512_setzero_ps();                                           \
    for (int g = 0; g < G; g++)                                                   \
      q[g] = _mm512_load_ps(&QT[c % D][16 * g]);                                  \
    for (int d = 0; d < D; d++) {                                                 \
      if (QT_LOAD)                                                                \
        for (int g = 0; g < G; g++)                                               \
          q[g] = _mm512_load_ps(&QT[d][16 * g]);                                  \
      for (int r = 0; r < R; r++) {                                               \
        __m512 b = _mm512_set1_ps(kr[r * D + d]);                                 \
        for (int g = 0; g < G; g++)                                               \
          acc[r][g] = _mm512_fmadd_ps(b, q[g], acc[r][g]);                        \
      }                                                                           \
    }                                                                             \
    for (int r = 0; r < R; r++)                                                   \
      for (int g = 0; g < G; g++)                                                 \
        _mm512_store_ps(&ST[(c + r) % BK][16 * g], acc[r][g]);                    \
  }

BLOCK(4, 4, 1)
BLOCK(6, 4, 1)
BLOCK(8, 3, 1)
BLOCK(6, 4, 0)

typedef void (*block_fn)(const float *, int);

/* GFLOP/s of `fn` (an R x G block) over key tiles of K (lk keys), for
 * about `seconds`; the best of three passes. */
static double run(block_fn fn, int R, int G, const float *K, long lk, double seconds) {
  double best = 0;
  for (int pass = 0; pass < 3; pass++) {
    long flops = 0;
    double t0 = now(), t;
    do {
      for (long k0 = 0; k0 + BK <= lk; k0 += BK)
        for (int c = 0; c + R <= BK; c += R) {
          fn(K + (k0 + c) * D, c);
          flops += 2L * R * 16 * G * D;
        }
      t = now() - t0;
    } while (t < seconds / 3);
    if (flops / t / 1e9 > best)
      best = flops / t / 1e9;
  }
  g_sink = ST[1][1];
  return best;
}

int main(int argc, char **argv) {
  int json = argc > 1 && strcmp(argv[1], "--json") == 0;
  if (argc == 2 && strcmp(argv[1], "--help") == 0) {
    printf("usage: sattn-microkernel [--json]\nThe CPU step's QK^T register block against "
           "register-only FMA chains, on one thread (bench/microkernel.c).\n");
    return 0;
  }
  if (argc > 2 || (argc == 2 && !json)) {
    fprintf(stderr, "usage: sattn-microkernel [--json]\n");
    return 2;
  }
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) {
    printf(json ? "{\"isa\": \"n/a (no AVX-512)\"}\n" : "n/a: this CPU has no AVX-512\n");
    return 0;
  }
  const long near_keys = 1536, far_keys = 120000;
  float *K = aligned_alloc(64, (size_t)far_keys * D * sizeof(float));
  if (!K) {
    fprintf(stderr, "sattn-microkernel: out of memory\n");
    return 1;
  }
  for (long i = 0; i < far_keys * D; i++)
    K[i] = (float)(i % 7) * 0.01f - 0.03f;
  for (int d = 0; d < D; d++)
    for (int q = 0; q < BQ; q++)
      QT[d][q] = 0.001f * (float)(q - d);
  struct {
    const char *name;
    block_fn fn;
    int R, G;
    long keys;
  } rows[] = {
      {"4x4, K in L2", block_4x41, 4, 4, near_keys},
      {"6x4, K in L2", block_6x41, 6, 4, near_keys},
      {"8x3, K in L2", block_8x31, 8, 3, near_keys},
      {"6x4, far K", block_6x41, 6, 4, far_keys},
      {"6x4, QT in registers", block_6x40, 6, 4, near_keys},
  };
  double pk = peak();
  if (json)
    printf("{\"peak_gflops\": %.1f", pk);
  else
    printf("fp32 FMA peak (16 chains, no loads): %.1f GFLOP/s on 1 thread\n", pk);
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    double g = run(rows[i].fn, rows[i].R, rows[i].G, K, rows[i].keys, 1.5);
    if (json)
      printf(", \"%s\": %.1f", rows[i].name, g);
    else
      printf("%-22s %7.1f GFLOP/s  %3.0f%% of the peak\n", rows[i].name, g, 100 * g / pk);
  }
  if (json)
    printf("}\n");
  double pk2 = peak();
  if (!json && (pk2 > 1.1 * pk || pk2 < 0.9 * pk))
    printf("(the peak moved to %.1f GFLOP/s during the run: a noisy machine)\n", pk2);
  free(K);
  return 0;
}
