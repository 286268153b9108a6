/* Schedule statistics (see sched_stats.h). */
#include "sched_stats.h"

#include <stdio.h>
#include <string.h>

#include "blockify.h"
#include "parts.h"
#include "simplify.h"
#include "tile_choice.h"
#include "build.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/ExecutionEngine.h"
#include "pipeline_cpu.h"
#include "predicate.h"
#include "registry.h"
#include "sattn_rt.h"
#include "tile_sched.h"

enum { MAX_GROUPS = 64 };

static MlirBlock helper(MlirContext ctx, MlirModule module, const char *name, intptr_t nargs,
                        MlirType res) {
  MlirType i64 = mlirIntegerTypeGet(ctx, 64);
  MlirType args[] = {i64, i64, i64, i64, i64, i64};
  return ir_func(ctx, module, name, mlirLocationUnknownGet(ctx), nargs, args, 1, &res, false);
}

/* A classifier function (p0, p1, j0, j1, Lk, head): (full << 1) | !empty
 * as i8. */
static bool class_build(MlirContext ctx, MlirModule module, const char *name, MlirValue mask,
                        int64_t block_k) {
  MlirType i8 = mlirIntegerTypeGet(ctx, 8);
  MlirBlock e = helper(ctx, module, name, 6, i8);
  ir_builder b = {ctx, e, mlirLocationUnknownGet(ctx), {NULL}};
  tile_pos t = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                mlirBlockGetArgument(e, 4), mlirBlockGetArgument(e, 5), block_k, 0, false};
  MlirValue full, empty;
  tile_classify(&b, mask, &t, mlirBlockGetArgument(e, 2), mlirBlockGetArgument(e, 3), &full,
                &empty);
  MlirValue nonempty = ir_binary(&b, "arith.xori", empty, ir_const_bool(&b, true));
  MlirValue code = ir_binary(
      &b, "arith.ori",
      ir_binary(&b, "arith.shli", ir_extui(&b, full, i8), ir_const_int(&b, i8, 1)),
      ir_extui(&b, nonempty, i8));
  ir_return(&b, 1, &code);
  return !t.failed;
}

static bool pred_build(MlirContext ctx, MlirModule module, const char *name, MlirValue mask);

bool sched_helpers_build(MlirContext ctx, MlirModule module, const char *tag,
                         MlirOperation schedule, int64_t block_k, int *nstripes) {
  MlirValue mask = mlirOperationGetOperand(schedule, 0), keys = mlirOperationGetOperand(schedule, 1);
  predicate_declare_runtime(ctx, module); /* random's generator (idempotent) */
  MlirType i64 = mlirIntegerTypeGet(ctx, 64);
  char name[64];
  snprintf(name, sizeof name, "next%s", tag);
  MlirBlock e = helper(ctx, module, name, 5, i64);
  ir_builder b = {ctx, e, mlirLocationUnknownGet(ctx), {NULL}};
  tile_pos t = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                mlirBlockGetArgument(e, 2), mlirBlockGetArgument(e, 4), block_k, 0, false};
  MlirValue r = tile_next(&b, keys, &t, mlirBlockGetArgument(e, 3));
  ir_return(&b, 1, &r);
  bool ok = !t.failed;
  snprintf(name, sizeof name, "class%s", tag);
  ok = ok && class_build(ctx, module, name, mask, block_k);
  snprintf(name, sizeof name, "pred%s", tag);
  ok = ok && pred_build(ctx, module, name, mask);
  int ns = (int)mlirOperationGetNumOperands(schedule) - 2;
  *nstripes = ns;
  for (int s = 0; ok && s < ns; s++) {
    MlirOperation st = mlirOpResultGetOwner(mlirOperationGetOperand(schedule, 2 + s));
    int64_t enc[80];
    intptr_t n = tile_stripe_encode(mlirOpResultGetOwner(mlirOperationGetOperand(st, 2)), enc, 80);
    if (n < 0)
      return false;
    snprintf(name, sizeof name, "scount%s_%d", tag, s);
    e = helper(ctx, module, name, 1, i64);
    b = (ir_builder){ctx, e, mlirLocationUnknownGet(ctx), {NULL}};
    r = tile_stripe_count(&b, enc, n, mlirBlockGetArgument(e, 0));
    ir_return(&b, 1, &r);
    snprintf(name, sizeof name, "smap%s_%d", tag, s);
    e = helper(ctx, module, name, 1, i64);
    b = (ir_builder){ctx, e, mlirLocationUnknownGet(ctx), {NULL}};
    r = tile_stripe_map(&b, enc, n, mlirBlockGetArgument(e, 0));
    ir_return(&b, 1, &r);
    snprintf(name, sizeof name, "sclass%s_%d", tag, s);
    ok = class_build(ctx, module, name, mlirOperationGetOperand(st, 1), block_k);
    snprintf(name, sizeof name, "spred%s_%d", tag, s);
    ok = ok && pred_build(ctx, module, name, mlirOperationGetOperand(st, 0));
  }
  return ok;
}

/* pred<tag>(p, j, Lk, head) -> i8: the mask with random's environment. */
static bool pred_build(MlirContext ctx, MlirModule module, const char *name, MlirValue mask) {
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  MlirType i64 = mlirIntegerTypeGet(ctx, 64), i8 = mlirIntegerTypeGet(ctx, 8);
  MlirType args[] = {i64, i64, i64, i64};
  MlirBlock e = ir_func(ctx, module, name, loc, 4, args, 1, &i8, false);
  ir_builder b = {ctx, e, loc, {NULL}};
  pred_env env = {mlirBlockGetArgument(e, 2), mlirBlockGetArgument(e, 3)};
  MlirValue v = predicate_emit(&b, mask, mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                               &env);
  if (!v.ptr)
    return false;
  MlirValue r = ir_extui(&b, v, i8);
  ir_return(&b, 1, &r);
  return true;
}

typedef sched_pred_fn pred_fn;
typedef sched_count_fn count_fn;
typedef sched_fns group_fns;

/* Where a walk is (for the tile hook). */
typedef struct walk_at {
  sched_tile_fn hook;
  void *user;
  int group;
  int64_t c, r, s, pos0; /* the problem: rows c + s i, keys r + s j */
  double budget;         /* helper and predicate calls left */
} walk_at;

/* Calls a walk may make (helpers, predicates on partial tiles): enough
 * for the windows and strides of 1M-long sequences, and a bound on what
 * a pattern that is partial everywhere at such lengths would cost. */
#define WALK_BUDGET 2e9

/* One tile of pairs: rows [p0, p1] x keys key(k0..k1-1); c the class. */
static void count_tile(sched_stats *s, walk_at *w, int segment, int c, int64_t p0,
                       int64_t p1, int64_t k0, int64_t k1, count_fn map, pred_fn pred,
                       int64_t lk, int64_t head) {
  w->budget -= 1;
  if (c == 0 || w->budget < 0)
    return; /* empty: skipped */
  if (w->hook) {
    sched_tile t = {w->group, segment, c == 3, w->c + w->s * (p0 - w->pos0), w->s, p1 - p0 + 1,
                    k0, k1, map, w->r, w->s};
    w->hook(w->user, &t);
  }
  double pairs = (double)(p1 - p0 + 1) * (double)(k1 - k0);
  s->visited_tiles++;
  s->computed_pairs += pairs;
  if (c == 3) {
    s->full_tiles++;
    s->allowed_pairs += pairs;
    return;
  }
  s->partial_tiles++;
  if ((w->budget -= (double)(p1 - p0 + 1) * (double)(k1 - k0)) < 0)
    return;
  int64_t yes = 0;
  for (int64_t p = p0; p <= p1; p++)
    for (int64_t k = k0; k < k1; k++)
      yes += pred(p, map ? map(k) : k, lk, head) != 0;
  s->allowed_pairs += (double)yes;
  s->masked_pairs += pairs - (double)yes;
}

/* One problem (a residue class, or the whole attention): rows [0, lq) at
 * positions i + pos0, keys [0, lk); adds its work to s. */
static void walk_class(const group_fns *f, walk_at *w, int64_t head, int64_t bq,
                       int64_t bk, int64_t lq, int64_t lk, int64_t pos0, sched_stats *s) {
  for (int64_t i0 = 0; i0 < lq && w->budget >= 0; i0 += bq) {
    int64_t i1 = i0 + bq < lq ? i0 + bq : lq;
    int64_t p0 = i0 + pos0, p1 = i1 - 1 + pos0;
    s->query_tiles++;
    for (int64_t J = f->next(p0, p1, lk, 0, head); J < lk; J = f->next(p0, p1, lk, J + bk, head)) {
      int64_t j1 = J + bk < lk ? J + bk : lk;
      count_tile(s, w, -1, f->cls(p0, p1, J, j1 - 1, lk, head), p0, p1, J, j1, NULL, f->pred, lk,
                 head);
    }
    for (int st = 0; st < f->nstripes; st++) {
      int64_t n = f->scount[st](lk);
      for (int64_t K0 = 0; K0 < n; K0 += bk) {
        int64_t K1 = K0 + bk < n ? K0 + bk : n;
        int c = f->sclass[st](p0, p1, f->smap[st](K0), f->smap[st](K1 - 1), lk, head);
        count_tile(s, w, st, c, p0, p1, K0, K1, f->smap[st], f->spred[st], lk, head);
      }
    }
  }
}

/* The classes of a lattice s (as the kernel splits them, codegen/tile.c):
 * class c holds rows c, c + s, ...; r = (c + Lk - Lq) mod s. */
static void walk(const group_fns *f, walk_at *w, int64_t head, int64_t bq, int64_t bk,
                 int64_t lq, int64_t lk, int64_t lattice, const int64_t *rows,
                 sched_stats *s) {
  memset(s, 0, sizeof *s);
  s->lattice = 1;
  if (rows) { /* the global rows' part: positions [rows[0], rows[1]) */
    int64_t lo = rows[0] - (lk - lq), hi = rows[1] - (lk - lq);
    lo = lo < 0 ? 0 : lo > lq ? lq : lo;
    hi = hi < lo ? lo : hi > lq ? lq : hi;
    w->c = lo, w->r = 0, w->s = 1, w->pos0 = lo + lk - lq;
    walk_class(f, w, head, bq, bk, hi - lo, lk, lo + lk - lq, s);
    return;
  }
  if (lattice <= 1) {
    w->c = 0, w->r = 0, w->s = 1, w->pos0 = lk - lq;
    walk_class(f, w, head, bq, bk, lq, lk, lk - lq, s);
    return;
  }
  s->lattice = lattice;
  for (int64_t c = 0; c < lattice && c < lq; c++) {
    int64_t cp = c + lk - lq;
    int64_t r = ((cp % lattice) + lattice) % lattice;
    int64_t lk_c = r < lk ? (lk - r + lattice - 1) / lattice : 0;
    int64_t lq_c = (lq - c + lattice - 1) / lattice;
    w->c = c, w->r = r, w->s = lattice, w->pos0 = (cp - r) / lattice;
    walk_class(f, w, head, bq, bk, lq_c, lk_c, (cp - r) / lattice, s);
  }
}

bool sched_helpers_lookup(MlirExecutionEngine jit, int tag, int nstripes, sched_fns *f) {
  char name[64];
  f->nstripes = nstripes;
#define LOOK(dst, fmt, ...)                                                                    \
  do {                                                                                         \
    snprintf(name, sizeof name, fmt, __VA_ARGS__);                                             \
    *(void **)(dst) = mlirExecutionEngineLookup(jit, mlirStringRefCreateFromCString(name));    \
    if (!*(void **)(dst))                                                                      \
      return false;                                                                            \
  } while (0)
  LOOK(&f->next, "next%d", tag);
  LOOK(&f->cls, "class%d", tag);
  LOOK(&f->pred, "pred%d", tag);
  for (int s = 0; s < nstripes; s++) {
    LOOK(&f->scount[s], "scount%d_%d", tag, s);
    LOOK(&f->smap[s], "smap%d_%d", tag, s);
    LOOK(&f->sclass[s], "sclass%d_%d", tag, s);
    LOOK(&f->spred[s], "spred%d_%d", tag, s);
  }
#undef LOOK
  return true;
}

/* The blocked_attention in a blockified kernel func. */
static MlirOperation find_blocked(MlirOperation func) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_BLOCKED_ATTENTION)
      return op;
  return (MlirOperation){NULL};
}

/* The statistics of one (simplified) copy of a kernel func. */
static bool stats_of(MlirContext ctx, MlirOperation kernel, MlirOperation copy, int64_t block_q,
                     int64_t block_k, int64_t seq_q, int64_t seq_k, sched_stats *stats,
                     int64_t *heads, int cap, int *ngroups, sched_tile_fn hook, void *user,
                     const int64_t *rows_part) {
  *ngroups = 0;
  MlirModule code = mlirModuleCreateEmpty(mlirOperationGetLocation(kernel));
  bool ok = blockify(copy, block_q, block_k);
  MlirOperation att = ok ? find_blocked(copy) : (MlirOperation){NULL};
  int n = 0;
  int64_t groups[MAX_GROUPS + 1];
  if (ok && mlirOperationIsNull(att)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "kernel has no sattn.attention");
    ok = false;
  }
  int64_t lattice = 1;
  if (ok) {
    sattn_get_int_attr(att, "lattice", &lattice);
    n = (int)mlirOperationGetNumOperands(att) - 3;
    if (n > cap || n > MAX_GROUPS ||
        sattn_get_i64_array(att, "groups", groups, MAX_GROUPS + 1) != n + 1) {
      mlirEmitError(mlirOperationGetLocation(att), "too many head groups for the statistics");
      ok = false;
    }
  }
  int nstripes[MAX_GROUPS] = {0};
  for (int g = 0; ok && g < n; g++) {
    MlirOperation sched = mlirOpResultGetOwner(mlirOperationGetOperand(att, 3 + g));
    char tag[16];
    snprintf(tag, sizeof tag, "%d", g);
    ok = sched_helpers_build(ctx, code, tag, sched, block_k, &nstripes[g]);
  }
  if (ok)
    ok = cpu_lower_to_llvm(ctx, code);
  MlirExecutionEngine jit = ok ? cpu_jit_create(ctx, code, 2) : (MlirExecutionEngine){NULL};
  if (ok && mlirExecutionEngineIsNull(jit)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "the JIT could not compile the schedule");
    ok = false;
  }
  if (ok)
    sched_register_runtime(jit);
  for (int g = 0; ok && g < n; g++) {
    group_fns f;
    memset(&f, 0, sizeof f);
    ok = sched_helpers_lookup(jit, g, nstripes[g], &f);
    if (!ok) {
      mlirEmitError(mlirOperationGetLocation(kernel), "the JIT lost a schedule helper");
      break;
    }
    heads[g] = groups[g];
    walk_at w = {hook, user, g, 0, 0, 1, 0, WALK_BUDGET};
    walk(&f, &w, groups[g], block_q, block_k, seq_q, seq_k, lattice, rows_part, &stats[g]);
    if (w.budget < 0) {
      char msg[256];
      snprintf(msg, sizeof msg,
               "the schedule at Lq = %lld, Lk = %lld needs more than %.0e tile and pair "
               "evaluations to count; use shorter lengths",
               (long long)seq_q, (long long)seq_k, WALK_BUDGET);
      mlirEmitError(mlirOperationGetLocation(kernel), msg);
      ok = false;
      break;
    }
  }
  if (ok)
    *ngroups = n;
  if (!mlirExecutionEngineIsNull(jit))
    mlirExecutionEngineDestroy(jit);
  mlirModuleDestroy(code);
  return ok;
}

bool sched_stats_compute(MlirContext ctx, MlirOperation kernel, int64_t block_q,
                         int64_t block_k, int64_t seq_q, int64_t seq_k, sched_stats *stats,
                         int64_t *heads, int cap, int *ngroups, sched_tile_fn hook,
                         void *user) {
  *ngroups = 0;
  if (!sattn_verify_values(kernel))
    return false;
  MlirModule m = mlirModuleCreateEmpty(mlirOperationGetLocation(kernel));
  MlirOperation copy = mlirOperationClone(kernel);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), copy);
  bool ok = simplify_masks(copy, 0);
  /* Two parts (codegen/parts.h), as the kernel runs them: both counted. */
  int64_t rb = 0, re = 0;
  MlirOperation copy2 = ok ? parts_clone(copy, &rb, &re) : (MlirOperation){NULL};
  bool split_rows = re > rb;
  int64_t block_k1 = block_k;
  if (ok)
    tile_choice(copy, copy2, &block_q, &block_k, &block_k1);
  if (!mlirOperationIsNull(copy2)) {
    sched_stats second[1];
    int64_t h2[1];
    int n2 = 0;
    int64_t rows[] = {rb, re};
    ok = ok &&
         stats_of(ctx, kernel, copy, block_q, block_k, seq_q, seq_k, stats, heads, cap,
                  ngroups, hook, user, NULL) &&
         stats_of(ctx, kernel, copy2, block_q, block_k1, seq_q, seq_k, second, h2, 1, &n2, hook,
                  user, split_rows ? rows : NULL);
    if (ok) {
      stats[0].parts = 2;
      stats[0].lattice1 = second[0].lattice;
      stats[0].query_tiles += second[0].query_tiles;
      stats[0].visited_tiles += second[0].visited_tiles;
      stats[0].full_tiles += second[0].full_tiles;
      stats[0].partial_tiles += second[0].partial_tiles;
      stats[0].allowed_pairs += second[0].allowed_pairs;
      stats[0].computed_pairs += second[0].computed_pairs;
      stats[0].masked_pairs += second[0].masked_pairs;
    }
  } else if (ok) {
    ok = stats_of(ctx, kernel, copy, block_q, block_k, seq_q, seq_k, stats, heads, cap, ngroups,
                  hook, user, NULL);
    for (int g = 0; ok && g < *ngroups; g++)
      stats[g].parts = 1, stats[g].lattice1 = 1;
  }
  mlirModuleDestroy(m);
  for (int g = 0; ok && g < *ngroups; g++) {
    stats[g].block_q = block_q;
    stats[g].block_k = block_k;
    stats[g].block_k1 = block_k1;
  }
  if (!ok)
    *ngroups = 0;
  return ok;
}

void sched_register_runtime(MlirExecutionEngine jit) {
  mlirExecutionEngineRegisterSymbol(jit, mlirStringRefCreateFromCString("sattn_rt_random_member"),
                                    (void *)sattn_rt_random_member);
  mlirExecutionEngineRegisterSymbol(jit, mlirStringRefCreateFromCString("sattn_rt_random_next"),
                                    (void *)sattn_rt_random_next);
}
