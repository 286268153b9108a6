/* Context creation: upstream dialects + the embedded IRDL sattn dialect. */
#include "context.h"

#include <stdio.h>

#include "mlir-c/Dialect/Arith.h"
#include "mlir-c/Dialect/Func.h"
#include "mlir-c/Dialect/IRDL.h"
#include "mlir-c/Dialect/Math.h"
#include "mlir-c/Dialect/MemRef.h"
#include "mlir-c/Dialect/SCF.h"
#include "mlir-c/Dialect/Vector.h"
#include "mlir-c/RegisterEverything.h"

extern const char sattn_irdl_text[];
extern const unsigned long sattn_irdl_text_len;

MlirStringRef sattn_dialect_irdl(void) {
  return mlirStringRefCreate(sattn_irdl_text, sattn_irdl_text_len);
}

MlirContext sattn_context_create(void) {
  MlirContext ctx = mlirContextCreateWithThreading(false);
  MlirDialectRegistry reg = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(reg);
  mlirContextAppendDialectRegistry(ctx, reg);
  mlirDialectRegistryDestroy(reg);
  /* Ops built through OperationState need their dialect loaded, not only
   * registered: load every dialect the code generators build into. */
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__func__(), ctx);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__arith__(), ctx);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__scf__(), ctx);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__memref__(), ctx);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__math__(), ctx);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__vector__(), ctx);
  MlirModule m = mlirModuleCreateParse(ctx, sattn_dialect_irdl());
  if (mlirModuleIsNull(m) || mlirLogicalResultIsFailure(mlirLoadIRDLDialects(m))) {
    fprintf(stderr, "sattn: internal error: the embedded sattn dialect did not load\n");
    if (!mlirModuleIsNull(m))
      mlirModuleDestroy(m);
    mlirContextDestroy(ctx);
    return (MlirContext){NULL};
  }
  mlirModuleDestroy(m);
  return ctx;
}
