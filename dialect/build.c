/* IR builders for the sattn ops over a generic build_op(). */
#include "build.h"

#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "ops.h"

sattn_builder sattn_builder_at_end(MlirBlock block) {
  MlirOperation parent = mlirBlockGetParentOperation(block);
  sattn_builder b = {mlirOperationGetContext(parent), block, {NULL}};
  return b;
}

MlirType sattn_mask_type(MlirContext ctx) {
  return mlirTypeParseGet(ctx, mlirStringRefCreateFromCString("!sattn.mask"));
}

bool sattn_is_mask_type(MlirType t) {
  return !mlirTypeIsNull(t) &&
         mlirTypeEqual(t, sattn_mask_type(mlirTypeGetContext(t)));
}

static MlirNamedAttribute named(MlirContext ctx, const char *name,
                                MlirAttribute a) {
  return mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString(name)), a);
}

static MlirAttribute i64_attr(MlirContext ctx, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), v);
}

static MlirOperation build_op(sattn_builder *b, const char *name,
                              MlirLocation loc, intptr_t nattrs,
                              const MlirNamedAttribute *attrs,
                              intptr_t noperands, const MlirValue *operands,
                              intptr_t nresults, const MlirType *results) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(name), loc);
  if (nattrs)
    mlirOperationStateAddAttributes(&st, nattrs, attrs);
  if (noperands)
    mlirOperationStateAddOperands(&st, noperands, operands);
  if (nresults)
    mlirOperationStateAddResults(&st, nresults, results);
  MlirOperation op = mlirOperationCreate(&st);
  if (mlirOperationIsNull(op))
    return op;
  if (!mlirOperationIsNull(b->before))
    mlirBlockInsertOwnedOperationBefore(b->block, b->before, op);
  else
    mlirBlockAppendOwnedOperation(b->block, op);
  return op;
}

/* A mask op with integer attributes only. */
static MlirValue build_mask(sattn_builder *b, const char *name,
                            MlirLocation loc, intptr_t nattrs,
                            const char *const *attr_names,
                            const int64_t *values, intptr_t noperands,
                            const MlirValue *operands) {
  MlirNamedAttribute attrs[4];
  for (intptr_t i = 0; i < nattrs; i++)
    attrs[i] = named(b->ctx, attr_names[i], i64_attr(b->ctx, values[i]));
  MlirType mask = sattn_mask_type(b->ctx);
  MlirOperation op =
      build_op(b, name, loc, nattrs, attrs, noperands, operands, 1, &mask);
  return mlirOperationGetResult(op, 0);
}

MlirValue sattn_build_full(sattn_builder *b, MlirLocation loc) {
  return build_mask(b, SATTN_OP_FULL, loc, 0, NULL, NULL, 0, NULL);
}

MlirValue sattn_build_causal(sattn_builder *b, MlirLocation loc) {
  return build_mask(b, SATTN_OP_CAUSAL, loc, 0, NULL, NULL, 0, NULL);
}

MlirValue sattn_build_window(sattn_builder *b, MlirLocation loc, int64_t left,
                             int64_t right) {
  static const char *const names[] = {"left", "right"};
  int64_t v[] = {left, right};
  return build_mask(b, SATTN_OP_WINDOW, loc, 2, names, v, 0, NULL);
}

MlirValue sattn_build_local(sattn_builder *b, MlirLocation loc, int64_t width,
                            int64_t block) {
  static const char *const names[] = {"width", "block"};
  int64_t v[] = {width, block};
  return build_mask(b, SATTN_OP_LOCAL, loc, 2, names, v, 0, NULL);
}

MlirValue sattn_build_dilated(sattn_builder *b, MlirLocation loc,
                              int64_t radius, int64_t dilation) {
  static const char *const names[] = {"radius", "dilation"};
  int64_t v[] = {radius, dilation};
  return build_mask(b, SATTN_OP_DILATED, loc, 2, names, v, 0, NULL);
}

MlirValue sattn_build_stride(sattn_builder *b, MlirLocation loc,
                             int64_t stride) {
  static const char *const names[] = {"stride"};
  return build_mask(b, SATTN_OP_STRIDE, loc, 1, names, &stride, 0, NULL);
}

MlirValue sattn_build_summary(sattn_builder *b, MlirLocation loc,
                              int64_t stride, int64_t count) {
  static const char *const names[] = {"stride", "count"};
  int64_t v[] = {stride, count};
  return build_mask(b, SATTN_OP_SUMMARY, loc, 2, names, v, 0, NULL);
}

MlirValue sattn_build_global(sattn_builder *b, MlirLocation loc,
                             const int64_t *ranges, size_t n) {
  MlirNamedAttribute a = named(
      b->ctx, "ranges", mlirDenseI64ArrayGet(b->ctx, (intptr_t)(2 * n), ranges));
  MlirType mask = sattn_mask_type(b->ctx);
  MlirOperation op = build_op(b, SATTN_OP_GLOBAL, loc, 1, &a, 0, NULL, 1, &mask);
  return mlirOperationGetResult(op, 0);
}

MlirValue sattn_build_random(sattn_builder *b, MlirLocation loc,
                             int64_t count, int64_t block, uint64_t seed,
                             bool per_head) {
  MlirNamedAttribute attrs[] = {
      named(b->ctx, "count", i64_attr(b->ctx, count)),
      named(b->ctx, "block", i64_attr(b->ctx, block)),
      named(b->ctx, "seed", i64_attr(b->ctx, (int64_t)seed)),
      named(b->ctx, "per_head", mlirBoolAttrGet(b->ctx, per_head)),
  };
  MlirType mask = sattn_mask_type(b->ctx);
  MlirOperation op = build_op(b, SATTN_OP_RANDOM, loc, 4, attrs, 0, NULL, 1, &mask);
  return mlirOperationGetResult(op, 0);
}

MlirValue sattn_build_topk(sattn_builder *b, MlirLocation loc, MlirValue among,
                           int64_t k, int64_t block, const char *score,
                           int64_t input) {
  MlirNamedAttribute attrs[] = {
      named(b->ctx, "k", i64_attr(b->ctx, k)),
      named(b->ctx, "block", i64_attr(b->ctx, block)),
      named(b->ctx, "score",
            mlirStringAttrGet(b->ctx, mlirStringRefCreateFromCString(score))),
      named(b->ctx, "input", i64_attr(b->ctx, input)),
  };
  MlirType mask = sattn_mask_type(b->ctx);
  MlirOperation op = build_op(b, SATTN_OP_TOPK, loc, 4, attrs, 1, &among, 1, &mask);
  return mlirOperationGetResult(op, 0);
}

MlirValue sattn_build_blocks(sattn_builder *b, MlirLocation loc, int64_t block,
                             int64_t input) {
  static const char *const names[] = {"block", "input"};
  int64_t v[] = {block, input};
  return build_mask(b, SATTN_OP_BLOCKS, loc, 2, names, v, 0, NULL);
}

MlirValue sattn_build_same(sattn_builder *b, MlirLocation loc, int64_t input) {
  static const char *const names[] = {"input"};
  return build_mask(b, SATTN_OP_SAME, loc, 1, names, &input, 0, NULL);
}

MlirValue sattn_build_union(sattn_builder *b, MlirLocation loc,
                            const MlirValue *masks, size_t n) {
  return build_mask(b, SATTN_OP_UNION, loc, 0, NULL, NULL, (intptr_t)n, masks);
}

MlirValue sattn_build_intersect(sattn_builder *b, MlirLocation loc,
                                const MlirValue *masks, size_t n) {
  return build_mask(b, SATTN_OP_INTERSECT, loc, 0, NULL, NULL, (intptr_t)n,
                    masks);
}

MlirValue sattn_build_difference(sattn_builder *b, MlirLocation loc,
                                 MlirValue lhs, MlirValue rhs) {
  MlirValue ops[] = {lhs, rhs};
  return build_mask(b, SATTN_OP_DIFFERENCE, loc, 0, NULL, NULL, 2, ops);
}

MlirOperation sattn_build_attention(sattn_builder *b, MlirLocation loc,
                                    MlirValue q, MlirValue k, MlirValue v,
                                    const MlirValue *masks, size_t nmasks,
                                    const int64_t *groups, double scale,
                                    MlirType lse_type) {
  MlirValue operands[3 + 64];
  if (nmasks > 64)
    return (MlirOperation){NULL};
  operands[0] = q;
  operands[1] = k;
  operands[2] = v;
  memcpy(operands + 3, masks, nmasks * sizeof *masks);
  MlirNamedAttribute attrs[] = {
      named(b->ctx, "scale", mlirFloatAttrDoubleGet(b->ctx, mlirF64TypeGet(b->ctx), scale)),
      named(b->ctx, "groups",
            mlirDenseI64ArrayGet(b->ctx, (intptr_t)nmasks + 1, groups)),
  };
  MlirType results[2] = {mlirValueGetType(q), lse_type};
  return build_op(b, SATTN_OP_ATTENTION, loc, 2, attrs, 3 + (intptr_t)nmasks,
                  operands, mlirTypeIsNull(lse_type) ? 1 : 2, results);
}

bool sattn_get_int_attr(MlirOperation op, const char *name, int64_t *out) {
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString(name));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAInteger(a))
    return false;
  *out = mlirIntegerAttrGetValueInt(a);
  return true;
}

static const char *const kind_names[] = {
    [SATTN_FULL] = SATTN_OP_FULL,           [SATTN_CAUSAL] = SATTN_OP_CAUSAL,
    [SATTN_WINDOW] = SATTN_OP_WINDOW,       [SATTN_LOCAL] = SATTN_OP_LOCAL,
    [SATTN_DILATED] = SATTN_OP_DILATED,     [SATTN_STRIDE] = SATTN_OP_STRIDE,
    [SATTN_SUMMARY] = SATTN_OP_SUMMARY,     [SATTN_GLOBAL] = SATTN_OP_GLOBAL,
    [SATTN_RANDOM] = SATTN_OP_RANDOM,       [SATTN_TOPK] = SATTN_OP_TOPK,
    [SATTN_BLOCKS] = SATTN_OP_BLOCKS,       [SATTN_SAME] = SATTN_OP_SAME,
    [SATTN_UNION] = SATTN_OP_UNION,         [SATTN_INTERSECT] = SATTN_OP_INTERSECT,
    [SATTN_DIFFERENCE] = SATTN_OP_DIFFERENCE, [SATTN_ATTENTION] = SATTN_OP_ATTENTION,
    [SATTN_KEYS_ALL] = SATTN_OP_KEYS_ALL,   [SATTN_KEYS_RANGE] = SATTN_OP_KEYS_RANGE,
    [SATTN_KEYS_COLUMNS] = SATTN_OP_KEYS_COLUMNS, [SATTN_KEYS_ROWS] = SATTN_OP_KEYS_ROWS,
    [SATTN_KEYS_PERIODIC] = SATTN_OP_KEYS_PERIODIC, [SATTN_KEYS_UNION] = SATTN_OP_KEYS_UNION,
    [SATTN_KEYS_INTERSECT] = SATTN_OP_KEYS_INTERSECT, [SATTN_KEYS_RANDOM] = SATTN_OP_KEYS_RANDOM,
    [SATTN_GROUP_SCHEDULE] = SATTN_OP_GROUP_SCHEDULE,
    [SATTN_BLOCKED_ATTENTION] = SATTN_OP_BLOCKED_ATTENTION,
    [SATTN_TILE_INIT] = SATTN_OP_TILE_INIT, [SATTN_TILE_STEP] = SATTN_OP_TILE_STEP,
    [SATTN_TILE_FINISH] = SATTN_OP_TILE_FINISH,
    [SATTN_COLUMNS] = SATTN_OP_COLUMNS,     [SATTN_STRIPE] = SATTN_OP_STRIPE,
    [SATTN_ROWS] = SATTN_OP_ROWS,
};

const char *sattn_op_kind_name(sattn_op_kind kind) {
  if (kind <= SATTN_NOT_SATTN || kind > SATTN_LAST_KIND)
    return NULL;
  return kind_names[kind];
}

sattn_op_kind sattn_op_get_kind(MlirOperation op) {
  if (mlirOperationIsNull(op))
    return SATTN_NOT_SATTN;
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  if (name.length < 6 || memcmp(name.data, "sattn.", 6) != 0)
    return SATTN_NOT_SATTN;
  for (int k = SATTN_FULL; k <= SATTN_LAST_KIND; k++)
    if (strlen(kind_names[k]) == name.length &&
        memcmp(kind_names[k], name.data, name.length) == 0)
      return (sattn_op_kind)k;
  return SATTN_NOT_SATTN;
}

bool sattn_op_is_mask(MlirOperation op) {
  sattn_op_kind k = sattn_op_get_kind(op);
  return (k >= SATTN_FULL && k <= SATTN_DIFFERENCE) || k == SATTN_COLUMNS || k == SATTN_ROWS;
}

bool sattn_op_is_dynamic(MlirOperation op) {
  sattn_op_kind k = sattn_op_get_kind(op);
  return k == SATTN_TOPK || k == SATTN_BLOCKS || k == SATTN_SAME;
}

bool sattn_get_string_attr(MlirOperation op, const char *name,
                           MlirStringRef *out) {
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString(name));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAString(a))
    return false;
  *out = mlirStringAttrGetValue(a);
  return true;
}

intptr_t sattn_get_i64_array(MlirOperation op, const char *name, int64_t *out,
                             intptr_t cap) {
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString(name));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsADenseI64Array(a))
    return -1;
  intptr_t n = mlirDenseArrayGetNumElements(a);
  for (intptr_t i = 0; i < n && i < cap; i++)
    out[i] = mlirDenseI64ArrayGetElement(a, i);
  return n;
}
