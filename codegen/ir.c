/* Upstream op helpers (see ir.h). */
#include "ir.h"

#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"

MlirType ir_i1(ir_builder *b) { return mlirIntegerTypeGet(b->ctx, 1); }
MlirType ir_i8(ir_builder *b) { return mlirIntegerTypeGet(b->ctx, 8); }
MlirType ir_i64(ir_builder *b) { return mlirIntegerTypeGet(b->ctx, 64); }

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
  mlirBlockAppendOwnedOperation(b->block, op);
  return mlirOperationGetResult(op, 0);
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
  return add_op(b, "arith.cmpi", 1, &a, 2, ops, ir_i1(b));
}

MlirValue ir_select(ir_builder *b, MlirValue c, MlirValue x, MlirValue y) {
  MlirValue ops[] = {c, x, y};
  return add_op(b, "arith.select", 0, NULL, 3, ops, mlirValueGetType(x));
}

MlirValue ir_extui(ir_builder *b, MlirValue x, MlirType to) {
  return add_op(b, "arith.extui", 0, NULL, 1, &x, to);
}

void ir_return(ir_builder *b, intptr_t n, const MlirValue *vals) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("func.return"), b->loc);
  mlirOperationStateAddOperands(&st, n, vals);
  mlirBlockAppendOwnedOperation(b->block, mlirOperationCreate(&st));
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
