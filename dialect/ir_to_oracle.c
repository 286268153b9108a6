/* IR mask -> orc_node (see ir_to_oracle.h). */
#include "ir_to_oracle.h"

#include <stdlib.h>

#include "build.h"
#include "mlir-c/BuiltinAttributes.h"

static int64_t attr(MlirOperation op, const char *name) {
  int64_t v = 0;
  sattn_get_int_attr(op, name, &v);
  return v;
}

/* Folds a variadic combinator into binary oracle nodes. */
static orc_node *fold(MlirOperation op, orc_node *(*make)(orc_node *, orc_node *), int depth);

static orc_node *convert(MlirValue v, int depth) {
  if (!mlirValueIsAOpResult(v) || depth > 4000)
    return depth > 4000 ? NULL : orc_unknown();
  MlirOperation op = mlirOpResultGetOwner(v);
  switch (sattn_op_get_kind(op)) {
  case SATTN_FULL: return orc_full();
  case SATTN_CAUSAL: return orc_causal();
  case SATTN_WINDOW: return orc_window(attr(op, "left"), attr(op, "right"));
  case SATTN_LOCAL: return orc_local(attr(op, "width"), attr(op, "block"));
  case SATTN_DILATED: return orc_dilated(attr(op, "radius"), attr(op, "dilation"));
  case SATTN_STRIDE: return orc_stride(attr(op, "stride"));
  case SATTN_SUMMARY: return orc_summary(attr(op, "stride"), attr(op, "count"));
  case SATTN_GLOBAL: {
    intptr_t n = sattn_get_i64_array(op, "ranges", NULL, 0);
    int64_t *r = malloc((size_t)(n > 0 ? n : 1) * sizeof *r);
    if (!r)
      return NULL;
    sattn_get_i64_array(op, "ranges", r, n);
    orc_node *o = orc_global(r, (size_t)(n / 2));
    free(r);
    return o;
  }
  case SATTN_RANDOM: {
    MlirAttribute ph = mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString("per_head"));
    return orc_random(attr(op, "count"), attr(op, "block"), (uint64_t)attr(op, "seed"),
                      mlirAttributeIsABool(ph) && mlirBoolAttrGetValue(ph));
  }
  case SATTN_UNION: return fold(op, orc_union, depth);
  case SATTN_INTERSECT: return fold(op, orc_intersect, depth);
  case SATTN_DIFFERENCE: {
    orc_node *l = convert(mlirOperationGetOperand(op, 0), depth + 1);
    orc_node *r = convert(mlirOperationGetOperand(op, 1), depth + 1);
    if (!l || !r) {
      orc_node_destroy(l);
      orc_node_destroy(r);
      return NULL;
    }
    return orc_difference(l, r);
  }
  default: return orc_unknown();
  }
}

static orc_node *fold(MlirOperation op, orc_node *(*make)(orc_node *, orc_node *), int depth) {
  intptr_t n = mlirOperationGetNumOperands(op);
  orc_node *acc = n > 0 ? convert(mlirOperationGetOperand(op, 0), depth + 1) : orc_unknown();
  for (intptr_t i = 1; acc && i < n; i++) {
    orc_node *next = convert(mlirOperationGetOperand(op, i), depth + 1);
    if (!next) {
      orc_node_destroy(acc);
      return NULL;
    }
    acc = make(acc, next);
  }
  return acc;
}

orc_node *ir_to_oracle(MlirValue mask) { return convert(mask, 0); }
