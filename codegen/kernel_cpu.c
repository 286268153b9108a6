/* CPU attention kernel, first version (see kernel_cpu.h).
 *
 * Notation: b batch, h query head, hk = h / (Hq / Hkv) its key/value head,
 * i query row, p = i + Lk - Lq its absolute position, j key, d head-dim
 * index; m running max, l running sum, acc[D] the unnormalised output. */
#include "kernel_cpu.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "ir.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/BuiltinTypes.h"
#include "predicate.h"
#include "registry.h"

enum { MAX_GROUPS = 64 };

typedef struct gen {
  MlirOperation att;
  int64_t D, block_q, ngroups;
  int64_t groups[MAX_GROUPS + 1];
  MlirValue masks[MAX_GROUPS];
  float scale;
  MlirType elem; /* f32, f16 or bf16: q, k, v and out */
  /* values of the item function */
  MlirValue q, k, v, out, lse, write_lse;
  MlirValue Lq, Lk, shift; /* index, index, i64 (Lk - Lq) */
  MlirValue bb, h, hk, h64, lk64;
  MlirValue acc; /* memref<Dxf32> */
  /* per row */
  MlirValue i, p;
  bool failed;
  int visits;
} gen;

/* ---- closed-form key hull of a mask at row p ------------------------------ */

/* Offsets are at most 2^40 (sattn-verify): p +- offset cannot overflow. */
static MlirValue add_const(ir_builder *b, MlirValue p, int64_t x) {
  return ir_binary(b, "arith.addi", p, ir_const_int(b, ir_i64(b), x));
}

enum { MAX_MASK_DEPTH = 4000 }; /* recursion stays well inside the stack */

static void hull_at(gen *g, ir_builder *b, MlirValue mask, MlirValue p,
                    MlirValue *lo, MlirValue *hi, int depth);

static void hull(gen *g, ir_builder *b, MlirValue mask, MlirValue p,
                 MlirValue *lo, MlirValue *hi) {
  hull_at(g, b, mask, p, lo, hi, 0);
}

static void hull_at(gen *g, ir_builder *b, MlirValue mask, MlirValue p,
                    MlirValue *lo, MlirValue *hi, int depth) {
  MlirValue zero = ir_const_int(b, ir_i64(b), 0);
  if (depth > MAX_MASK_DEPTH || ++g->visits > 1000000 || !mlirValueIsAOpResult(mask)) {
    if (!g->failed)
      mlirEmitError(mlirValueIsAOpResult(mask)
                        ? mlirOperationGetLocation(mlirOpResultGetOwner(mask))
                        : mlirLocationUnknownGet(b->ctx),
                    "the mask is nested too deeply (or not built from sattn ops) for "
                    "the CPU back end");
    g->failed = true;
    *lo = zero;
    *hi = g->lk64;
    return;
  }
  MlirOperation op = mlirOpResultGetOwner(mask);
  int64_t x = 0, y = 0;
  switch (sattn_op_get_kind(op)) {
  case SATTN_CAUSAL:
    *lo = zero;
    *hi = ir_binary(b, "arith.addi", p, ir_const_int(b, ir_i64(b), 1));
    return;
  case SATTN_WINDOW:
    sattn_get_int_attr(op, "left", &x);
    sattn_get_int_attr(op, "right", &y);
    *lo = add_const(b, p, -x);
    *hi = add_const(b, p, y + 1);
    return;
  case SATTN_DILATED:
    sattn_get_int_attr(op, "radius", &x);
    sattn_get_int_attr(op, "dilation", &y);
    *lo = add_const(b, p, -x * y);
    *hi = add_const(b, p, x * y + 1);
    return;
  case SATTN_LOCAL: {
    sattn_get_int_attr(op, "width", &x);
    sattn_get_int_attr(op, "block", &y);
    MlirValue blk = ir_const_int(b, ir_i64(b), y);
    MlirValue qb = ir_binary(b, "arith.floordivsi", p, blk);
    *lo = ir_binary(b, "arith.muli",
                    ir_binary(b, "arith.subi", qb, ir_const_int(b, ir_i64(b), x)), blk);
    *hi = ir_binary(b, "arith.muli",
                    ir_binary(b, "arith.addi", qb, ir_const_int(b, ir_i64(b), x + 1)),
                    blk);
    return;
  }
  case SATTN_UNION:
  case SATTN_INTERSECT: {
    bool un = sattn_op_get_kind(op) == SATTN_UNION;
    hull_at(g, b, mlirOperationGetOperand(op, 0), p, lo, hi, depth + 1);
    for (intptr_t k = 1; k < mlirOperationGetNumOperands(op); k++) {
      MlirValue l2, h2;
      hull_at(g, b, mlirOperationGetOperand(op, k), p, &l2, &h2, depth + 1);
      *lo = ir_binary(b, un ? "arith.minsi" : "arith.maxsi", *lo, l2);
      *hi = ir_binary(b, un ? "arith.maxsi" : "arith.minsi", *hi, h2);
    }
    return;
  }
  case SATTN_DIFFERENCE:
    hull_at(g, b, mlirOperationGetOperand(op, 0), p, lo, hi, depth + 1);
    return;
  default: /* full, stride, summary, global: every key may be allowed */
    *lo = zero;
    *hi = g->lk64;
    return;
  }
}

/* ---- the row loop ---------------------------------------------------------- */

/* Whether head h (i64) is in group k. */
static MlirValue in_group(gen *g, ir_builder *b, int64_t k) {
  MlirValue ge = ir_cmpi(b, "sge", g->h64, ir_const_int(b, ir_i64(b), g->groups[k]));
  if (g->groups[k + 1] < 0)
    return ge;
  MlirValue lt = ir_cmpi(b, "slt", g->h64, ir_const_int(b, ir_i64(b), g->groups[k + 1]));
  return ir_binary(b, "arith.andi", ge, lt);
}

/* The value of group-wise values by head: vals[k] for h's group. */
static MlirValue by_group(gen *g, ir_builder *b, const MlirValue *vals) {
  MlirValue r = vals[g->ngroups - 1];
  for (int64_t k = g->ngroups - 2; k >= 0; k--)
    r = ir_select(b, in_group(g, b, k), vals[k], r);
  return r;
}

/* A load widened to f32 (bf16 and f16 inputs accumulate in f32). */
static MlirValue load_f32(ir_builder *b, MlirValue memref, intptr_t n,
                          const MlirValue *idx) {
  MlirValue x = ir_load(b, memref, n, idx);
  return mlirTypeIsAF32(mlirValueGetType(x)) ? x : ir_convert(b, "arith.extf", x, ir_f32(b));
}

/* A store narrowed to the memref's element type. */
static void store_from_f32(ir_builder *b, MlirValue x, MlirValue memref,
                           intptr_t n, const MlirValue *idx) {
  MlirType elem = mlirShapedTypeGetElementType(mlirValueGetType(memref));
  if (!mlirTypeIsAF32(elem))
    x = ir_convert(b, "arith.truncf", x, elem);
  ir_store(b, x, memref, n, idx);
}

typedef struct dot_ctx {
  gen *g;
  MlirValue j; /* index */
} dot_ctx;

static void dot_body(ir_builder *b, MlirValue d, const MlirValue *it,
                     MlirValue *y, void *user) {
  dot_ctx *c = user;
  gen *g = c->g;
  MlirValue qi[] = {g->bb, g->h, g->i, d}, ki[] = {g->bb, g->hk, c->j, d};
  MlirValue prod = ir_binary(b, "arith.mulf", load_f32(b, g->q, 4, qi),
                             load_f32(b, g->k, 4, ki));
  y[0] = ir_binary(b, "arith.addf", it[0], prod);
}

typedef struct upd_ctx {
  gen *g;
  MlirValue j, corr, pe;
} upd_ctx;

static void update_body(ir_builder *b, MlirValue d, const MlirValue *it,
                        MlirValue *y, void *user) {
  upd_ctx *c = user;
  gen *g = c->g;
  MlirValue vi[] = {g->bb, g->hk, c->j, d};
  MlirValue a = ir_load(b, g->acc, 1, &d);
  MlirValue na = ir_binary(b, "arith.addf", ir_binary(b, "arith.mulf", a, c->corr),
                           ir_binary(b, "arith.mulf", c->pe, load_f32(b, g->v, 4, vi)));
  ir_store(b, na, g->acc, 1, &d);
}

typedef struct key_ctx {
  gen *g;
  MlirValue j, m, l;
} key_ctx;

/* The key is allowed: fold its score into (m, l, acc). */
static void allowed_branch(ir_builder *b, MlirValue *out, void *user) {
  key_ctx *c = user;
  gen *g = c->g;
  MlirValue zero = ir_const_index(b, 0), one = ir_const_index(b, 1);
  MlirValue init = ir_const_f32(b, 0.0f);
  dot_ctx dc = {g, c->j};
  MlirOperation dot = ir_for(b, zero, ir_const_index(b, g->D), one, 1, &init,
                             dot_body, &dc);
  MlirValue s = ir_binary(b, "arith.mulf", mlirOperationGetResult(dot, 0),
                          ir_const_f32(b, g->scale));
  MlirValue m_new = ir_binary(b, "arith.maximumf", c->m, s);
  MlirValue corr = ir_unary(b, "math.exp", ir_binary(b, "arith.subf", c->m, m_new));
  MlirValue pe = ir_unary(b, "math.exp", ir_binary(b, "arith.subf", s, m_new));
  out[0] = m_new;
  out[1] = ir_binary(b, "arith.addf", ir_binary(b, "arith.mulf", c->l, corr), pe);
  upd_ctx uc = {g, c->j, corr, pe};
  ir_for(b, zero, ir_const_index(b, g->D), one, 0, NULL, update_body, &uc);
}

static void skipped_branch(ir_builder *b, MlirValue *out, void *user) {
  key_ctx *c = user;
  out[0] = c->m;
  out[1] = c->l;
}

static void key_body(ir_builder *b, MlirValue j, const MlirValue *it,
                     MlirValue *y, void *user) {
  gen *g = user;
  MlirValue j64 = ir_index_cast(b, j, ir_i64(b));
  MlirValue preds[MAX_GROUPS];
  for (int64_t k = 0; k < g->ngroups; k++) {
    pred_env env = {g->lk64, g->h64};
    preds[k] = predicate_emit(b, g->masks[k], g->p, j64, &env);
    if (!preds[k].ptr) {
      g->failed = true;
      preds[k] = ir_const_bool(b, false);
    }
  }
  MlirValue allowed = by_group(g, b, preds);
  key_ctx kc = {g, j, it[0], it[1]};
  MlirType t2[] = {ir_f32(b), ir_f32(b)};
  MlirOperation iff = ir_if(b, allowed, 2, t2, allowed_branch, skipped_branch, &kc);
  y[0] = mlirOperationGetResult(iff, 0);
  y[1] = mlirOperationGetResult(iff, 1);
}

static void zero_body(ir_builder *b, MlirValue d, const MlirValue *it,
                      MlirValue *y, void *user) {
  gen *g = user;
  ir_store(b, ir_const_f32(b, 0.0f), g->acc, 1, &d);
}

typedef struct fin_ctx {
  gen *g;
  MlirValue l, m;
} fin_ctx;

static void write_body(ir_builder *b, MlirValue d, const MlirValue *it,
                       MlirValue *y, void *user) {
  fin_ctx *c = user;
  gen *g = c->g;
  /* l > 0: acc / l; an empty row (l = 0) gives 0, never NaN. */
  MlirValue pos = ir_cmpf(b, "ogt", c->l, ir_const_f32(b, 0.0f));
  MlirValue safe_l = ir_select(b, pos, c->l, ir_const_f32(b, 1.0f));
  MlirValue val = ir_binary(b, "arith.divf", ir_load(b, g->acc, 1, &d), safe_l);
  val = ir_select(b, pos, val, ir_const_f32(b, 0.0f));
  MlirValue oi[] = {g->bb, g->h, g->i, d};
  store_from_f32(b, val, g->out, 4, oi);
}

static void lse_branch(ir_builder *b, MlirValue *out, void *user) {
  fin_ctx *c = user;
  gen *g = c->g;
  MlirValue pos = ir_cmpf(b, "ogt", c->l, ir_const_f32(b, 0.0f));
  MlirValue safe_l = ir_select(b, pos, c->l, ir_const_f32(b, 1.0f));
  MlirValue val = ir_binary(b, "arith.addf", c->m, ir_unary(b, "math.log", safe_l));
  val = ir_select(b, pos, val, ir_const_f32(b, -INFINITY));
  MlirValue li[] = {g->bb, g->h, g->i};
  ir_store(b, val, g->lse, 3, li);
}

static void row_body(ir_builder *b, MlirValue i, const MlirValue *it,
                     MlirValue *y, void *user) {
  gen *g = user;
  g->i = i;
  g->p = ir_binary(b, "arith.addi", ir_index_cast(b, i, ir_i64(b)), g->shift);
  MlirValue los[MAX_GROUPS], his[MAX_GROUPS];
  for (int64_t k = 0; k < g->ngroups; k++)
    hull(g, b, g->masks[k], g->p, &los[k], &his[k]);
  MlirValue zero64 = ir_const_int(b, ir_i64(b), 0);
  MlirValue lo = ir_binary(b, "arith.maxsi", by_group(g, b, los), zero64);
  MlirValue hi = ir_binary(b, "arith.minsi", by_group(g, b, his), g->lk64);
  hi = ir_binary(b, "arith.maxsi", hi, lo);
  MlirValue zero = ir_const_index(b, 0), one = ir_const_index(b, 1);
  ir_for(b, zero, ir_const_index(b, g->D), one, 0, NULL, zero_body, g);
  MlirValue inits[] = {ir_const_f32(b, -INFINITY), ir_const_f32(b, 0.0f)};
  MlirOperation keys = ir_for(b, ir_index_cast(b, lo, ir_index(b)),
                              ir_index_cast(b, hi, ir_index(b)), one, 2, inits,
                              key_body, g);
  fin_ctx fc = {g, mlirOperationGetResult(keys, 1), mlirOperationGetResult(keys, 0)};
  ir_for(b, zero, ir_const_index(b, g->D), one, 0, NULL, write_body, &fc);
  MlirValue wl = ir_cmpi(b, "ne", g->write_lse, ir_const_int(b, ir_i64(b), 0));
  ir_if(b, wl, 0, NULL, lse_branch, NULL, &fc);
}

/* ---- the item function ----------------------------------------------------- */

static bool collect(MlirContext ctx, MlirOperation kernel, gen *g) {
  /* Hand-written IR reaches here through sattn-opt: check values first. */
  if (mlirOperationGetNumRegions(kernel) != 1 ||
      mlirBlockIsNull(mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0)))) {
    mlirEmitError(mlirOperationGetLocation(kernel),
                  "a sattn kernel needs a body holding one sattn.attention");
    return false;
  }
  if (!sattn_verify_values(kernel) || !mlirOperationVerify(kernel))
    return false;
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_ATTENTION)
      g->att = op;
  if (mlirOperationIsNull(g->att)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "kernel has no sattn.attention");
    return false;
  }
  MlirType qt = mlirValueGetType(mlirOperationGetOperand(g->att, 0));
  g->elem = mlirShapedTypeGetElementType(qt);
  g->D = mlirShapedTypeGetDimSize(qt, 3);
  g->ngroups = mlirOperationGetNumOperands(g->att) - 3;
  if (g->ngroups < 1 || g->ngroups > MAX_GROUPS ||
      sattn_get_i64_array(g->att, "groups", g->groups, MAX_GROUPS + 1) !=
          g->ngroups + 1) {
    mlirEmitError(mlirOperationGetLocation(g->att), "bad head groups");
    return false;
  }
  for (int64_t k = 0; k < g->ngroups; k++)
    g->masks[k] = mlirOperationGetOperand(g->att, 3 + k);
  MlirAttribute scale = mlirOperationGetAttributeByName(
      g->att, mlirStringRefCreateFromCString("scale"));
  g->scale = (float)mlirFloatAttrGetValueDouble(scale);
  return true;
}

bool kernel_cpu_build(MlirContext ctx, MlirModule out, MlirOperation kernel,
                      const char *name, int64_t block_q, kernel_cpu_info *info) {
  gen g;
  memset(&g, 0, sizeof g);
  g.block_q = block_q;
  if (!collect(ctx, kernel, &g))
    return false;
  /* memref<?x?x?x?xT, strided<[?, ?, ?, ?], offset: ?>> */
  int64_t dyn = mlirShapedTypeGetDynamicSize();
  int64_t dyn4[] = {dyn, dyn, dyn, dyn};
  MlirAttribute layout = mlirStridedLayoutAttrGet(ctx, mlirShapedTypeGetDynamicStrideOrOffset(),
                                                  4, (int64_t[]){
                                                      mlirShapedTypeGetDynamicStrideOrOffset(),
                                                      mlirShapedTypeGetDynamicStrideOrOffset(),
                                                      mlirShapedTypeGetDynamicStrideOrOffset(),
                                                      mlirShapedTypeGetDynamicStrideOrOffset()});
  MlirType m4 = mlirMemRefTypeGet(g.elem, 4, dyn4, layout, mlirAttributeGetNull());
  MlirType m3 = mlirTypeParseGet(ctx, mlirStringRefCreateFromCString(
      "memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>"));
  MlirType i64 = mlirIntegerTypeGet(ctx, 64);
  MlirType args[] = {m4, m4, m4, m4, m3, i64, i64};
  char fname[300];
  snprintf(fname, sizeof fname, "%s_item", name);
  MlirLocation loc = mlirOperationGetLocation(g.att);
  predicate_declare_runtime(ctx, out);
  MlirBlock entry = ir_func(ctx, out, fname, loc, 7, args, 0, NULL, true);
  ir_builder b = {ctx, entry, loc};
  g.q = mlirBlockGetArgument(entry, 0);
  g.k = mlirBlockGetArgument(entry, 1);
  g.v = mlirBlockGetArgument(entry, 2);
  g.out = mlirBlockGetArgument(entry, 3);
  g.lse = mlirBlockGetArgument(entry, 4);
  g.write_lse = mlirBlockGetArgument(entry, 5);
  MlirValue item = ir_index_cast(&b, mlirBlockGetArgument(entry, 6), ir_index(&b));
  /* item -> (b, h, query tile) */
  MlirValue Hq = ir_dim(&b, g.q, 1), Hkv = ir_dim(&b, g.k, 1);
  g.Lq = ir_dim(&b, g.q, 2);
  g.Lk = ir_dim(&b, g.k, 2);
  g.lk64 = ir_index_cast(&b, g.Lk, ir_i64(&b));
  g.shift = ir_binary(&b, "arith.subi", g.lk64, ir_index_cast(&b, g.Lq, ir_i64(&b)));
  MlirValue bq = ir_const_index(&b, block_q);
  MlirValue ntiles = ir_binary(&b, "arith.ceildivui", g.Lq, bq);
  MlirValue tile = ir_binary(&b, "arith.remui", item, ntiles);
  MlirValue bh = ir_binary(&b, "arith.divui", item, ntiles);
  g.h = ir_binary(&b, "arith.remui", bh, Hq);
  g.bb = ir_binary(&b, "arith.divui", bh, Hq);
  g.hk = ir_binary(&b, "arith.divui", g.h, ir_binary(&b, "arith.divui", Hq, Hkv));
  g.h64 = ir_index_cast(&b, g.h, ir_i64(&b));
  MlirValue i0 = ir_binary(&b, "arith.muli", tile, bq);
  MlirValue i1 = ir_binary(&b, "arith.minui", ir_binary(&b, "arith.addi", i0, bq), g.Lq);
  int64_t shape[] = {g.D};
  g.acc = ir_alloca(&b, mlirMemRefTypeGet(ir_f32(&b), 1, shape,
                                          mlirAttributeGetNull(), mlirAttributeGetNull()));
  ir_for(&b, i0, i1, ir_const_index(&b, 1), 0, NULL, row_body, &g);
  ir_return(&b, 0, NULL);
  if (g.failed) {
    mlirEmitError(loc, "this pattern is not supported by the CPU back end yet");
    return false;
  }
  if (info)
    *info = (kernel_cpu_info){g.D, block_q, mlirOperationGetNumResults(g.att) == 2,
                              mlirTypeIsABF16(g.elem)  ? 2
                              : mlirTypeIsAF16(g.elem) ? 1
                                                       : 0,
                              g.groups[g.ngroups] > 0 ? g.groups[g.ngroups] : 0};
  return true;
}
