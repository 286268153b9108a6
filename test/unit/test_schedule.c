/* The block schedule, property test: random static pattern expressions
 * (every term, nested |, &, -, sizes below and above the tile sizes) are
 * blockified with random tile sizes; their schedule helpers (the next key
 * tile, full/partial/empty of a tile: codegen/tile_sched.c, built as in
 * sattnc --emit=stats by codegen/sched_stats.c) are JIT-compiled
 * and walked for random Lq, Lk (shorter, equal and longer queries), and
 * every query tile is checked against the oracle:
 *   - the visited key tiles are tile-aligned and strictly increasing, and
 *     no pair is computed twice across the whole schedule (residue classes
 *     included: their pairs are mapped back to the original positions);
 *   - every allowed pair lies in a visited tile (none is skipped);
 *   - a tile called full has every pair allowed (no pair computed unmasked
 *     that the pattern forbids), a tile called empty none.
 * It prints the cases checked and the waste (pairs computed then masked).
 * SATTN_TEST_SEED=N replays a run.
 *
 *   test_schedule [PATTERNS]        (default 500) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blockify.h"
#include "kernel_cpu.h"
#include <math.h>
#include "build.h"
#include "context.h"
#include "gen_pattern.h"
#include "harness.h"
#include "lang.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir_diag.h"
#include "oracle.h"
#include "pipeline_cpu.h"
#include "sattn_rt.h"
#include "sched_stats.h"
#include "to_oracle.h"

static void print_diag(void *user, const sattn_diag *d) {
  printf("  %s: %s\n", diag_severity_name(d->severity), d->message);
}

/* The blocked_attention of the first kernel of a blockified unit. */
static MlirOperation blocked(MlirModule m) {
  for (MlirOperation f = mlirBlockGetFirstOperation(mlirModuleGetBody(m)); !mlirOperationIsNull(f);
       f = mlirOperationGetNextInBlock(f)) {
    if (mlirOperationGetNumRegions(f) != 1)
      continue;
    MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
    for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
         op = mlirOperationGetNextInBlock(op))
      if (sattn_op_get_kind(op) == SATTN_BLOCKED_ATTENTION)
        return op;
  }
  return (MlirOperation){NULL};
}

enum { BATCH = 20, SHAPES = 4 };

typedef sched_pred_fn pred_fn;

static long g_cases, g_tiles, g_full, g_partial, g_lattices, g_stripes;
static double g_allowed, g_masked;

/* The map of one problem of the schedule (the whole attention, or a
 * residue class of a lattice s): row i' is row c + s i' (position
 * i' + pos0 in the problem's mask), key j' is key r + s j'. */
typedef struct class_map {
  int64_t c, r, s, lq, lk, pos0;
} class_map;

static const char *g_text;
static int64_t g_lq, g_lk, g_bq, g_bk;

static void report(int *bad, const char *what, int64_t a, int64_t b) {
  if ((*bad)++ < 3)
    printf("  %s (Lq=%lld Lk=%lld bq=%lld bk=%lld): %s %lld, %lld\n", g_text,
           (long long)g_lq, (long long)g_lk, (long long)g_bq, (long long)g_bk, what,
           (long long)a, (long long)b);
}

/* One visited tile: rows [i0, i1) x keys k0..k1-1 of the problem (key k
 * is map(k) for a stripe), classified c. A pair counts (is computed
 * unmasked) when the tile is full, or partial and the segment's predicate
 * allows it; a full tile must have every pair allowed by that predicate,
 * an empty one none. Counted pairs are marked in `seen` (twice: a bug);
 * check_shape compares them with the oracle. */
static void visit_tile(const orc_node *orc, const class_map *m, int c, int64_t i0, int64_t i1,
                       int64_t k0, int64_t k1, int64_t (*map)(int64_t), pred_fn pred,
                       unsigned char *seen, int *bad) {
  long yes = 0, all = 0;
  bool wrong = c == 2;
  for (int64_t i = i0; i < i1; i++)
    for (int64_t k = k0; k < k1; k++, all++) {
      int64_t j = map ? map(k) : k;
      int64_t oi = m->c + m->s * i, oj = m->r + m->s * j;
      if (j < 0 || j >= m->lk) {
        report(bad, "key outside the problem (row, key)", oi, oj);
        continue;
      }
      bool allowed = pred(i + m->pos0, j, m->lk, 0) != 0;
      yes += allowed;
      wrong |= (c == 3 && !allowed) || (c == 0 && allowed);
      if (c == 3 || (c == 1 && allowed)) {
        size_t bit = (size_t)(oi * g_lk + oj);
        if (seen[bit / 8] & (1u << (bit % 8)))
          report(bad, "pair computed twice", oi, oj);
        seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
      }
    }
  (void)orc;
  g_tiles++;
  g_full += c == 3;
  g_partial += c == 1;
  if (c == 1)
    g_masked += (double)(all - yes);
  if (wrong)
    report(bad, "tile misclassified (rows, keys)", i0, k0);
}

/* Walks one problem's query tiles: the range tiles of next/class, then
 * each stripe's gathered tiles. */
static int walk_class(const orc_node *orc, const sched_fns *f, const class_map *m,
                      unsigned char *seen) {
  int bad = 0;
  int64_t nkt = (m->lk + g_bk - 1) / g_bk;
  for (int64_t i0 = 0; i0 < m->lq; i0 += g_bq) {
    int64_t i1 = i0 + g_bq < m->lq ? i0 + g_bq : m->lq;
    int64_t p0 = i0 + m->pos0, p1 = i1 - 1 + m->pos0;
    int64_t prev = -1, steps = 0;
    for (int64_t J = f->next(p0, p1, m->lk, 0, 0); J < m->lk;
         J = f->next(p0, p1, m->lk, J + g_bk, 0)) {
      if (J % g_bk || J <= prev || J < 0 || ++steps > nkt) {
        report(&bad, "query tile / key tile out of order", i0, J);
        break;
      }
      prev = J;
      int64_t j1 = J + g_bk < m->lk ? J + g_bk : m->lk;
      visit_tile(orc, m, f->cls(p0, p1, J, j1 - 1, m->lk, 0), i0, i1, J, j1, NULL, f->pred, seen,
                 &bad);
    }
    for (int st = 0; st < f->nstripes; st++) {
      int64_t n = f->scount[st](m->lk);
      for (int64_t K0 = 0; K0 < n; K0 += g_bk) {
        int64_t K1 = K0 + g_bk < n ? K0 + g_bk : n;
        int c = f->sclass[st](p0, p1, f->smap[st](K0), f->smap[st](K1 - 1), m->lk, 0);
        visit_tile(orc, m, c, i0, i1, K0, K1, f->smap[st], f->spred[st], seen, &bad);
      }
    }
  }
  return bad;
}

/* Every problem of the schedule for one shape, then every allowed pair
 * must have been computed. */
static int check_shape(const char *text, const orc_node *orc, const sched_fns *f,
                       int64_t lattice, int64_t lq, int64_t lk, int64_t bq, int64_t bk) {
  g_text = text, g_lq = lq, g_lk = lk, g_bq = bq, g_bk = bk;
  unsigned char *seen = calloc((size_t)(lq * lk + 7) / 8, 1);
  if (!seen)
    return 1;
  int bad = 0;
  if (lattice <= 1) {
    class_map m = {0, 0, 1, lq, lk, lk - lq};
    bad += walk_class(orc, f, &m, seen);
  } else {
    for (int64_t c = 0; c < lattice && c < lq; c++) {
      int64_t cp = c + lk - lq, r = ((cp % lattice) + lattice) % lattice;
      class_map m = {c, r, lattice, (lq - c + lattice - 1) / lattice,
                     r < lk ? (lk - r + lattice - 1) / lattice : 0, (cp - r) / lattice};
      bad += walk_class(orc, f, &m, seen);
    }
  }
  for (int64_t i = 0; i < lq; i++)
    for (int64_t j = 0; j < lk; j++) {
      bool allowed = orc_eval(orc, i, j, lq, lk, 0) == ORC_YES;
      size_t bit = (size_t)(i * lk + j);
      bool counted = seen[bit / 8] & (1u << (bit % 8));
      g_allowed += allowed;
      if (allowed && !counted)
        report(&bad, "allowed pair never computed", i, j);
      if (!allowed && counted)
        report(&bad, "disallowed pair computed unmasked", i, j);
    }
  free(seen);
  return bad;
}

static const int64_t block_sizes[] = {1, 2, 3, 4, 5, 7, 8, 16, 32, 64};

static long g_runs, g_parts;
static sattn_pool *g_pool;

static double urand(void) { return (double)(gen_rnd() >> 11) / 9007199254740992.0 * 2 - 1; }

/* Runs kernel `item` (compiled with info) on a random shape (key splits
 * random too) and compares out and lse with the float64 oracle. */
static void check_output(const char *text, const orc_node *orc, sattn_cpu_item_fn item,
                         sattn_cpu_item_fn item1, const kernel_cpu_info *info) {
  int64_t B = 1, Hq = 2, Hkv = 1 + gen_pick(2), D = info->head_dim;
  int64_t Lq = 1 + gen_pick(120), Lk = 1 + gen_pick(120);
  size_t nq = (size_t)(B * Hq * Lq * D), nk = (size_t)(B * Hkv * Lk * D), nl = (size_t)(B * Hq * Lq);
  float *q = malloc(nq * 4), *k = malloc(nk * 4), *v = malloc(nk * 4), *o = malloc(nq * 4);
  float *lse = malloc(nl * 4);
  double *ref = malloc(nq * 8), *ref_lse = malloc(nl * 8);
  if (!q || !k || !v || !o || !lse || !ref || !ref_lse) {
    CHECK(false);
    goto done;
  }
  for (size_t x = 0; x < nq; x++)
    q[x] = (float)urand(), o[x] = NAN;
  for (size_t x = 0; x < nk; x++)
    k[x] = (float)urand(), v[x] = (float)urand();
  for (size_t x = 0; x < nl; x++)
    lse[x] = NAN;
  int64_t qs[4] = {B, Hq, Lq, D}, ks[4] = {B, Hkv, Lk, D}, ls[3] = {B, Hq, Lq};
  DLTensor tq = sattn_tensor_cpu(q, 4, qs, SATTN_F32), tk = sattn_tensor_cpu(k, 4, ks, SATTN_F32),
           tv = sattn_tensor_cpu(v, 4, ks, SATTN_F32), to = sattn_tensor_cpu(o, 4, qs, SATTN_F32),
           tl = sattn_tensor_cpu(lse, 3, ls, SATTN_F32);
  sattn_cpu_kernel kern = {"k", SATTN_F32, D, info->block_q, item, 0, info->lattice, item1,
                          info->lattice1, info->rows1_begin, info->rows1_end, info->amx};
  sattn_error err = {0};
  int nsplit = gen_pick(4); /* 0: the runtime's choice, else forced */
  /* Without an lse the runtime keeps the first part's lse in scratch for
   * the merge of two-part kernels: half the runs take that path. */
  bool with_lse = gen_pick(2);
  CHECK(sattn_cpu_run_split(&kern, g_pool, &tq, &tk, &tv, &to, with_lse ? &tl : NULL, nsplit,
                            &err) == SATTN_OK);
  orc_dims dims = {B, Hq, Hkv, Lq, Lk, D};
  const orc_node *masks[] = {orc};
  CHECK(orc_attention(&dims, q, k, v, 1.0 / sqrt((double)D), masks, NULL, 1, ref, ref_lse) == 0);
  double num = 0, den = 0;
  int lse_bad = 0;
  for (size_t x = 0; x < nq; x++)
    num += (o[x] - ref[x]) * (o[x] - ref[x]), den += ref[x] * ref[x];
  for (size_t x = 0; x < nl && with_lse; x++)
    lse_bad += isinf(ref_lse[x]) ? !(isinf(lse[x]) && lse[x] < 0)
                                 : !(fabs(lse[x] - ref_lse[x]) <= 1e-5 * (1 + fabs(ref_lse[x])));
  double rel = den > 0 ? sqrt(num / den) : sqrt(num);
  if (!(rel < 1e-5) || lse_bad)
    printf("  %s (Lq=%lld Lk=%lld Hkv=%lld, %d splits): output rel. error %.3g, %d lse wrong\n",
           text, (long long)Lq, (long long)Lk, (long long)Hkv, nsplit, rel, lse_bad);
  CHECK(rel < 1e-5);
  CHECK(lse_bad == 0);
  g_runs++;
done:
  free(q), free(k), free(v), free(o), free(lse), free(ref), free(ref_lse);
}

static void check_batch(MlirContext ctx, int count) {
  char text[BATCH][2048 + 64], exprs[BATCH][1800];
  lang_unit units[BATCH];
  orc_node *oracles[BATCH];
  int64_t bq[BATCH], bk[BATCH], lattice[BATCH];
  int nstripes[BATCH];
  diag_sink sink = {print_diag, NULL, 0, 0};
  lang_options lo = {0};
  MlirModule code = mlirModuleCreateEmpty(mlirLocationUnknownGet(ctx));
  MlirModule kcode = mlirModuleCreateEmpty(mlirLocationUnknownGet(ctx));
  kernel_cpu_info infos[BATCH];
  bool built[BATCH] = {false};
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, &sink);
  for (int k = 0; k < count; k++) {
    gen_expr(exprs[k], sizeof exprs[k], 0, 1);
    snprintf(text[k], sizeof text[k],
             "kernel k {\n  pattern = %.1799s\n  head_dim = 16\n  lse = true\n}\n", exprs[k]);
    bq[k] = block_sizes[gen_pick(10)];
    bk[k] = block_sizes[gen_pick(10)];
    oracles[k] = NULL;
    bool ok = lang_compile(&units[k], ctx, "gen.sattn", text[k], strlen(text[k]), &lo, &sink);
    CHECK(ok);
    if (!ok) {
      printf("  source: %s\n", text[k]);
      continue;
    }
    /* The kernel itself (before blockify changes the unit), for outputs. */
    char kname[32];
    snprintf(kname, sizeof kname, "k%d", k);
    MlirOperation kf = mlirBlockGetFirstOperation(mlirModuleGetBody(units[k].module));
    while (!mlirOperationIsNull(mlirOperationGetNextInBlock(kf)))
      kf = mlirOperationGetNextInBlock(kf); /* kernels come after patterns */
    built[k] = kernel_cpu_build(ctx, kcode, kf, kname, bq[k], bk[k], &infos[k]);
    CHECK(built[k]);
    ok = blockify(mlirModuleGetOperation(units[k].module), bq[k], bk[k]);
    CHECK(ok);
    MlirOperation att = blocked(units[k].module);
    CHECK(!mlirOperationIsNull(att));
    if (!ok || mlirOperationIsNull(att))
      continue;
    lattice[k] = 1;
    sattn_get_int_attr(att, "lattice", &lattice[k]);
    g_lattices += lattice[k] > 1;
    MlirOperation sched = mlirOpResultGetOwner(mlirOperationGetOperand(att, 3));
    char tag[16];
    snprintf(tag, sizeof tag, "%d", k);
    ok = sched_helpers_build(ctx, code, tag, sched, bk[k], &nstripes[k]);
    g_stripes += nstripes[k];
    CHECK(ok);
    if (ok)
      oracles[k] = sem_to_oracle(units[k].prog->kernels->masks[0]);
  }
  bool lowered = cpu_lower_to_llvm(ctx, code);
  CHECK(lowered);
  MlirExecutionEngine jit = lowered ? cpu_jit_create(ctx, code, 1) : (MlirExecutionEngine){NULL};
  mlir_diag_detach(ctx, h);
  CHECK(!mlirExecutionEngineIsNull(jit));
  if (!mlirExecutionEngineIsNull(jit))
    sched_register_runtime(jit);
  for (int k = 0; k < count && !mlirExecutionEngineIsNull(jit); k++) {
    if (!oracles[k])
      continue;
    sched_fns f;
    memset(&f, 0, sizeof f);
    f.nstripes = nstripes[k];
    bool found = sched_helpers_lookup(jit, k, f.nstripes, &f);
    CHECK(found);
    if (!found)
      continue;
    for (int s = 0; s < SHAPES; s++) {
      int64_t lk = 1 + gen_pick(s == 0 ? 16 : 300);
      int64_t lq = s == 1 ? lk : 1 + gen_pick(s == 0 ? 16 : 300);
      int bad = check_shape(exprs[k], oracles[k], &f, lattice[k], lq, lk, bq[k], bk[k]);
      CHECK(bad == 0);
      g_cases++;
    }
  }
  if (!mlirExecutionEngineIsNull(jit))
    mlirExecutionEngineDestroy(jit);
  mlirModuleDestroy(code);
  /* The kernels, against the oracle. */
  h = mlir_diag_attach(ctx, &sink);
  bool klowered = cpu_lower_to_llvm(ctx, kcode);
  CHECK(klowered);
  MlirExecutionEngine kjit = klowered ? cpu_jit_create(ctx, kcode, 0) : (MlirExecutionEngine){NULL};
  mlir_diag_detach(ctx, h);
  CHECK(!mlirExecutionEngineIsNull(kjit));
  if (!mlirExecutionEngineIsNull(kjit))
    sched_register_runtime(kjit);
  for (int k = 0; k < count && !mlirExecutionEngineIsNull(kjit); k++) {
    if (!built[k] || !oracles[k])
      continue;
    char sym[48];
    snprintf(sym, sizeof sym, "_mlir_ciface_k%d_item", k);
    void *item = mlirExecutionEngineLookup(kjit, mlirStringRefCreateFromCString(sym));
    void *item1 = NULL;
    if (infos[k].nparts == 2) {
      snprintf(sym, sizeof sym, "_mlir_ciface_k%d_p1_item", k);
      item1 = mlirExecutionEngineLookup(kjit, mlirStringRefCreateFromCString(sym));
      CHECK(item1 != NULL);
      g_parts++;
    }
    CHECK(item != NULL);
    if (item)
      check_output(exprs[k], oracles[k], (sattn_cpu_item_fn)item, (sattn_cpu_item_fn)item1,
                   &infos[k]);
  }
  if (!mlirExecutionEngineIsNull(kjit))
    mlirExecutionEngineDestroy(kjit);
  mlirModuleDestroy(kcode);
  for (int k = 0; k < count; k++) {
    orc_node_destroy(oracles[k]);
    lang_unit_destroy(&units[k]);
  }
}

static int g_patterns = 500;

static void schedules_visit_every_allowed_pair_once(void) {
  MlirContext ctx = sattn_context_create();
  sattn_error perr;
  CHECK(sattn_pool_create(0, &g_pool, &perr) == SATTN_OK);
  CHECK(!mlirContextIsNull(ctx));
  if (mlirContextIsNull(ctx))
    return;
  for (int done = 0; done < g_patterns; done += BATCH)
    check_batch(ctx, g_patterns - done < BATCH ? g_patterns - done : BATCH);
  mlirContextDestroy(ctx);
  sattn_pool_destroy(g_pool);
  printf("  %ld kernel outputs compared with the oracle (random shapes and key splits; %ld "
         "kernels in two parts)\n",
         g_runs, g_parts);
  CHECK(g_runs == g_patterns);
  printf("  %ld cases (%d patterns x %d shapes, %ld patterns in residue classes, %ld "
         "stripes): %ld key tiles visited (%ld full, %ld partial); %.0f allowed pairs, %.0f "
         "computed then masked (%.1f%%)\n",
         g_cases, g_patterns, SHAPES, g_lattices, g_stripes, g_tiles, g_full, g_partial, g_allowed, g_masked,
         g_allowed > 0 ? 100.0 * g_masked / g_allowed : 0.0);
  CHECK(g_cases == (long)g_patterns * SHAPES);
}

int main(int argc, char **argv) {
  if (argc > 1)
    g_patterns = atoi(argv[1]);
  const char *env = getenv("SATTN_TEST_SEED");
  uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
  gen_state = seed ? seed : 1;
  printf("seed %llu (replay with SATTN_TEST_SEED=%llu)\n", (unsigned long long)seed,
         (unsigned long long)seed);
  TEST(schedules_visit_every_allowed_pair_once);
  return HARNESS_REPORT();
}
