/* What this CPU allows for bf16 attention: a hand-written FlashAttention-2
 * forward on Intel AMX (tdpbf16ps), dense, bf16 q, k, v, f32 softmax state
 * and output, against the tdpbf16ps peak in the same run. Not sattn's code:
 * the bar its bf16 kernels should reach (they use the FMA path today).
 *
 *   sattn-amx-reference [--dim D] [--seq L] [--threads N] [--natural] [--json]
 *
 * The layout is sattn's CPU step's (codegen/cpu_step.c: queries in lanes),
 * so that the step can take it over:
 *   S^T[k][q] = K . Q^T   A = 16 keys x 32 dims of K as stored, B = Q^T in
 *                         AMX's pair layout: a 32-bit transpose of the query
 *                         tile (sattn's QT pack, bf16 pairs as dwords);
 *   softmax               element-wise over keys (no horizontal reductions),
 *                         P^T written as bf16 with key pairs interleaved (the
 *                         B operand of PV), one vcvtne2ps2bf16 + vpermw per
 *                         two keys;
 *   AT[d][q] += V^T . P^T A = 16 dims x 32 keys of V^T, transposed once per
 *                         call (O(L d), timed with the kernel).
 * --natural accumulates the output in rows instead, with nothing made per
 * call (what a kernel whose V is only its tensor can do):
 *   O[q][d] += P . V      A = P as rows of queries (a 32-bit transpose of
 *                         the key-pair layout), B = V with the rows of each
 *                         key pair interleaved, both made per tile; O
 *                         rescaled row by row.
 * Tiles of 64 queries x 128 keys, 2 x 2 blocks of 16 x 16 accumulators. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define AMX __attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512bf16")))
enum { BQ = 64, BK = 128, DMAX = 256 };

/* op (_tile_loadd or _tile_stored) on tiles 0..3 and the 2 x 2 blocks of
 * 16 x 16 of M from row r, column c (row stride ld bytes) */
#define TILES_2X2(op, M, r, c, ld)                                                  \
  do {                                                                            \
    op(0, &M[r][c], ld);                                                          \
    op(1, &M[r][(c) + 16], ld);                                                   \
    op(2, &M[(r) + 16][c], ld);                                                   \
    op(3, &M[(r) + 16][(c) + 16], ld);                                            \
  } while (0)

typedef struct {
  uint8_t palette, start, reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
} tile_config;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint16_t to_bf16(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return (uint16_t)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

static float from_bf16(uint16_t b) {
  uint32_t u = (uint32_t)b << 16;
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* AMX-TILE and AMX-BF16 (CPUID 7.0 EDX bits 24, 22), then the kernel's
 * permission for the tile data (Linux: arch_prctl ARCH_REQ_XCOMP_PERM). */
static const char *amx_unavailable(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(d & (1u << 24)) || !(d & (1u << 22)))
    return "this CPU has no AMX-BF16";
  if (!(b & (1u << 16)) || !__get_cpuid_count(7, 1, &a, &b, &c, &d) || !(a & (1u << 5)))
    return "this CPU has no AVX512-BF16"; /* 7.0 EBX 16: AVX-512F; 7.1 EAX 5: BF16 */
  if (syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18 /* XTILEDATA */))
    return "the kernel refused the AMX tile data (arch_prctl)";
  return NULL;
}

AMX static void configure_tiles(void) {
  tile_config c;
  memset(&c, 0, sizeof c);
  c.palette = 1;
  for (int t = 0; t < 8; t++)
    c.colsb[t] = 64, c.rows[t] = 16;
  _tile_loadconfig(&c);
}

/* 2^x, x <= 0: scalef(poly5(x - round x), round x). */
AMX static inline __m512 exp2v(__m512 x) {
  x = _mm512_max_ps(x, _mm512_set1_ps(-127.f));
  __m512 n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 f = _mm512_sub_ps(x, n), p = _mm512_set1_ps(1.3333558e-3f);
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(9.6181291e-3f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(5.5504109e-2f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(2.4022651e-1f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(6.9314718e-1f));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
  return _mm512_scalef_ps(p, n);
}

/* 16 x 16 transpose of 32-bit lanes in registers */
AMX static void tr16(__m512 *r) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xee);
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xee);
  }
  for (int i = 0; i < 8; i++) {
    int a = (i / 4) * 8 + (i % 4);
    t[a] = _mm512_shuffle_f32x4(r[a], r[a + 4], 0x88);
    t[a + 4] = _mm512_shuffle_f32x4(r[a], r[a + 4], 0xdd);
  }
  for (int i = 0; i < 4; i++) {
    r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
    r[i + 4] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0x88);
    r[i + 12] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0xdd);
  }
}

typedef struct {
  int L, D, t0, t1; /* query tiles t0 .. t1 - 1 */
  const uint16_t *q, *k, *vt, *v;
  float *out;
  int natural; /* O in rows (P transposed, V pairs per tile), else AT (V^T per call) */
} job;

/* The query tiles of one thread. */
AMX static void *attention_tiles(void *arg) {
  const job *j = arg;
  int L = j->L, D = j->D;
  static _Thread_local uint32_t QTv[DMAX / 2][BQ] __attribute__((aligned(64)));
  static _Thread_local float ST[BK][BQ] __attribute__((aligned(64)));
  static _Thread_local uint32_t PTv[BK / 2][BQ] __attribute__((aligned(64)));
  static _Thread_local float AT[DMAX][BQ] __attribute__((aligned(64)));
  static _Thread_local float ON[BQ][DMAX] __attribute__((aligned(64)));
  static _Thread_local uint32_t PN[BQ][BK / 2] __attribute__((aligned(64)));
  static _Thread_local uint16_t VV[BK / 2][2 * DMAX] __attribute__((aligned(64)));
  __m512i lo_i = _mm512_set_epi16(47,15,46,14,45,13,44,12,43,11,42,10,41,9,40,8,39,7,38,6,37,5,36,4,35,3,34,2,33,1,32,0);
  __m512i hi_i = _mm512_set_epi16(63,31,62,30,61,29,60,28,59,27,58,26,57,25,56,24,55,23,54,22,53,21,52,20,51,19,50,18,49,17,48,16);

  configure_tiles();
  const float c = (float)(1.4426950408889634 / sqrt((double)D));
  const __m512i pairs = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9,
                                         24, 8, 23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1,
                                         16, 0);
  const uint32_t *q32 = (const uint32_t *)j->q;
  for (int q0 = j->t0 * BQ; q0 < j->t1 * BQ; q0 += BQ) {
    for (int i = 0; i < D / 2; i++)
      for (int n = 0; n < BQ; n++)
        QTv[i][n] = q32[(size_t)(q0 + n) * (size_t)(D / 2) + (size_t)i];
    __m512 m[4], l[4];
    for (int g = 0; g < 4; g++)
      m[g] = _mm512_set1_ps(-INFINITY), l[g] = _mm512_setzero_ps();
    if (j->natural)
      memset(ON, 0, sizeof ON);
    else
      memset(AT, 0, sizeof AT);
    for (int k0 = 0; k0 < L; k0 += BK) {
      const uint16_t *kt = j->k + (size_t)k0 * (size_t)D;
      for (int kb = 0; kb < BK / 32; kb++)
        for (int qb = 0; qb < 2; qb++) {
          _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
          for (int dc = 0; dc < D / 32; dc++) {
            _tile_loadd(4, kt + (size_t)(kb * 32) * (size_t)D + dc * 32, D * 2);
            _tile_loadd(5, kt + (size_t)(kb * 32 + 16) * (size_t)D + dc * 32, D * 2);
            _tile_loadd(6, &QTv[dc * 16][qb * 32], BQ * 4);
            _tile_loadd(7, &QTv[dc * 16][qb * 32 + 16], BQ * 4);
            _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7);
            _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
          }
          TILES_2X2(_tile_stored, ST, kb * 32, qb * 32, BQ * 4);
        }
      __m512 corr[4];
      for (int g = 0; g < 4; g++) {
        __m512 mx = m[g], cv = _mm512_set1_ps(c), sum = _mm512_setzero_ps();
        for (int x = 0; x < BK; x++)
          mx = _mm512_max_ps(mx, _mm512_mul_ps(_mm512_load_ps(&ST[x][16 * g]), cv));
        corr[g] = exp2v(_mm512_sub_ps(m[g], mx));
        m[g] = mx;
        for (int x = 0; x < BK; x += 2) {
          __m512 p0 = exp2v(_mm512_fmsub_ps(_mm512_load_ps(&ST[x][16 * g]), cv, mx));
          __m512 p1 = exp2v(_mm512_fmsub_ps(_mm512_load_ps(&ST[x + 1][16 * g]), cv, mx));
          sum = _mm512_add_ps(sum, _mm512_add_ps(p0, p1));
          __m512i b = (__m512i)_mm512_cvtne2ps_pbh(p1, p0);
          _mm512_store_si512(&PTv[x / 2][16 * g], _mm512_permutexvar_epi16(pairs, b));
        }
        l[g] = _mm512_fmadd_ps(l[g], corr[g], sum);
      }
      if (j->natural) {
        /* P as rows of queries: 16 x 16 dword transposes of PTv */
        for (int kb = 0; kb < BK / 32; kb++)
          for (int g = 0; g < 4; g++) {
            __m512 r[16];
            for (int i = 0; i < 16; i++) r[i] = _mm512_load_ps((const float *)&PTv[kb * 16 + i][16 * g]);
            tr16(r);
            for (int i = 0; i < 16; i++) _mm512_store_ps((float *)&PN[16 * g + i][kb * 16], r[i]);
          }
        /* V with key pairs interleaved: VV[kp][2n + j] = V[k0 + 2kp + j][n] */
        const uint16_t *vk = j->v + (size_t)k0 * (size_t)D;
        for (int kp = 0; kp < BK / 2; kp++)
          for (int d0 = 0; d0 < D; d0 += 32) {
            __m512i a = _mm512_loadu_si512(vk + (size_t)(2 * kp) * D + d0);
            __m512i b = _mm512_loadu_si512(vk + (size_t)(2 * kp + 1) * D + d0);
            _mm512_store_si512(&VV[kp][2 * d0], _mm512_permutex2var_epi16(a, lo_i, b));
            _mm512_store_si512(&VV[kp][2 * d0 + 32], _mm512_permutex2var_epi16(a, hi_i, b));
          }
        float cr[BQ];
        for (int g = 0; g < 4; g++) _mm512_storeu_ps(&cr[16 * g], corr[g]);
        for (int n = 0; n < BQ; n++) {
          __m512 c1 = _mm512_set1_ps(cr[n]);
          for (int d = 0; d < D; d += 16) _mm512_store_ps(&ON[n][d], _mm512_mul_ps(_mm512_load_ps(&ON[n][d]), c1));
        }
        for (int qb = 0; qb < 2; qb++)
          for (int db = 0; db < D / 32; db++) {
            TILES_2X2(_tile_loadd, ON, qb * 32, db * 32, DMAX * 4);
            for (int kc = 0; kc < BK / 32; kc++) {
              _tile_loadd(4, &PN[qb * 32][kc * 16], (BK / 2) * 4);
              _tile_loadd(5, &PN[qb * 32 + 16][kc * 16], (BK / 2) * 4);
              _tile_loadd(6, &VV[kc * 16][2 * db * 32], 2 * DMAX * 2);
              _tile_loadd(7, &VV[kc * 16][2 * db * 32 + 32], 2 * DMAX * 2);
              _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7);
              _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
            }
            TILES_2X2(_tile_stored, ON, qb * 32, db * 32, DMAX * 4);
          }
      } else {
        for (int d = 0; d < D; d++)
          for (int g = 0; g < 4; g++)
            _mm512_store_ps(&AT[d][16 * g], _mm512_mul_ps(_mm512_load_ps(&AT[d][16 * g]), corr[g]));
        for (int db = 0; db < D / 32; db++)
          for (int qb = 0; qb < 2; qb++) {
            TILES_2X2(_tile_loadd, AT, db * 32, qb * 32, BQ * 4);
            for (int kc = 0; kc < BK / 32; kc++) {
              _tile_loadd(4, j->vt + (size_t)(db * 32) * (size_t)L + k0 + kc * 32, L * 2);
              _tile_loadd(5, j->vt + (size_t)(db * 32 + 16) * (size_t)L + k0 + kc * 32, L * 2);
              _tile_loadd(6, &PTv[kc * 16][qb * 32], BQ * 4);
              _tile_loadd(7, &PTv[kc * 16][qb * 32 + 16], BQ * 4);
              _tile_dpbf16ps(0, 4, 6); _tile_dpbf16ps(1, 4, 7);
              _tile_dpbf16ps(2, 5, 6); _tile_dpbf16ps(3, 5, 7);
            }
            TILES_2X2(_tile_stored, AT, db * 32, qb * 32, BQ * 4);
          }
      }
    }
    float lv[BQ];
    for (int g = 0; g < 4; g++)
      _mm512_storeu_ps(&lv[16 * g], l[g]);
    for (int n = 0; n < BQ; n++)
      for (int d = 0; d < D; d++)
        j->out[(size_t)(q0 + n) * (size_t)D + (size_t)d] = (j->natural ? ON[n][d] : AT[d][n]) / lv[n];
  }
  _tile_release();
  return NULL;
}

/* One call: V transposed, then the query tiles over `threads` threads. */
static int attention(int L, int D, int threads, int natural, const uint16_t *q,
                     const uint16_t *k, const uint16_t *v, uint16_t *vt, float *out) {
  for (int x = 0; x < L && !natural; x++)
    for (int d = 0; d < D; d++)
      vt[(size_t)d * (size_t)L + (size_t)x] = v[(size_t)x * (size_t)D + (size_t)d];
  pthread_t th[64];
  job jobs[64];
  int tiles = L / BQ;
  for (int t = 0; t < threads; t++) {
    jobs[t] = (job){L, D, tiles * t / threads, tiles * (t + 1) / threads, q, k, vt, v, out, natural};
    if (t > 0 && pthread_create(&th[t], NULL, attention_tiles, &jobs[t]))
      return -1;
  }
  attention_tiles(&jobs[0]);
  for (int t = 1; t < threads; t++)
    pthread_join(th[t], NULL);
  return 0;
}

/* tdpbf16ps alone: 4 independent accumulators, no loads. */
AMX static double amx_peak(void) {
  static uint16_t a[16 * 32] __attribute__((aligned(64)));
  for (int x = 0; x < 16 * 32; x++)
    a[x] = 0x3c00; /* 2^-7 */
  configure_tiles();
  _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
  _tile_loadd(4, a, 64); _tile_loadd(5, a, 64); _tile_loadd(6, a, 64); _tile_loadd(7, a, 64);
  long n = 5000000;
  double t = now();
  for (long x = 0; x < n; x++) {
    _tile_dpbf16ps(0, 4, 5); _tile_dpbf16ps(1, 4, 7);
    _tile_dpbf16ps(2, 6, 5); _tile_dpbf16ps(3, 6, 7);
  }
  t = now() - t;
  _tile_release();
  return 4.0 * (double)n * 16 * 16 * 32 * 2 / t / 1e9;
}

static int usage(FILE *f, int status) {
  fprintf(f, "usage: sattn-amx-reference [--dim D] [--seq L] [--threads N] [--natural] [--json]\n"
             "  D: a multiple of 32 up to %d (default 128); L: a multiple of %d (default 8192);\n"
             "  N: 1 to 64 (default 1). Dense bf16 attention on AMX, hand-written\n"
             "  (bench/amx_reference.c), against the tdpbf16ps peak. --natural: the\n"
             "  output accumulated in rows (P transposed and V's key pairs interleaved\n"
             "  per tile) instead of transposed with V^T made once per call.\n",
          DMAX, BK);
  return status;
}

static int parse_int(const char *flag, const char *text, int lo, int hi, int *out) {
  char *end;
  long x = text ? strtol(text, &end, 10) : 0;
  if (!text || *end || x < lo || x > hi) {
    fprintf(stderr, "sattn-amx-reference: %s wants an integer in [%d, %d], got '%s'\n", flag, lo,
            hi, text ? text : "");
    return -1;
  }
  *out = (int)x;
  return 0;
}

int main(int argc, char **argv) {
  int D = 128, L = 8192, threads = 1, json = 0, natural = 0;
  for (int a = 1; a < argc; a++) {
    if (!strcmp(argv[a], "--json"))
      json = 1;
    else if (!strcmp(argv[a], "--natural"))
      natural = 1;
    else if (!strcmp(argv[a], "--help"))
      return usage(stdout, 0);
    else if (!strcmp(argv[a], "--dim") || !strcmp(argv[a], "--seq") ||
             !strcmp(argv[a], "--threads")) {
      const char *flag = argv[a], *v = a + 1 < argc ? argv[++a] : NULL;
      int *dst = flag[2] == 'd' ? &D : flag[2] == 's' ? &L : &threads;
      if (parse_int(flag, v, 1, dst == &L ? 1 << 20 : dst == &D ? DMAX : 64, dst))
        return 2;
    } else {
      fprintf(stderr, "sattn-amx-reference: unknown argument '%s'\n", argv[a]);
      return usage(stderr, 2);
    }
  }
  if (D % 32 || L % BK) {
    fprintf(stderr, "sattn-amx-reference: --dim must be a multiple of 32, --seq of %d\n", BK);
    return 2;
  }
  const char *why = amx_unavailable();
  if (why) {
    printf(json ? "{\"amx\": \"n/a (%s)\"}\n" : "n/a: %s\n", why);
    return 0;
  }
  size_t n = (size_t)L * (size_t)D;
  uint16_t *q = malloc(n * 2), *k = malloc(n * 2), *v = malloc(n * 2), *vt = malloc(n * 2);
  float *out = malloc(n * 4);
  if (!q || !k || !v || !vt || !out) {
    fprintf(stderr, "sattn-amx-reference: out of memory for L = %d, d = %d\n", L, D);
    return 1;
  }
  srand((unsigned)time(NULL));
  for (size_t x = 0; x < n; x++) {
    q[x] = to_bf16((float)rand() / (float)RAND_MAX - 0.5f);
    k[x] = to_bf16((float)rand() / (float)RAND_MAX - 0.5f);
    v[x] = to_bf16((float)rand() / (float)RAND_MAX - 0.5f);
    out[x] = NAN;
  }
  double peak = amx_peak(), best = 1e30;
  for (int r = 0; r < 3; r++) {
    double t = now();
    if (attention(L, D, threads, natural, q, k, v, vt, out)) {
      fprintf(stderr, "sattn-amx-reference: cannot start %d threads\n", threads);
      return 1;
    }
    t = now() - t;
    best = t < best ? t : best;
  }
  /* 16 rows spread over L against float64 (bf16 P: ~1e-3 relative) */
  double worst = 0, *p = malloc(sizeof *p * (size_t)L);
  for (int i = 0; p && i < L; i += L / 16) {
    double mx = -INFINITY, s = 0;
    for (int x = 0; x < L; x++) {
      double dot = 0;
      for (int d = 0; d < D; d++)
        dot += (double)from_bf16(q[(size_t)i * D + d]) * from_bf16(k[(size_t)x * D + d]);
      p[x] = dot / sqrt((double)D);
      mx = p[x] > mx ? p[x] : mx;
    }
    for (int x = 0; x < L; x++)
      s += p[x] = exp(p[x] - mx);
    for (int d = 0; d < D; d++) {
      double o = 0;
      for (int x = 0; x < L; x++)
        o += p[x] * from_bf16(v[(size_t)x * D + d]);
      double e = fabs(o / s - out[(size_t)i * D + d]) / (fabs(o / s) + 1e-2);
      worst = isnan(e) || e > worst ? (isnan(e) ? INFINITY : e) : worst;
    }
  }
  free(p);
  double g = 4.0 * L * (double)L * D / best / 1e9;
  if (json)
    printf("{\"dim\": %d, \"seq\": %d, \"threads\": %d, \"natural\": %d, \"gflops\": %.1f, "
           "\"amx_peak_gflops_1\": %.1f, \"max_rel_error\": %.3g}\n",
           D, L, threads, natural, g, peak, worst);
  else
    printf("dense bf16 attention on AMX, d = %d, L = %d, %d thread(s): %.1f GFLOP/s\n"
           "tdpbf16ps peak (one thread, no loads): %.1f GFLOP/s; max rel. error %.2g\n",
           D, L, threads, g, peak, worst);
  free(q), free(k), free(v), free(vt), free(out);
  return worst < 2e-2 ? 0 : 1;
}
