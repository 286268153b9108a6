/* Schedule statistics (see sched_stats.h). */
#include "sched_stats.h"

#include <stdio.h>
#include <string.h>

#include "blockify.h"
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

bool sched_helpers_build(MlirContext ctx, MlirModule module, const char *tag,
                         MlirValue mask, MlirValue keys, int64_t block_k) {
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  MlirType i64 = mlirIntegerTypeGet(ctx, 64), i8 = mlirIntegerTypeGet(ctx, 8);
  MlirType args[] = {i64, i64, i64, i64};
  char name[64];
  snprintf(name, sizeof name, "next%s", tag);
  MlirBlock e = ir_func(ctx, module, name, loc, 4, args, 1, &i64, false);
  ir_builder b = {ctx, e, loc, {NULL}};
  tile_pos t = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                mlirBlockGetArgument(e, 2), block_k, 0, false};
  MlirValue r = tile_next(&b, keys, &t, mlirBlockGetArgument(e, 3));
  ir_return(&b, 1, &r);
  snprintf(name, sizeof name, "class%s", tag);
  e = ir_func(ctx, module, name, loc, 4, args, 1, &i8, false);
  b = (ir_builder){ctx, e, loc, {NULL}};
  tile_pos t2 = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1), {NULL}, block_k, 0,
                 false};
  MlirValue full, empty;
  tile_classify(&b, mask, &t2, mlirBlockGetArgument(e, 2), mlirBlockGetArgument(e, 3), &full,
                &empty);
  MlirValue nonempty = ir_binary(&b, "arith.xori", empty, ir_const_bool(&b, true));
  MlirValue code = ir_binary(
      &b, "arith.ori",
      ir_binary(&b, "arith.shli", ir_extui(&b, full, i8), ir_const_int(&b, i8, 1)),
      ir_extui(&b, nonempty, i8));
  ir_return(&b, 1, &code);
  return !t.failed && !t2.failed;
}

/* pred<tag>(p, j, Lk, head) -> i8: the mask with random's environment. */
static bool pred_build(MlirContext ctx, MlirModule module, const char *tag, MlirValue mask) {
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  MlirType i64 = mlirIntegerTypeGet(ctx, 64), i8 = mlirIntegerTypeGet(ctx, 8);
  MlirType args[] = {i64, i64, i64, i64};
  char name[64];
  snprintf(name, sizeof name, "pred%s", tag);
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

typedef int64_t (*next_fn)(int64_t, int64_t, int64_t, int64_t);
typedef int8_t (*class_fn)(int64_t, int64_t, int64_t, int64_t);
typedef int8_t (*pred_fn)(int64_t, int64_t, int64_t, int64_t);

/* One problem (a residue class, or the whole attention): rows [0, lq) at
 * positions i + pos0, keys [0, lk); adds its work to s. */
static void walk_class(next_fn next, class_fn cls, pred_fn pred, int64_t head, int64_t bq,
                       int64_t bk, int64_t lq, int64_t lk, int64_t pos0, sched_stats *s) {
  for (int64_t i0 = 0; i0 < lq; i0 += bq) {
    int64_t i1 = i0 + bq < lq ? i0 + bq : lq;
    int64_t p0 = i0 + pos0, p1 = i1 - 1 + pos0;
    s->query_tiles++;
    for (int64_t J = next(p0, p1, lk, 0); J < lk; J = next(p0, p1, lk, J + bk)) {
      int64_t j1 = J + bk < lk ? J + bk : lk;
      int c = cls(p0, p1, J, j1 - 1);
      if (c == 0)
        continue; /* empty: skipped */
      double pairs = (double)(i1 - i0) * (double)(j1 - J);
      s->visited_tiles++;
      s->computed_pairs += pairs;
      if (c == 3) {
        s->full_tiles++;
        s->allowed_pairs += pairs;
        continue;
      }
      s->partial_tiles++;
      int64_t yes = 0;
      for (int64_t p = p0; p <= p1; p++)
        for (int64_t j = J; j < j1; j++)
          yes += pred(p, j, lk, head) != 0;
      s->allowed_pairs += (double)yes;
      s->masked_pairs += pairs - (double)yes;
    }
  }
}

/* The classes of a lattice s (as the kernel splits them, codegen/tile.c):
 * class c holds rows c, c + s, ...; r = (c + Lk - Lq) mod s. */
static void walk(next_fn next, class_fn cls, pred_fn pred, int64_t head, int64_t bq, int64_t bk,
                 int64_t lq, int64_t lk, int64_t lattice, sched_stats *s) {
  memset(s, 0, sizeof *s);
  s->lattice = 1;
  if (lattice <= 1) {
    walk_class(next, cls, pred, head, bq, bk, lq, lk, lk - lq, s);
    return;
  }
  s->lattice = lattice;
  for (int64_t c = 0; c < lattice && c < lq; c++) {
    int64_t cp = c + lk - lq;
    int64_t r = ((cp % lattice) + lattice) % lattice;
    int64_t lk_c = r < lk ? (lk - r + lattice - 1) / lattice : 0;
    int64_t lq_c = (lq - c + lattice - 1) / lattice;
    walk_class(next, cls, pred, head, bq, bk, lq_c, lk_c, (cp - r) / lattice, s);
  }
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

bool sched_stats_compute(MlirContext ctx, MlirOperation kernel, int64_t block_q,
                         int64_t block_k, int64_t seq_q, int64_t seq_k, sched_stats *stats,
                         int64_t *heads, int cap, int *ngroups) {
  *ngroups = 0;
  if (!sattn_verify_values(kernel))
    return false;
  MlirModule m = mlirModuleCreateEmpty(mlirOperationGetLocation(kernel));
  MlirOperation copy = mlirOperationClone(kernel);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), copy);
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
  for (int g = 0; ok && g < n; g++) {
    MlirOperation sched = mlirOpResultGetOwner(mlirOperationGetOperand(att, 3 + g));
    char tag[16];
    snprintf(tag, sizeof tag, "%d", g);
    ok = sched_helpers_build(ctx, code, tag, mlirOperationGetOperand(sched, 0),
                             mlirOperationGetOperand(sched, 1), block_k) &&
         pred_build(ctx, code, tag, mlirOperationGetOperand(sched, 0));
  }
  if (ok) {
    predicate_declare_runtime(ctx, code);
    ok = cpu_lower_to_llvm(ctx, code);
  }
  MlirExecutionEngine jit = ok ? cpu_jit_create(ctx, code, 2) : (MlirExecutionEngine){NULL};
  if (ok && mlirExecutionEngineIsNull(jit)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "the JIT could not compile the schedule");
    ok = false;
  }
  if (ok)
    mlirExecutionEngineRegisterSymbol(jit, mlirStringRefCreateFromCString("sattn_rt_random_member"),
                                      (void *)sattn_rt_random_member);
  for (int g = 0; ok && g < n; g++) {
    char name[64];
    snprintf(name, sizeof name, "next%d", g);
    next_fn next = (next_fn)mlirExecutionEngineLookup(jit, mlirStringRefCreateFromCString(name));
    snprintf(name, sizeof name, "class%d", g);
    class_fn cls = (class_fn)mlirExecutionEngineLookup(jit, mlirStringRefCreateFromCString(name));
    snprintf(name, sizeof name, "pred%d", g);
    pred_fn pred = (pred_fn)mlirExecutionEngineLookup(jit, mlirStringRefCreateFromCString(name));
    if (!next || !cls || !pred) {
      mlirEmitError(mlirOperationGetLocation(kernel), "the JIT lost a schedule helper");
      ok = false;
      break;
    }
    heads[g] = groups[g];
    walk(next, cls, pred, groups[g], block_q, block_k, seq_q, seq_k, lattice, &stats[g]);
  }
  if (ok)
    *ngroups = n;
  if (!mlirExecutionEngineIsNull(jit))
    mlirExecutionEngineDestroy(jit);
  mlirModuleDestroy(code);
  mlirModuleDestroy(m);
  return ok;
}
