/* Element predicates (see predicate.h).
 *
 * Notation: p = absolute query position, j = key position, both i64; every
 * term is the formula of docs/pattern-language.md. floordivsi rounds toward
 * minus infinity, as the block terms need when p < 0 (Lq > Lk). */
#include "predicate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "memo.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"

typedef struct pred_ctx {
  ir_builder *b;
  MlirValue p, j, t; /* t: the constant true */
  int64_t lanes;     /* 0: scalars; else p and j are vector<lanes x i64> */
  const pred_env *env;
  memo memo;
  bool failed;
} pred_ctx;

static MlirValue splat(pred_ctx *c, MlirValue x) {
  return c->lanes ? ir_broadcast(c->b, x, ir_vec(c->b, mlirValueGetType(x), c->lanes)) : x;
}

static MlirValue c64(pred_ctx *c, int64_t v) {
  return splat(c, ir_const_int(c->b, ir_i64(c->b), v));
}

static MlirValue cbool(pred_ctx *c, bool v) { return splat(c, ir_const_bool(c->b, v)); }

static int64_t attr(MlirOperation op, const char *name) {
  int64_t v = 0;
  sattn_get_int_attr(op, name, &v);
  return v;
}

/* lo <= x <= hi */
static MlirValue in_closed(pred_ctx *c, MlirValue x, int64_t lo, int64_t hi) {
  return ir_binary(c->b, "arith.andi", ir_cmpi(c->b, "sge", x, c64(c, lo)),
                   ir_cmpi(c->b, "sle", x, c64(c, hi)));
}

static MlirValue divisible(pred_ctx *c, MlirValue x, int64_t d) {
  MlirValue r = ir_binary(c->b, "arith.remsi", x, c64(c, d));
  return ir_cmpi(c->b, "eq", r, c64(c, 0));
}

static MlirValue emit(pred_ctx *c, MlirValue mask, int depth);

static MlirValue emit_op(pred_ctx *c, MlirOperation op, int depth) {
  ir_builder *b = c->b;
  switch (sattn_op_get_kind(op)) {
  case SATTN_FULL:
    return c->t;
  case SATTN_CAUSAL:
    return ir_cmpi(b, "sle", c->j, c->p);
  case SATTN_WINDOW: {
    MlirValue d = ir_binary(b, "arith.subi", c->j, c->p);
    return in_closed(c, d, -attr(op, "left"), attr(op, "right"));
  }
  case SATTN_LOCAL: {
    MlirValue blk = c64(c, attr(op, "block"));
    MlirValue qb = ir_binary(b, "arith.floordivsi", c->p, blk);
    MlirValue kb = ir_binary(b, "arith.floordivsi", c->j, blk);
    int64_t w = attr(op, "width");
    return in_closed(c, ir_binary(b, "arith.subi", qb, kb), -w, w);
  }
  case SATTN_DILATED: {
    MlirValue d = ir_binary(b, "arith.subi", c->p, c->j);
    int64_t dil = attr(op, "dilation"), reach = attr(op, "radius") * dil;
    return ir_binary(b, "arith.andi", in_closed(c, d, -reach, reach),
                     divisible(c, d, dil));
  }
  case SATTN_STRIDE:
    return divisible(c, ir_binary(b, "arith.subi", c->p, c->j), attr(op, "stride"));
  case SATTN_SUMMARY: {
    int64_t s = attr(op, "stride"), n = attr(op, "count");
    MlirValue r = ir_binary(b, "arith.remsi", c->j, c64(c, s));
    return ir_cmpi(b, "sge", r, c64(c, s - n));
  }
  case SATTN_GLOBAL:
  case SATTN_COLUMNS:
  case SATTN_ROWS: {
    sattn_op_kind kind = sattn_op_get_kind(op);
    bool rows = kind != SATTN_COLUMNS, cols = kind != SATTN_ROWS;
    int64_t stack[64], *r = stack;
    intptr_t n = sattn_get_i64_array(op, "ranges", stack, 64);
    if (n > 64) {
      r = malloc((size_t)n * sizeof *r);
      if (!r)
        return (MlirValue){NULL};
      sattn_get_i64_array(op, "ranges", r, n);
    }
    MlirValue any = cbool(c, false);
    for (intptr_t k = 0; k + 1 < n; k += 2) {
      MlirValue hit = cols ? in_closed(c, c->j, r[k], r[k + 1] - 1) : cbool(c, false);
      if (rows)
        hit = ir_binary(b, "arith.ori", in_closed(c, c->p, r[k], r[k + 1] - 1), hit);
      any = ir_binary(b, "arith.ori", any, hit);
    }
    if (r != stack)
      free(r);
    return any;
  }
  case SATTN_UNION:
  case SATTN_INTERSECT: {
    bool is_union = sattn_op_get_kind(op) == SATTN_UNION;
    MlirValue acc = emit(c, mlirOperationGetOperand(op, 0), depth + 1);
    for (intptr_t k = 1; acc.ptr && k < mlirOperationGetNumOperands(op); k++) {
      MlirValue x = emit(c, mlirOperationGetOperand(op, k), depth + 1);
      acc = x.ptr ? ir_binary(b, is_union ? "arith.ori" : "arith.andi", acc, x)
                  : x;
    }
    return acc;
  }
  case SATTN_DIFFERENCE: {
    MlirValue l = emit(c, mlirOperationGetOperand(op, 0), depth + 1);
    MlirValue r = l.ptr ? emit(c, mlirOperationGetOperand(op, 1), depth + 1) : l;
    if (!r.ptr)
      return r;
    return ir_binary(b, "arith.andi", l, ir_binary(b, "arith.xori", r, c->t));
  }
  case SATTN_RANDOM: {
    if (c->lanes) {
      mlirEmitError(mlirOperationGetLocation(op),
                    "'sattn.random' has no vector element predicate (check "
                    "predicate_vectorizable first)");
      return (MlirValue){NULL};
    }
    if (!c->env) {
      mlirEmitError(mlirOperationGetLocation(op),
                    "'sattn.random' needs the key length and head of a kernel "
                    "for its element predicate");
      return (MlirValue){NULL};
    }
    int64_t blk = attr(op, "block");
    MlirValue bv = c64(c, blk);
    MlirAttribute ph = mlirOperationGetAttributeByName(
        op, mlirStringRefCreateFromCString("per_head"));
    bool by_head = !mlirAttributeIsNull(ph) && mlirBoolAttrGetValue(ph);
    MlirValue per_head = by_head ? c->env->head : c64(c, 0);
    MlirValue args[] = {
        c64(c, attr(op, "seed")),
        ir_binary(b, "arith.floordivsi", c->p, bv),
        per_head,
        c64(c, attr(op, "count")),
        ir_binary(b, "arith.ceildivsi", c->env->lk, bv),
        ir_binary(b, "arith.floordivsi", c->j, bv),
    };
    MlirValue r = ir_call(b, "sattn_rt_random_member", 6, args, ir_i8(b));
    return ir_cmpi(b, "ne", r, ir_const_int(b, ir_i8(b), 0));
  }
  case SATTN_TOPK:
  case SATTN_BLOCKS:
  case SATTN_SAME:
    mlirEmitError(mlirOperationGetLocation(op),
                  "a dynamic term has no static element predicate (its selection "
                  "is made at run time)");
    return (MlirValue){NULL};
  default:
    mlirEmitError(mlirOperationGetLocation(op), "expected a sattn mask op");
    return (MlirValue){NULL};
  }
}

static MlirValue emit(pred_ctx *c, MlirValue mask, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > 4000) {
    if (!c->failed)
      mlirEmitError(mlirValueIsAOpResult(mask)
                        ? mlirOperationGetLocation(mlirOpResultGetOwner(mask))
                        : mlirLocationUnknownGet(c->b->ctx),
                    "the mask is nested too deeply (or not built from sattn ops) "
                    "for an element predicate");
    c->failed = true;
    return (MlirValue){NULL};
  }
  MlirOperation op = mlirOpResultGetOwner(mask);
  bool found;
  MlirValue *slot = memo_slot(&c->memo, op.ptr, &found);
  if (!slot)
    return (MlirValue){NULL};
  if (found)
    return *slot;
  MlirValue v = emit_op(c, op, depth);
  /* The table may have grown meanwhile: look the slot up again. */
  slot = memo_slot(&c->memo, op.ptr, &found);
  if (slot)
    *slot = v;
  if (!v.ptr)
    c->failed = true;
  return v;
}

static bool declared(MlirModule module, const char *name) {
  for (MlirOperation op = mlirBlockGetFirstOperation(mlirModuleGetBody(module));
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirAttribute n = mlirOperationGetAttributeByName(
        op, mlirStringRefCreateFromCString("sym_name"));
    if (!mlirAttributeIsNull(n) && mlirAttributeIsAString(n) &&
        mlirStringRefEqual(mlirStringAttrGetValue(n), mlirStringRefCreateFromCString(name)))
      return true;
  }
  return false;
}

void predicate_declare_runtime(MlirContext ctx, MlirModule module) {
  /* Once per module: kernels share them. */
  MlirType i64 = mlirIntegerTypeGet(ctx, 64), i8 = mlirIntegerTypeGet(ctx, 8);
  MlirType args[] = {i64, i64, i64, i64, i64, i64};
  if (!declared(module, "sattn_rt_random_member"))
    ir_declare_func(ctx, module, "sattn_rt_random_member", 6, args, 1, &i8);
  if (!declared(module, "sattn_rt_random_next"))
    ir_declare_func(ctx, module, "sattn_rt_random_next", 6, args, 1, &i64);
}

MlirValue predicate_emit(ir_builder *b, MlirValue mask, MlirValue p,
                         MlirValue j, const pred_env *env) {
  pred_ctx c = {b, p, j, ir_const_bool(b, true), 0, env, {0}, false};
  MlirValue v = emit(&c, mask, 0);
  memo_free(&c.memo);
  return c.failed ? (MlirValue){NULL} : v;
}

MlirValue predicate_emit_vec(ir_builder *b, MlirValue mask, MlirValue p,
                             MlirValue j, const pred_env *env) {
  int64_t lanes = mlirShapedTypeGetDimSize(mlirValueGetType(p), 0);
  pred_ctx c = {b, p, j, {NULL}, lanes, env, {0}, false};
  c.t = cbool(&c, true);
  MlirValue v = emit(&c, mask, 0);
  memo_free(&c.memo);
  return c.failed ? (MlirValue){NULL} : v;
}

/* Memoised over the DAG: a sub-mask shared by several parents is visited
 * once (without the memo, a chain of n terms each used twice took 2^n
 * visits). A node met again was proven vectorizable: the walk stops at the
 * first node that is not. */
static bool vectorizable(MlirValue mask, int depth, memo *seen) {
  if (!mlirValueIsAOpResult(mask) || depth > 4000)
    return false;
  MlirOperation op = mlirOpResultGetOwner(mask);
  bool found;
  if (!memo_slot(seen, op.ptr, &found))
    return false; /* out of memory: take the scalar path */
  if (found)
    return true;
  switch (sattn_op_get_kind(op)) {
  case SATTN_FULL: case SATTN_CAUSAL: case SATTN_WINDOW: case SATTN_LOCAL:
  case SATTN_DILATED: case SATTN_STRIDE: case SATTN_SUMMARY: case SATTN_GLOBAL:
  case SATTN_COLUMNS: case SATTN_ROWS:
    return true;
  case SATTN_UNION: case SATTN_INTERSECT: case SATTN_DIFFERENCE:
    for (intptr_t k = 0; k < mlirOperationGetNumOperands(op); k++)
      if (!vectorizable(mlirOperationGetOperand(op, k), depth + 1, seen))
        return false;
    return true;
  default:
    return false;
  }
}

bool predicate_vectorizable(MlirValue mask) {
  memo seen = {0};
  bool ok = vectorizable(mask, 0, &seen);
  memo_free(&seen);
  return ok;
}

bool predicate_func(MlirContext ctx, MlirModule module, const char *name,
                    MlirValue mask) {
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  MlirType i64 = mlirIntegerTypeGet(ctx, 64), i8 = mlirIntegerTypeGet(ctx, 8);
  MlirType args[] = {i64, i64};
  MlirBlock entry = ir_func(ctx, module, name, loc, 2, args, 1, &i8, false);
  ir_builder b = {ctx, entry, loc, {NULL}};
  MlirValue v = predicate_emit(&b, mask, mlirBlockGetArgument(entry, 0),
                               mlirBlockGetArgument(entry, 1), NULL);
  if (!v.ptr)
    return false;
  MlirValue r = ir_extui(&b, v, i8);
  ir_return(&b, 1, &r);
  return true;
}
