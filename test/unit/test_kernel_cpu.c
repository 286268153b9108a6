/* CPU kernels end to end: pattern-language source -> sattn IR -> kernel
 * (codegen/kernel_cpu.c) -> LLVM -> JIT -> run on the runtime's thread pool
 * -> compared with the float64 oracle (out and lse), on fresh random inputs
 * with outputs poisoned (NaN) before each run. Shapes cover GQA, batch > 1,
 * Lq < Lk, Lq > Lk, L not a multiple of the query tile, and head groups.
 * SATTN_TEST_SEED=N replays a run. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "cpu_target.h"
#include "harness.h"
#include "jit_kernel.h"
#include "lang.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir_diag.h"
#include "oracle.h"
#include "sattn_rt.h"
#include "to_oracle.h"

static uint64_t state;
static double urand(void) { /* uniform in [-1, 1) */
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return (double)((state * 0x2545F4914F6CDD1DULL) >> 11) / 4503599627370496.0 - 1.0;
}

typedef struct shape {
  int64_t B, Hq, Hkv, Lq, Lk, D;
} shape;

static void print_diag(void *user, const sattn_diag *d) {
  printf("  %s:%u:%u: %s: %s\n", d->file ? d->file : "", d->loc.line, d->loc.col,
         diag_severity_name(d->severity), d->message);
}

static long g_cases;
static int g_nsplit; /* key splits forced on the runtime (0: its choice) */
static bool g_dim_outer; /* tensors laid out [B, H, D, L]: head_dim stride L */
static bool g_chosen_tiles; /* the compiler's tile sizes on every run */
static double g_key_gain; /* key j scaled by 2^(gain j / Lk) (0: not) */

/* Copies the compact [B, H, L, D] tensor src (elements of es bytes) into
 * dst laid out [B, H, D, L] (to_outer), or back. */
static void relayout(void *dst, const void *src, const int64_t *sh, size_t es, bool to_outer) {
  for (int64_t bh = 0; bh < sh[0] * sh[1]; bh++)
    for (int64_t i = 0; i < sh[2]; i++)
      for (int64_t d = 0; d < sh[3]; d++) {
        size_t c = (size_t)((bh * sh[2] + i) * sh[3] + d), o = (size_t)((bh * sh[3] + d) * sh[2] + i);
        memcpy((char *)dst + (to_outer ? o : c) * es, (const char *)src + (to_outer ? c : o) * es, es);
      }
}

/* Compiles `kernel_src` (one kernel named k), runs it on shape s and
 * compares with the oracle. */
static void check_kernel(MlirContext ctx, sattn_pool *pool, const char *kernel_src,
                         shape s, sattn_dtype dt) {
  diag_sink sink = {print_diag, NULL, 0, 0};
  lang_options lo = {0};
  lang_unit u;
  bool ok = lang_compile(&u, ctx, "k.sattn", kernel_src, strlen(kernel_src), &lo, &sink);
  CHECK(ok);
  if (!ok) {
    printf("  source: %s\n", kernel_src);
    lang_unit_destroy(&u);
    return;
  }
  MlirOperation kfunc = {NULL};
  for (MlirOperation op = mlirBlockGetFirstOperation(mlirModuleGetBody(u.module));
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op))
    kfunc = op; /* kernels come after patterns */
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, &sink);
  /* Tile sizes vary between runs: small powers of two, sizes that divide
   * nothing, and {0, 0}: chosen by the compiler (codegen/tile_choice.c;
   * two parts may then get different block_k). */
  static const int64_t tiles[][2] = {{16, 16}, {32, 64}, {7, 13}, {1, 5}, {64, 8}, {0, 0}};
  static int next_tiles;
  const int64_t *bs = g_chosen_tiles ? tiles[5] : tiles[next_tiles++ % 6];
  jit_kernel jk;
  ok = jit_kernel_create(ctx, kfunc, "k", bs[0], bs[1], &jk);
  mlir_diag_detach(ctx, h);
  CHECK(ok);
  if (!ok)
    goto done;
  kernel_cpu_info info = jk.info;
  sattn_cpu_item_fn item = (sattn_cpu_item_fn)jk.item;
  size_t nq = (size_t)(s.B * s.Hq * s.Lq * s.D), nk = (size_t)(s.B * s.Hkv * s.Lk * s.D);
  size_t nl = (size_t)(s.B * s.Hq * s.Lq), es = dt == SATTN_F32 ? 4 : 2;
  /* q, k, v in the kernel's dtype; qf, kf, vf the same values as float. */
  void *q = malloc(nq * es), *k = malloc(nk * es), *v = malloc(nk * es);
  void *out = malloc(nq * es);
  float *qf = malloc(nq * 4), *kf = malloc(nk * 4), *vf = malloc(nk * 4);
  float *lse = malloc(nl * 4);
  double *ref = malloc(nq * 8), *ref_lse = malloc(nl * 8);
  for (size_t x = 0; x < nq; x++)
    qf[x] = sattn_store_f32(dt, q, x, (float)urand());
  for (size_t x = 0; x < nk; x++) {
    double j = (double)((x / (size_t)s.D) % (size_t)s.Lk);
    kf[x] = sattn_store_f32(dt, k, x, (float)(urand() * exp2(g_key_gain * j / (double)s.Lk)));
    vf[x] = sattn_store_f32(dt, v, x, (float)urand());
  }
  memset(out, 0xff, nq * es); /* poison: NaN in every dtype */
  for (size_t x = 0; x < nl; x++)
    lse[x] = NAN;
  int64_t qs[4] = {s.B, s.Hq, s.Lq, s.D}, ks[4] = {s.B, s.Hkv, s.Lk, s.D},
          ls[3] = {s.B, s.Hq, s.Lq};
  DLTensor tq = sattn_tensor_cpu(q, 4, qs, SATTN_F32), tk = sattn_tensor_cpu(k, 4, ks, SATTN_F32), tv = sattn_tensor_cpu(v, 4, ks, SATTN_F32),
           to = sattn_tensor_cpu(out, 4, qs, SATTN_F32), tl = sattn_tensor_cpu(lse, 3, ls, SATTN_F32);
  tq.dtype = tk.dtype = tv.dtype = to.dtype = sattn_dtype_dlpack(dt);
  CHECK(info.dtype == (int)dt);
  sattn_cpu_kernel kern = {"k", dt, info.head_dim, info.block_q, item, info.heads_end,
                          info.lattice, (sattn_cpu_item_fn)jk.item1, info.lattice1,
                          info.rows1_begin, info.rows1_end, info.amx};
  /* The innermost stride is not 1: the runtime runs on compact copies and
   * writes out back through its strides. */
  void *qo = NULL, *ko = NULL, *vo = NULL, *oo = NULL;
  int64_t qst[4] = {s.Hq * s.D * s.Lq, s.D * s.Lq, 1, s.Lq},
          kst[4] = {s.Hkv * s.D * s.Lk, s.D * s.Lk, 1, s.Lk};
  if (g_dim_outer) {
    qo = malloc(nq * es), ko = malloc(nk * es), vo = malloc(nk * es), oo = malloc(nq * es);
    relayout(qo, q, qs, es, true);
    relayout(ko, k, ks, es, true);
    relayout(vo, v, ks, es, true);
    memset(oo, 0xff, nq * es);
    tq.data = qo, tk.data = ko, tv.data = vo, to.data = oo;
    tq.strides = qst, to.strides = qst, tk.strides = kst, tv.strides = kst;
  }
  sattn_error err = {0};
  sattn_status st = sattn_cpu_run_split(&kern, pool, &tq, &tk, &tv, &to, &tl, g_nsplit, &err);
  if (g_dim_outer) {
    relayout(out, oo, qs, es, false);
    free(qo), free(ko), free(vo), free(oo);
  }
  CHECK(st == SATTN_OK);
  if (st)
    printf("  %s\n", err.message);
  /* The oracle, with the kernel's own resolved masks and groups. */
  const sem_kernel *sk = u.prog->kernels;
  orc_node *masks[64];
  for (size_t g = 0; g < sk->ngroups; g++)
    masks[g] = sem_to_oracle(sk->masks[g]);
  orc_dims dims = {s.B, s.Hq, s.Hkv, s.Lq, s.Lk, s.D};
  CHECK(orc_attention(&dims, qf, kf, vf, sk->scale, (const orc_node *const *)masks,
                      sk->ngroups > 1 ? sk->group_starts : NULL, sk->ngroups, ref,
                      ref_lse) == 0);
  double num = 0, den = 0;
  int unwritten = 0, lse_bad = 0;
  for (size_t x = 0; x < nq; x++) {
    double o = sattn_load_f32(dt, out, x);
    unwritten += isnan(o);
    num += (o - ref[x]) * (o - ref[x]);
    den += ref[x] * ref[x];
  }
  for (size_t x = 0; x < nl; x++) {
    if (isinf(ref_lse[x]))
      lse_bad += !(isinf(lse[x]) && lse[x] < 0);
    else
      lse_bad += !(fabs(lse[x] - ref_lse[x]) <= 1e-5 * (1 + fabs(ref_lse[x])));
  }
  /* f32: 1e-5; bf16/f16 inputs and outputs: 1e-2 (ARCHITECTURE.md). */
  double rel = den > 0 ? sqrt(num / den) : sqrt(num), tol = dt == SATTN_F32 ? 1e-5 : 1e-2;
  CHECK(unwritten == 0);
  CHECK(rel < tol);
  CHECK(lse_bad == 0);
  if (unwritten || !(rel < tol) || lse_bad)
    printf("  %s\n  shape B=%lld Hq=%lld Hkv=%lld Lq=%lld Lk=%lld D=%lld: rel %.3g, "
           "%d unwritten, %d bad lse\n", kernel_src, (long long)s.B, (long long)s.Hq,
           (long long)s.Hkv, (long long)s.Lq, (long long)s.Lk, (long long)s.D, rel,
           unwritten, lse_bad);
  g_cases++;
  for (size_t g = 0; g < sk->ngroups; g++)
    orc_node_destroy(masks[g]);
  free(q), free(k), free(v), free(out), free(lse), free(ref), free(ref_lse);
  free(qf), free(kf), free(vf);
  jit_kernel_destroy(&jk);
done:
  lang_unit_destroy(&u);
}

static const char *const patterns[] = {
    "full", "causal", "window(5)", "window(left=7, right=0)", "local(1, block=8)",
    "dilated(3, 2)", "stride(4)", "summary(8, 2)", "global(0, 9)", "global(first=3)",
    "window(4) | global(0)",                                  /* Longformer */
    "local(1, block=8) | global(first=8)",                    /* BigBird, no random */
    "causal & (window(left=8, right=0) | stride(8))",         /* strided */
    "causal & (local(0, block=8) | summary(8, 2))",           /* fixed */
    "causal & window(left=12, right=0)",                      /* Mistral SWA */
    "causal - window(left=10, right=0)",                      /* empty rows */
    "full - full",                                            /* all empty */
    "random(2, block=8, seed=3)",
    "local(1, block=8) | global(first=8) | random(3, block=8, seed=7)", /* BigBird */
    "local(0, block=4) | random(2, block=4, seed=11, per_head=true)",
    "causal & stride(5)",                                     /* residue classes */
    "dilated(2, 7) & causal",                                 /* residue classes */
};

static const shape shapes[] = {
    {2, 4, 2, 37, 37, 16}, /* GQA, batch 2, L not a multiple of 16 */
    {1, 2, 2, 20, 45, 32}, /* Lq < Lk */
    {1, 2, 1, 45, 20, 80}, /* Lq > Lk, MQA, d = 80 */
    {1, 1, 1, 64, 64, 128},
    {2, 3, 3, 50, 50, 64},
    {1, 2, 2, 1, 77, 64},  /* decoding: one query */
    {1, 2, 1, 9, 1, 32},   /* one key */
};

/* A fresh random shape: GQA groups, Lq and Lk independently 1..96. */
static shape random_shape(void) {
  static const int64_t dims[] = {32, 64, 80, 128};
  int64_t hkv = 1 + (int64_t)((urand() + 1) * 1.5), g = 1 + (int64_t)((urand() + 1) * 1.5);
  return (shape){1 + (urand() > 0), hkv * g, hkv, 1 + (int64_t)((urand() + 1) * 48),
                 1 + (int64_t)((urand() + 1) * 48), dims[(int)((urand() + 1) * 2) % 4]};
}

static MlirContext g_ctx;
static sattn_pool *g_pool;

static void every_static_pattern_matches_the_oracle(void) {
  for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++)
    for (size_t s = 0; s <= sizeof shapes / sizeof *shapes; s++) {
      shape sh = s < sizeof shapes / sizeof *shapes ? shapes[s] : random_shape();
      char src[512];
      snprintf(src, sizeof src, "kernel k { pattern = %s; head_dim = %lld; lse = true }",
               patterns[p], (long long)sh.D);
      check_kernel(g_ctx, g_pool, src, sh, SATTN_F32);
    }
}

static void head_groups_use_their_own_patterns(void) {
  const char *src = "kernel k { pattern[0:2] = causal; pattern[2:3] = window(3) | global(0);"
                    " pattern[3:] = stride(3); head_dim = 32; lse = true }";
  check_kernel(g_ctx, g_pool, src, (shape){2, 4, 2, 29, 29, 32}, SATTN_F32);
  check_kernel(g_ctx, g_pool, src, (shape){1, 6, 3, 17, 33, 32}, SATTN_F32);
}

static void closed_head_groups_need_that_many_heads(void) {
  /* pattern[0:2], pattern[2:4]: exactly 4 heads. */
  const char *src = "kernel k { pattern[0:2] = causal; pattern[2:4] = window(1); head_dim = 16 }";
  check_kernel(g_ctx, g_pool, src, (shape){1, 4, 2, 9, 9, 16}, SATTN_F32);
  diag_sink sink = {NULL, NULL, 0, 0};
  lang_options lo = {0};
  lang_unit u;
  CHECK(lang_compile(&u, g_ctx, "k.sattn", src, strlen(src), &lo, &sink));
  jit_kernel jk;
  CHECK(jit_kernel_create(g_ctx, jit_find_kernel(u.module, "k"), "k", 16, 16, &jk));
  CHECK(jk.info.heads_end == 4);
  sattn_cpu_kernel kern = {"k", SATTN_F32, 16, 16, (sattn_cpu_item_fn)jk.item, jk.info.heads_end,
                          jk.info.lattice, NULL, 1, 0, 0, jk.info.amx};
  float buf[8 * 9 * 16];
  int64_t qs[4] = {1, 8, 9, 16};
  DLTensor t = sattn_tensor_cpu(buf, 4, qs, SATTN_F32);
  sattn_error err = {0};
  CHECK(sattn_cpu_run(&kern, g_pool, &t, &t, &t, &t, NULL, &err) == SATTN_ERR_SHAPE);
  CHECK(strstr(err.message, "q: 8 heads, but kernel 'k' has patterns for heads 0..3") != NULL);
  jit_kernel_destroy(&jk);
  lang_unit_destroy(&u);
}

static void explicit_scale_is_used(void) {
  check_kernel(g_ctx, g_pool, "kernel k { pattern = causal; head_dim = 16; scale = 0.7 }",
               (shape){1, 2, 2, 21, 21, 16}, SATTN_F32);
}

/* bf16 and f16 inputs: f32 accumulation, outputs rounded to the dtype. */
static void half_precision_inputs_match_the_oracle(void) {
  static const char *const dts[] = {"bf16", "f16"};
  static const sattn_dtype codes[] = {SATTN_BF16, SATTN_F16};
  for (int t = 0; t < 2; t++)
    for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p += 3)
      for (size_t s = 0; s < 3; s++) {
        char src[512];
        snprintf(src, sizeof src,
                 "kernel k { pattern = %s; dtype = %s; head_dim = %lld; lse = true }",
                 patterns[p], dts[t], (long long)shapes[s].D);
        check_kernel(g_ctx, g_pool, src, shapes[s], codes[t]);
      }
}

/* Split-K: the keys of every work item split over several items, the
 * partial results merged by their lse; forced here at small sizes (the
 * runtime splits on its own only for long keys and few work items). */
static void key_splits_merge_exactly(void) {
  static const char *const split_patterns[] = {
      "causal", "window(4) | global(0)", "causal & (local(0, block=8) | summary(8, 2))",
      "causal & stride(3)", "causal - window(left=10, right=0)", "full - full",
      "local(1, block=8) | random(3, block=8, seed=7)"};
  static const shape split_shapes[] = {
      {1, 2, 2, 1, 150, 32},  /* decoding */
      {1, 3, 1, 4, 301, 64},  /* a few queries, MQA */
      {2, 2, 2, 40, 90, 16},  /* several query tiles */
  };
  static const int splits[] = {2, 3, 7};
  for (size_t p = 0; p < sizeof split_patterns / sizeof *split_patterns; p++)
    for (size_t s = 0; s < sizeof split_shapes / sizeof *split_shapes; s++) {
      g_nsplit = splits[(p + s) % 3];
      char src[512];
      snprintf(src, sizeof src,
               "kernel k { pattern = %s; head_dim = %lld; lse = true; dtype = %s }",
               split_patterns[p], (long long)split_shapes[s].D, p % 2 ? "bf16" : "f32");
      check_kernel(g_ctx, g_pool, src, split_shapes[s], p % 2 ? SATTN_BF16 : SATTN_F32);
    }
  g_nsplit = 0;
  /* More splits than key tiles: the extra splits are empty. */
  g_nsplit = 64;
  check_kernel(g_ctx, g_pool, "kernel k { pattern = causal; head_dim = 16; lse = true }",
               (shape){1, 1, 1, 1, 20, 16}, SATTN_F32);
  g_nsplit = 0;
}

/* Thousands of key tiles per row: the online softmax's corrections must not
 * drift (a correction of 1 + 2^-23 per step once biased the lse by
 * ~1e-3 here). Every tile size of the cycle. */
static void long_rows_keep_their_lse(void) {
  for (int t = 0; t < 6; t++)
    check_kernel(g_ctx, g_pool, "kernel k { pattern = full; head_dim = 16; lse = true }",
                 (shape){1, 1, 1, 3, 40000, 16}, SATTN_F32);
}

/* q, k, v and out with the head dimension outermost (stride Lq or Lk):
 * the kernels take a unit innermost stride, the runtime copies. */
static void head_dim_outer_layouts_are_copied(void) {
  g_dim_outer = true;
  check_kernel(g_ctx, g_pool, "kernel k { pattern = causal; head_dim = 32; lse = true }",
               (shape){2, 2, 1, 70, 90, 32}, SATTN_F32);
  check_kernel(g_ctx, g_pool,
               "kernel k { pattern = window(8) | global(0); head_dim = 16; lse = true; dtype = bf16 }",
               (shape){1, 3, 3, 50, 50, 16}, SATTN_BF16);
  g_nsplit = 3;
  check_kernel(g_ctx, g_pool, "kernel k { pattern = full; head_dim = 16; lse = true }",
               (shape){1, 1, 1, 2, 300, 16}, SATTN_F32);
  g_nsplit = 0;
  g_dim_outer = false;
}

/* A tile holding at most half its rows (the last of a sequence, the short
 * residue classes of a lattice) runs on half the query vectors
 * (codegen/cpu_step.c): the compiler's tiles, lengths that leave such
 * tiles, and tiles just over half for the other branch. */
static void short_tiles_match_the_oracle(void) {
  static const char *const pats[] = {
      "full", "causal", "causal & (window(left=40, right=0) | stride(16))", "stride(8)"};
  static const int64_t lengths[] = {20, 84, 100, 16 * 20 + 3, 16 * 33, 8 * 24};
  g_chosen_tiles = true;
  for (size_t p = 0; p < sizeof pats / sizeof *pats; p++)
    for (size_t n = 0; n < sizeof lengths / sizeof *lengths; n++) {
      char src[256];
      snprintf(src, sizeof src, "kernel k { pattern = %s; head_dim = %d }",
               pats[p], n % 2 ? 64 : 32);
      check_kernel(g_ctx, g_pool, src, (shape){1, 2, 2, lengths[n], lengths[n], n % 2 ? 64 : 32},
                   SATTN_F32);
    }
  g_chosen_tiles = false;
}

/* bf16 at the compiler's tile sizes: on a CPU with AMX the scores of key
 * blocks of 32 come from tdpbf16ps (the last block overlapping the one
 * before when the keys are not a multiple of 32; fewer than 32 keys, a
 * stripe's gathered keys and one-vector tiles on vectors), elsewhere the
 * vector path; both against the oracle. */
static void bf16_at_chosen_tiles_matches_the_oracle(void) {
  static const char *const pats[] = {
      "full", "causal", "window(40)", "window(20) | global(0, 5)",
      "causal & (window(left=16, right=0) | stride(16))",
      "local(1, block=32) | random(2, block=32, seed=5)", "causal & stride(5)", "dilated(32, 2)"};
  /* 200: tiles of 64 and of 32 rows (random's cap), a last block that
   * overlaps, a last tile of 8 rows (a half step of one vector); 131 x 157:
   * d = 128, more keys than queries (two kernels a pattern: the JIT
   * compiles dominate, under the sanitizers too) */
  static const shape sh[] = {{1, 2, 1, 200, 200, 64}, {1, 1, 1, 131, 157, 128}};
  g_chosen_tiles = true;
  for (size_t p = 0; p < sizeof pats / sizeof *pats; p++)
    for (size_t n = 0; n < sizeof sh / sizeof *sh; n++) {
      char src[256];
      snprintf(src, sizeof src, "kernel k { pattern = %s; dtype = bf16; head_dim = %lld; lse = true }",
               pats[p], (long long)sh[n].D);
      check_kernel(g_ctx, g_pool, src, sh[n], SATTN_BF16);
    }
  g_chosen_tiles = false;
}

/* Scores that rise (or fall) steeply along the keys: the dot product's
 * softmax keeps its maximum lazily (codegen/cpu_step.c softmax_lazy), and
 * rising scores move it at later steps, falling ones never; both against
 * the oracle, over several key steps per row. */
static void bf16_rising_scores_move_the_maximum(void) {
  static const char *const pats[] = {"full", "causal", "window(100)", "causal & stride(5)",
                                     "local(1, block=32) | random(2, block=32, seed=5)"};
  static const double gains[] = {7, -7};
  static const shape sh[] = {{1, 2, 1, 130, 700, 64}, {1, 1, 1, 67, 450, 128}};
  g_chosen_tiles = true;
  for (size_t p = 0; p < sizeof pats / sizeof *pats; p++)
    for (size_t n = 0; n < 2; n++) {
      char src[256];
      snprintf(src, sizeof src,
               "kernel k { pattern = %s; dtype = bf16; head_dim = %lld; lse = true }", pats[p],
               (long long)sh[n].D);
      g_key_gain = gains[(p + n) % 2];
      check_kernel(g_ctx, g_pool, src, sh[n], SATTN_BF16);
    }
  g_key_gain = 0;
  g_chosen_tiles = false;
}

static void bad_tensors_are_rejected_by_name(void) {
  /* The launcher validates before running: a wrong head_dim is named. */
  sattn_cpu_kernel kern = {"k", SATTN_F32, 16, 16, (sattn_cpu_item_fn)1, 0, 0, NULL, 0, 0, 0, 0};
  float buf[64];
  int64_t qs[4] = {1, 1, 2, 32}, ks[4] = {1, 1, 2, 16};
  DLTensor tq = sattn_tensor_cpu(buf, 4, qs, SATTN_F32), tk = sattn_tensor_cpu(buf, 4, ks, SATTN_F32), tv = sattn_tensor_cpu(buf, 4, ks, SATTN_F32),
           to = sattn_tensor_cpu(buf, 4, qs, SATTN_F32);
  sattn_error err = {0};
  CHECK(sattn_cpu_run(&kern, g_pool, &tq, &tk, &tv, &to, NULL, &err) == SATTN_ERR_SHAPE);
  CHECK(strstr(err.message, "q: head dimension 32") != NULL);
  CHECK(sattn_cpu_run(NULL, g_pool, &tq, &tk, &tv, &to, NULL, &err) == SATTN_ERR_NULL);
}

int main(void) {
  const char *env = getenv("SATTN_TEST_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
  state = seed ? seed : 1;
  printf("seed %llu (replay with SATTN_TEST_SEED=%llu)\n", (unsigned long long)seed,
         (unsigned long long)seed);
  cpu_target t = cpu_target_host();
  printf("generating for %lld lanes, bf16 %s\n", (long long)t.lanes,
         t.amx ? "QK^T on AMX" : t.bf16dot ? "on the AVX512-BF16 dot product" : "widened to f32");
  g_ctx = sattn_context_create();
  sattn_error err;
  if (mlirContextIsNull(g_ctx) || sattn_pool_create(2, &g_pool, &err))
    return 1;
  TEST(every_static_pattern_matches_the_oracle);
  TEST(head_groups_use_their_own_patterns);
  TEST(explicit_scale_is_used);
  TEST(closed_head_groups_need_that_many_heads);
  TEST(half_precision_inputs_match_the_oracle);
  TEST(key_splits_merge_exactly);
  TEST(long_rows_keep_their_lse);
  TEST(head_dim_outer_layouts_are_copied);
  TEST(short_tiles_match_the_oracle);
  TEST(bf16_at_chosen_tiles_matches_the_oracle);
  TEST(bf16_rising_scores_move_the_maximum);
  TEST(bad_tensors_are_rejected_by_name);
  printf("%ld kernel runs compared with the oracle\n", g_cases);
  sattn_pool_destroy(g_pool);
  mlirContextDestroy(g_ctx);
  return HARNESS_REPORT();
}
