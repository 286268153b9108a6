/* This machine's arithmetic peaks, measured (the denominators of the
 * benchmark's ratios): fp32 FMA (vfmadd231ps on zmm with AVX-512, else on
 * ymm with AVX2/FMA: machines differ) and bf16 dot products (vdpbf16ps
 * zmm, 2 bf16 products per f32 lane; n/a without AVX512-BF16), on 1
 * thread and on N,
 * with 16 (zmm) or 12 (ymm) independent accumulator chains per thread (more than the
 * latency x throughput of either instruction, so the loop is bound by the
 * units, not by dependencies).
 *
 *   sattn-peak [--threads N] [--seconds S] [--fp32-only] [--json]
 *
 * --fp32-only measures the fp32 peak on N threads alone (a quarter of the
 * time): the benchmark measures it beside each of its sattn cells, since a
 * shared machine's speed drifts within a run.
 *
 * Prints GFLOP/s (2 flops per FMA lane; 4 per vdpbf16ps lane: two
 * multiplies, two adds) as the best of several timed runs. */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Accumulator chains: 16 zmm of 32 registers; 12 ymm of AVX2's 16 (16
 * chains plus the two operands would spill, and a spilled chain runs at
 * store-to-load latency: the first version of this tool measured half the
 * ymm peak that way). */
enum { CHAINS = 16, CHAINS_YMM = 12 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct job {
  int bf16; /* 0: fp32 FMA zmm, 1: bf16 dot, 2: fp32 FMA ymm */
  long iters;
  float sink;
} job;

/* Every result lands here, so that no loop can be optimised away. */
static volatile float g_sink;

__attribute__((target("avx512f"))) static float fma_loop(long iters) {
  __m512 acc[CHAINS];
  __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
  for (int c = 0; c < CHAINS; c++)
    acc[c] = _mm512_set1_ps((float)c);
  for (long i = 0; i < iters; i++)
#pragma GCC unroll 16
    for (int c = 0; c < CHAINS; c++)
      acc[c] = _mm512_fmadd_ps(acc[c], x, y);
  __m512 s = acc[0];
  for (int c = 1; c < CHAINS; c++)
    s = _mm512_add_ps(s, acc[c]);
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx512f,avx512bf16"))) static float dp_loop(long iters) {
  __m512 acc[CHAINS];
  __m512bh a = (__m512bh)_mm512_set1_epi16(0x3f80), b = (__m512bh)_mm512_set1_epi16(0x3f80);
  for (int c = 0; c < CHAINS; c++)
    acc[c] = _mm512_set1_ps((float)c);
  for (long i = 0; i < iters; i++)
#pragma GCC unroll 16
    for (int c = 0; c < CHAINS; c++)
      acc[c] = _mm512_dpbf16_ps(acc[c], a, b);
  __m512 s = acc[0];
  for (int c = 1; c < CHAINS; c++)
    s = _mm512_add_ps(s, acc[c]);
  return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) static float fma_loop_ymm(long iters) {
  __m256 acc[CHAINS_YMM];
  __m256 x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(0.9999999f);
  for (int c = 0; c < CHAINS_YMM; c++)
    acc[c] = _mm256_set1_ps((float)c);
  for (long i = 0; i < iters; i++)
#pragma GCC unroll 16
    for (int c = 0; c < CHAINS_YMM; c++)
      acc[c] = _mm256_fmadd_ps(acc[c], x, y);
  __m256 s = acc[0];
  for (int c = 1; c < CHAINS_YMM; c++)
    s = _mm256_add_ps(s, acc[c]);
  float out[8];
  _mm256_storeu_ps(out, s);
  return out[0] + out[7];
}

static void *run(void *p) {
  job *j = p;
  j->sink = j->bf16 == 1 ? dp_loop(j->iters) : j->bf16 == 2 ? fma_loop_ymm(j->iters)
                                                              : fma_loop(j->iters);
  g_sink = j->sink;
  return NULL;
}

/* GFLOP/s of `threads` threads running the loop for about `seconds`. */
static double measure(int bf16, int threads, double seconds) {
  long iters = 1 << 16;
  double best = 0;
  /* grow the iteration count until one run takes about seconds / 5 */
  for (;;) {
    job j = {bf16, iters, 0};
    double t0 = now();
    run(&j);
    double dt = now() - t0;
    if (dt > seconds / 5 || iters > (1L << 34))
      break;
    iters *= 2;
  }
  for (int rep = 0; rep < 5; rep++) {
    pthread_t tid[256];
    job jobs[256];
    double t0 = now();
    for (int t = 0; t < threads; t++) {
      jobs[t] = (job){bf16, iters, 0};
      if (t > 0)
        pthread_create(&tid[t], NULL, run, &jobs[t]);
    }
    run(&jobs[0]);
    for (int t = 1; t < threads; t++)
      pthread_join(tid[t], NULL);
    double dt = now() - t0;
    /* lanes x chains x iters per thread; 2 flops (FMA) or 4 (dot) */
    double lanes = bf16 == 2 ? 8 : 16;
    double chains = bf16 == 2 ? CHAINS_YMM : CHAINS;
    double flops = (double)threads * (double)iters * chains * lanes * (bf16 == 1 ? 4 : 2);
    if (flops / dt / 1e9 > best)
      best = flops / dt / 1e9;
  }
  return best;
}

int main(int argc, char **argv) {
  int threads = (int)sysconf(_SC_NPROCESSORS_ONLN), json = 0, fp32_only = 0;
  double seconds = 1.0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
      seconds = atof(argv[++i]);
    } else if (!strcmp(argv[i], "--json")) {
      json = 1;
    } else if (!strcmp(argv[i], "--fp32-only")) {
      fp32_only = 1;
    } else {
      fprintf(stderr, "usage: sattn-peak [--threads N] [--seconds S] [--fp32-only] [--json]\n");
      return 2;
    }
  }
  if (threads < 1 || threads > 256 || !(seconds > 0)) {
    fprintf(stderr, "sattn-peak: --threads must be 1..256 and --seconds positive\n");
    return 2;
  }
  __builtin_cpu_init();
  int zmm = __builtin_cpu_supports("avx512f");
  if (!zmm && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
    fprintf(stderr, "sattn-peak: this CPU has neither AVX-512 nor AVX2/FMA\n");
    return 1;
  }
  int has_bf16 = zmm && __builtin_cpu_supports("avx512bf16");
  int kind = zmm ? 0 : 2;
  if (fp32_only) {
    double fn = measure(kind, threads, seconds);
    if (json)
      printf("{\"threads\": %d, \"isa\": \"%s\", \"fp32_fma_gflops_n\": %.1f}\n", threads,
             zmm ? "avx512" : "avx2", fn);
    else
      printf("fp32 FMA (vfmadd231ps %s, %d chains): %.1f GFLOP/s on %d thread(s)\n",
             zmm ? "zmm" : "ymm", zmm ? CHAINS : CHAINS_YMM, fn, threads);
    return 0;
  }
  double f1 = measure(kind, 1, seconds), fn = measure(kind, threads, seconds);
  double b1 = has_bf16 ? measure(1, 1, seconds) : 0, bn = has_bf16 ? measure(1, threads, seconds) : 0;
  if (json) {
    printf("{\"threads\": %d, \"isa\": \"%s\", \"fp32_fma_gflops_1\": %.1f, "
           "\"fp32_fma_gflops_n\": %.1f, \"bf16_dot_gflops_1\": %s%.1f, "
           "\"bf16_dot_gflops_n\": %.1f}\n",
           threads, zmm ? "avx512" : "avx2", f1, fn, "", b1, bn);
  } else {
    printf("fp32 FMA (vfmadd231ps %s, %d chains): %.1f GFLOP/s on 1 thread, %.1f on %d\n",
           zmm ? "zmm" : "ymm", zmm ? CHAINS : CHAINS_YMM, f1, fn, threads);
    if (has_bf16)
      printf("bf16 dot (vdpbf16ps zmm, %d chains):    %.1f GFLOP/s on 1 thread, %.1f on %d\n",
             CHAINS, b1, bn, threads);
    else
      printf("bf16 dot: n/a (this CPU has no AVX512-BF16)\n");
  }
  return 0;
}
