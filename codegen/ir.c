/* Upstream op helpers (see ir.h). */
#include "ir.h"

#include <stdio.h>
#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"

MlirType ir_i1(ir_builder *b) { return mlirIntegerTypeGet(b->ctx, 1); }
MlirType ir_i8(ir_builder *b) { return mlirIntegerTypeGet(b->ctx, 8); }
MlirType ir_i64(ir_builder *b) { return mlirIntegerTypeGet(b->ctx, 64); }

/* Appends to the builder's block, or inserts before b->before when set. */
static void place(ir_builder *b, MlirOperation op) {
  if (b->before.ptr)
    mlirBlockInsertOwnedOperationBefore(b->block, b->before, op);
  else
    mlirBlockAppendOwnedOperation(b->block, op);
}

static MlirNamedAttribute named(MlirContext ctx, const char *name,
                                MlirAttribute a) {
  return mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString(name)), a);
}

static MlirValue add_op(ir_builder *b, const char *name, intptr_t nattrs,
                        const MlirNamedAttribute *attrs, intptr_t nops,
                        const MlirValue *ops, MlirType result) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(name), b->loc);
  if (nattrs)
    mlirOperationStateAddAttributes(&st, nattrs, attrs);
  if (nops)
    mlirOperationStateAddOperands(&st, nops, ops);
  mlirOperationStateAddResults(&st, 1, &result);
  MlirOperation op = mlirOperationCreate(&st);
  place(b, op);
  return mlirOperationGetResult(op, 0);
}

/* i1, or a vector of i1 of x's shape: the type of a comparison of x. */
static MlirType bool_like(ir_builder *b, MlirValue x) {
  MlirType t = mlirValueGetType(x);
  if (!mlirTypeIsAVector(t))
    return ir_i1(b);
  int64_t n = mlirShapedTypeGetDimSize(t, 0);
  return mlirVectorTypeGet(1, &n, ir_i1(b));
}

MlirValue ir_const_int(ir_builder *b, MlirType t, int64_t v) {
  MlirNamedAttribute a = named(b->ctx, "value", mlirIntegerAttrGet(t, v));
  return add_op(b, "arith.constant", 1, &a, 0, NULL, t);
}

MlirValue ir_const_bool(ir_builder *b, bool v) {
  return ir_const_int(b, ir_i1(b), v ? 1 : 0);
}

MlirValue ir_binary(ir_builder *b, const char *op, MlirValue x, MlirValue y) {
  MlirValue ops[] = {x, y};
  return add_op(b, op, 0, NULL, 2, ops, mlirValueGetType(x));
}

MlirValue ir_max_ordered(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_select(b, ir_cmpf(b, "ogt", x, y), x, y);
}

MlirValue ir_cmpi(ir_builder *b, const char *pred, MlirValue x, MlirValue y) {
  /* arith.cmpi predicate numbers (arith::CmpIPredicate). */
  static const char *const names[] = {"eq", "ne", "slt", "sle", "sgt", "sge",
                                      "ult", "ule", "ugt", "uge"};
  int64_t code = 0;
  for (int i = 0; i < 10; i++)
    if (strcmp(names[i], pred) == 0)
      code = i;
  MlirNamedAttribute a = named(
      b->ctx, "predicate", mlirIntegerAttrGet(ir_i64(b), code));
  MlirValue ops[] = {x, y};
  return add_op(b, "arith.cmpi", 1, &a, 2, ops, bool_like(b, x));
}

MlirValue ir_select(ir_builder *b, MlirValue c, MlirValue x, MlirValue y) {
  MlirValue ops[] = {c, x, y};
  return add_op(b, "arith.select", 0, NULL, 3, ops, mlirValueGetType(x));
}

MlirValue ir_convert(ir_builder *b, const char *op, MlirValue x, MlirType to) {
  return add_op(b, op, 0, NULL, 1, &x, to);
}

MlirValue ir_extui(ir_builder *b, MlirValue x, MlirType to) {
  return add_op(b, "arith.extui", 0, NULL, 1, &x, to);
}

void ir_return(ir_builder *b, intptr_t n, const MlirValue *vals) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("func.return"), b->loc);
  mlirOperationStateAddOperands(&st, n, vals);
  place(b, mlirOperationCreate(&st));
}

MlirBlock ir_func(MlirContext ctx, MlirModule module, const char *name,
                  MlirLocation loc, intptr_t nargs, const MlirType *args,
                  intptr_t nres, const MlirType *res, bool c_interface) {
  MlirType fty = mlirFunctionTypeGet(ctx, nargs, args, nres, res);
  MlirNamedAttribute attrs[3] = {
      named(ctx, "sym_name",
            mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(name))),
      named(ctx, "function_type", mlirTypeAttrGet(fty)),
      named(ctx, "llvm.emit_c_interface", mlirUnitAttrGet(ctx)),
  };
  MlirLocation locs[16];
  for (intptr_t i = 0; i < nargs && i < 16; i++)
    locs[i] = loc;
  MlirBlock entry = mlirBlockCreate(nargs < 16 ? nargs : 16, args, locs);
  MlirRegion body = mlirRegionCreate();
  mlirRegionAppendOwnedBlock(body, entry);
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("func.func"), loc);
  mlirOperationStateAddAttributes(&st, c_interface ? 3 : 2, attrs);
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(module), mlirOperationCreate(&st));
  return entry;
}

/* ---- kernels ------------------------------------------------------------- */

#include "mlir-c/BuiltinTypes.h"

MlirType ir_index(ir_builder *b) { return mlirIndexTypeGet(b->ctx); }
MlirType ir_f32(ir_builder *b) { return mlirF32TypeGet(b->ctx); }

MlirValue ir_const_index(ir_builder *b, int64_t v) {
  return ir_const_int(b, ir_index(b), v);
}

MlirValue ir_const_f32(ir_builder *b, float v) {
  MlirNamedAttribute a =
      named(b->ctx, "value", mlirFloatAttrDoubleGet(b->ctx, ir_f32(b), v));
  return add_op(b, "arith.constant", 1, &a, 0, NULL, ir_f32(b));
}

MlirValue ir_unary(ir_builder *b, const char *op, MlirValue x) {
  return add_op(b, op, 0, NULL, 1, &x, mlirValueGetType(x));
}

MlirValue ir_cmpf(ir_builder *b, const char *pred, MlirValue x, MlirValue y) {
  /* arith::CmpFPredicate numbers. */
  static const struct { const char *name; int code; } preds[] = {
      {"oeq", 1}, {"ogt", 2}, {"oge", 3}, {"olt", 4},
      {"ole", 5}, {"one", 6}, {"ord", 7}, {"uno", 14}};
  int64_t code = 0;
  for (size_t i = 0; i < sizeof preds / sizeof *preds; i++)
    if (strcmp(preds[i].name, pred) == 0)
      code = preds[i].code;
  MlirNamedAttribute a =
      named(b->ctx, "predicate", mlirIntegerAttrGet(ir_i64(b), code));
  MlirValue ops[] = {x, y};
  return add_op(b, "arith.cmpf", 1, &a, 2, ops, bool_like(b, x));
}

MlirValue ir_index_cast(ir_builder *b, MlirValue x, MlirType to) {
  return add_op(b, "arith.index_cast", 0, NULL, 1, &x, to);
}

MlirValue ir_dim(ir_builder *b, MlirValue memref, int64_t d) {
  MlirValue ops[] = {memref, ir_const_index(b, d)};
  return add_op(b, "memref.dim", 0, NULL, 2, ops, ir_index(b));
}

MlirValue ir_load(ir_builder *b, MlirValue memref, intptr_t n,
                  const MlirValue *idx) {
  MlirValue ops[8];
  ops[0] = memref;
  for (intptr_t i = 0; i < n && i < 7; i++)
    ops[i + 1] = idx[i];
  MlirType elem = mlirShapedTypeGetElementType(mlirValueGetType(memref));
  return add_op(b, "memref.load", 0, NULL, n + 1, ops, elem);
}

void ir_store(ir_builder *b, MlirValue v, MlirValue memref, intptr_t n,
              const MlirValue *idx) {
  MlirValue ops[9];
  ops[0] = v;
  ops[1] = memref;
  for (intptr_t i = 0; i < n && i < 7; i++)
    ops[i + 2] = idx[i];
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("memref.store"), b->loc);
  mlirOperationStateAddOperands(&st, n + 2, ops);
  place(b, mlirOperationCreate(&st));
}

MlirValue ir_alloca(ir_builder *b, MlirType memref_type) {
  /* memref.alloca takes operandSegmentSizes: no dynamic sizes, no symbols. */
  int32_t segs[] = {0, 0};
  /* Aligned to a cache line: a zmm load from an unaligned buffer splits
   * across two lines (the state buffers of cpu_step.c sat at 8 mod 64). */
  MlirNamedAttribute a[] = {
      named(b->ctx, "operandSegmentSizes", mlirDenseI32ArrayGet(b->ctx, 2, segs)),
      named(b->ctx, "alignment", mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), 64))};
  return add_op(b, "memref.alloca", 2, a, 0, NULL, memref_type);
}

static void add_terminator(ir_builder *b, const char *name, intptr_t n,
                           const MlirValue *vals) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(name), b->loc);
  if (n)
    mlirOperationStateAddOperands(&st, n, vals);
  place(b, mlirOperationCreate(&st));
}

MlirOperation ir_for(ir_builder *b, MlirValue lo, MlirValue hi, MlirValue step,
                     intptr_t n_iter, const MlirValue *inits, ir_for_body body,
                     void *user) {
  MlirType types[IR_MAX_ITER + 1];
  MlirLocation locs[IR_MAX_ITER + 1];
  types[0] = ir_index(b);
  locs[0] = b->loc;
  for (intptr_t i = 0; i < n_iter && i < IR_MAX_ITER; i++) {
    types[i + 1] = mlirValueGetType(inits[i]);
    locs[i + 1] = b->loc;
  }
  MlirBlock blk = mlirBlockCreate(n_iter + 1, types, locs);
  MlirRegion region = mlirRegionCreate();
  mlirRegionAppendOwnedBlock(region, blk);
  MlirValue ops[3 + IR_MAX_ITER] = {lo, hi, step};
  for (intptr_t i = 0; i < n_iter; i++)
    ops[3 + i] = inits[i];
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.for"), b->loc);
  mlirOperationStateAddOperands(&st, 3 + n_iter, ops);
  if (n_iter)
    mlirOperationStateAddResults(&st, n_iter, types + 1);
  mlirOperationStateAddOwnedRegions(&st, 1, &region);
  MlirOperation op = mlirOperationCreate(&st);
  place(b, op);
  ir_builder inner = {b->ctx, blk, b->loc, {NULL}};
  MlirValue iters[IR_MAX_ITER], yields[IR_MAX_ITER];
  for (intptr_t i = 0; i < n_iter; i++)
    iters[i] = mlirBlockGetArgument(blk, i + 1);
  body(&inner, mlirBlockGetArgument(blk, 0), iters, yields, user);
  add_terminator(&inner, "scf.yield", n_iter, yields);
  return op;
}

MlirOperation ir_if(ir_builder *b, MlirValue cond, intptr_t nres,
                    const MlirType *types, ir_if_branch then_fn,
                    ir_if_branch else_fn, void *user) {
  MlirRegion regions[2] = {mlirRegionCreate(), mlirRegionCreate()};
  MlirBlock blocks[2] = {mlirBlockCreate(0, NULL, NULL),
                         mlirBlockCreate(0, NULL, NULL)};
  mlirRegionAppendOwnedBlock(regions[0], blocks[0]);
  bool has_else = else_fn || nres;
  if (has_else)
    mlirRegionAppendOwnedBlock(regions[1], blocks[1]);
  else
    mlirBlockDestroy(blocks[1]);
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.if"), b->loc);
  mlirOperationStateAddOperands(&st, 1, &cond);
  if (nres)
    mlirOperationStateAddResults(&st, nres, types);
  mlirOperationStateAddOwnedRegions(&st, 2, regions);
  MlirOperation op = mlirOperationCreate(&st);
  place(b, op);
  MlirValue out[IR_MAX_ITER];
  ir_builder tb = {b->ctx, blocks[0], b->loc, {NULL}};
  then_fn(&tb, out, user);
  add_terminator(&tb, "scf.yield", nres, out);
  if (has_else) {
    ir_builder eb = {b->ctx, blocks[1], b->loc, {NULL}};
    if (else_fn)
      else_fn(&eb, out, user);
    add_terminator(&eb, "scf.yield", nres, out);
  }
  return op;
}

void ir_declare_func(MlirContext ctx, MlirModule module, const char *name,
                     intptr_t nargs, const MlirType *args, intptr_t nres,
                     const MlirType *res) {
  MlirType fty = mlirFunctionTypeGet(ctx, nargs, args, nres, res);
  MlirNamedAttribute attrs[] = {
      named(ctx, "sym_name", mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(name))),
      named(ctx, "function_type", mlirTypeAttrGet(fty)),
      named(ctx, "sym_visibility",
            mlirStringAttrGet(ctx, mlirStringRefCreateFromCString("private"))),
  };
  MlirRegion body = mlirRegionCreate(); /* empty: a declaration */
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("func.func"), mlirLocationUnknownGet(ctx));
  mlirOperationStateAddAttributes(&st, 3, attrs);
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(module), mlirOperationCreate(&st));
}

MlirValue ir_call(ir_builder *b, const char *name, intptr_t nargs,
                  const MlirValue *args, MlirType res) {
  MlirNamedAttribute a = named(
      b->ctx, "callee",
      mlirFlatSymbolRefAttrGet(b->ctx, mlirStringRefCreateFromCString(name)));
  return add_op(b, "func.call", 1, &a, nargs, args, res);
}

MlirOperation ir_while(ir_builder *b, intptr_t n, const MlirValue *inits,
                       ir_while_cond cond, ir_while_body body, void *user) {
  MlirType types[IR_MAX_ITER];
  MlirLocation locs[IR_MAX_ITER];
  for (intptr_t i = 0; i < n && i < IR_MAX_ITER; i++) {
    types[i] = mlirValueGetType(inits[i]);
    locs[i] = b->loc;
  }
  MlirBlock before = mlirBlockCreate(n, types, locs);
  MlirBlock after = mlirBlockCreate(n, types, locs);
  MlirRegion regions[2] = {mlirRegionCreate(), mlirRegionCreate()};
  mlirRegionAppendOwnedBlock(regions[0], before);
  mlirRegionAppendOwnedBlock(regions[1], after);
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.while"), b->loc);
  mlirOperationStateAddOperands(&st, n, inits);
  mlirOperationStateAddResults(&st, n, types);
  mlirOperationStateAddOwnedRegions(&st, 2, regions);
  MlirOperation op = mlirOperationCreate(&st);
  place(b, op);
  MlirValue args[IR_MAX_ITER + 1], out[IR_MAX_ITER + 1];
  ir_builder cb = {b->ctx, before, b->loc, {NULL}};
  for (intptr_t i = 0; i < n; i++)
    args[i] = mlirBlockGetArgument(before, i);
  out[0] = cond(&cb, args, user);
  for (intptr_t i = 0; i < n; i++)
    out[i + 1] = args[i];
  add_terminator(&cb, "scf.condition", n + 1, out);
  ir_builder ab = {b->ctx, after, b->loc, {NULL}};
  for (intptr_t i = 0; i < n; i++)
    args[i] = mlirBlockGetArgument(after, i);
  body(&ab, args, out, user);
  add_terminator(&ab, "scf.yield", n, out);
  return op;
}

MlirNamedAttribute ir_named(MlirContext ctx, const char *name, MlirAttribute a) {
  return named(ctx, name, a);
}

MlirOperation ir_op(ir_builder *b, const char *name, intptr_t nattrs,
                    const MlirNamedAttribute *attrs, intptr_t nops,
                    const MlirValue *ops, intptr_t nres, const MlirType *res) {
  MlirOperationState st = mlirOperationStateGet(mlirStringRefCreateFromCString(name), b->loc);
  if (nattrs)
    mlirOperationStateAddAttributes(&st, nattrs, attrs);
  if (nops)
    mlirOperationStateAddOperands(&st, nops, ops);
  if (nres)
    mlirOperationStateAddResults(&st, nres, res);
  MlirOperation op = mlirOperationCreate(&st);
  place(b, op);
  return op;
}

/* ---- vectors ---------------------------------------------------------------- */

MlirType ir_vec(ir_builder *b, MlirType elem, int64_t n) {
  return mlirVectorTypeGet(1, &n, elem);
}

MlirValue ir_splat_f32(ir_builder *b, MlirType vtype, float v) {
  MlirNamedAttribute a = named(b->ctx, "value", mlirDenseElementsAttrFloatSplatGet(vtype, v));
  return add_op(b, "arith.constant", 1, &a, 0, NULL, vtype);
}

MlirValue ir_const_vec_i32(ir_builder *b, int64_t n, const int32_t *vals) {
  MlirType t = ir_vec(b, mlirIntegerTypeGet(b->ctx, 32), n);
  MlirNamedAttribute a = named(b->ctx, "value", mlirDenseElementsAttrInt32Get(t, n, vals));
  return add_op(b, "arith.constant", 1, &a, 0, NULL, t);
}

MlirValue ir_broadcast(ir_builder *b, MlirValue x, MlirType vtype) {
  return add_op(b, "vector.broadcast", 0, NULL, 1, &x, vtype);
}

MlirValue ir_vload(ir_builder *b, MlirType vtype, MlirValue memref, intptr_t n,
                   const MlirValue *idx) {
  MlirValue ops[8];
  ops[0] = memref;
  for (intptr_t i = 0; i < n && i < 7; i++)
    ops[i + 1] = idx[i];
  return add_op(b, "vector.load", 0, NULL, n + 1, ops, vtype);
}

bool ir_unit_inner_stride(MlirValue memref) {
  MlirType t = mlirValueGetType(memref);
  if (!mlirTypeIsAMemRef(t))
    return false;
  MlirAttribute layout = mlirMemRefTypeGetLayout(t);
  intptr_t rank = mlirShapedTypeGetRank(t);
  if (mlirAttributeIsNull(layout) || mlirAttributeIsAAffineMap(layout))
    return mlirAttributeIsNull(layout) || mlirAffineMapIsIdentity(mlirAffineMapAttrGetValue(layout));
  return mlirAttributeIsAStridedLayout(layout) && rank > 0 &&
         mlirStridedLayoutAttrGetStride(layout, rank - 1) == 1;
}

MlirValue ir_shuffle(ir_builder *b, MlirValue x, MlirValue y, intptr_t n, const int64_t *mask) {
  MlirType t = mlirValueGetType(x);
  MlirType rt = ir_vec(b, mlirShapedTypeGetElementType(t), n);
  MlirNamedAttribute a = named(b->ctx, "mask", mlirDenseI64ArrayGet(b->ctx, n, mask));
  MlirValue ops[] = {x, y};
  return add_op(b, "vector.shuffle", 1, &a, 2, ops, rt);
}

void ir_vstore(ir_builder *b, MlirValue v, MlirValue memref, intptr_t n, const MlirValue *idx) {
  MlirValue ops[9];
  ops[0] = v;
  ops[1] = memref;
  for (intptr_t i = 0; i < n && i < 7; i++)
    ops[i + 2] = idx[i];
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("vector.store"), b->loc);
  mlirOperationStateAddOperands(&st, n + 2, ops);
  place(b, mlirOperationCreate(&st));
}

void ir_prefetch(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *idx, bool write) {
  MlirValue ops[8] = {memref};
  for (intptr_t i = 0; i < n && i < 7; i++)
    ops[i + 1] = idx[i];
  MlirNamedAttribute a[] = {
      named(b->ctx, "isWrite", mlirBoolAttrGet(b->ctx, write)),
      named(b->ctx, "localityHint", mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 32), 3)),
      named(b->ctx, "isDataCache", mlirBoolAttrGet(b->ctx, 1))};
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("memref.prefetch"), b->loc);
  mlirOperationStateAddOperands(&st, n + 1, ops);
  mlirOperationStateAddAttributes(&st, 3, a);
  place(b, mlirOperationCreate(&st));
}

MlirValue ir_fma(ir_builder *b, MlirValue x, MlirValue y, MlirValue z) {
  MlirValue ops[] = {x, y, z};
  return add_op(b, "vector.fma", 0, NULL, 3, ops, mlirValueGetType(x));
}

MlirValue ir_reduce(ir_builder *b, const char *kind, MlirValue v) {
  char text[64];
  snprintf(text, sizeof text, "#vector.kind<%s>", kind);
  MlirNamedAttribute a = named(
      b->ctx, "kind", mlirAttributeParseGet(b->ctx, mlirStringRefCreateFromCString(text)));
  return add_op(b, "vector.reduction", 1, &a, 1, &v,
                mlirShapedTypeGetElementType(mlirValueGetType(v)));
}

MlirValue ir_subview_axis2(ir_builder *b, MlirValue src, MlirValue offset, MlirValue size,
                           MlirValue stride) {
  MlirType t = mlirValueGetType(src);
  intptr_t rank = mlirShapedTypeGetRank(t);
  int64_t dyn = mlirShapedTypeGetDynamicSize();
  int64_t dyn_off = mlirShapedTypeGetDynamicStrideOrOffset();
  int64_t s_off[4] = {0, 0, dyn, 0}, s_size[4] = {dyn, dyn, dyn, dyn}, s_str[4] = {1, 1, dyn, 1};
  /* operands: source, offsets (axis 2), sizes (every axis), strides (axis 2) */
  MlirValue ops[8];
  intptr_t n = 0;
  ops[n++] = src;
  ops[n++] = offset;
  for (intptr_t d = 0; d < rank; d++)
    ops[n++] = d == 2 ? size : ir_dim(b, src, d);
  ops[n++] = stride;
  int32_t segs[] = {1, 1, (int32_t)rank, 1};
  MlirNamedAttribute attrs[] = {
      named(b->ctx, "static_offsets", mlirDenseI64ArrayGet(b->ctx, rank, s_off)),
      named(b->ctx, "static_sizes", mlirDenseI64ArrayGet(b->ctx, rank, s_size)),
      named(b->ctx, "static_strides", mlirDenseI64ArrayGet(b->ctx, rank, s_str)),
      named(b->ctx, "operandSegmentSizes", mlirDenseI32ArrayGet(b->ctx, 4, segs)),
  };
  /* The result: every size, stride and the offset dynamic, but the
   * innermost stride of the source when it is static (axis 2 is cut). */
  int64_t shape[4] = {dyn, dyn, dyn, dyn}, strides[4] = {dyn_off, dyn_off, dyn_off, dyn_off};
  MlirAttribute layout = mlirMemRefTypeGetLayout(t);
  if (rank == 4 && mlirAttributeIsAStridedLayout(layout))
    strides[3] = mlirStridedLayoutAttrGetStride(layout, 3);
  MlirType rt = mlirMemRefTypeGet(mlirShapedTypeGetElementType(t), rank, shape,
                                  mlirStridedLayoutAttrGet(b->ctx, dyn_off, rank, strides),
                                  mlirAttributeGetNull());
  return add_op(b, "memref.subview", 4, attrs, n, ops, rt);
}
