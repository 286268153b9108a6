/* In-process kernel compilation (see jit_kernel.h). */
#include "jit_kernel.h"

#include <stdio.h>
#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/Diagnostics.h"
#include "ops.h"
#include "pipeline_cpu.h"
#include "sattn_rt.h"

MlirOperation jit_find_kernel(MlirModule m, const char *name) {
  for (MlirOperation op = mlirBlockGetFirstOperation(mlirModuleGetBody(m));
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (mlirAttributeIsNull(mlirOperationGetAttributeByName(
            op, mlirStringRefCreateFromCString(SATTN_ATTR_KERNEL))))
      continue;
    MlirAttribute sym = mlirOperationGetAttributeByName(
        op, mlirStringRefCreateFromCString("sym_name"));
    MlirStringRef s = mlirStringAttrGetValue(sym);
    if (!name || (strlen(name) == s.length && memcmp(name, s.data, s.length) == 0))
      return op;
  }
  return (MlirOperation){NULL};
}

bool jit_kernel_create(MlirContext ctx, MlirOperation kernel, const char *name,
                       int64_t block_q, int64_t block_k, jit_kernel *out) {
  memset(out, 0, sizeof *out);
  out->code = mlirModuleCreateEmpty(mlirOperationGetLocation(kernel));
  if (!kernel_cpu_build(ctx, out->code, kernel, name, block_q, block_k, &out->info) ||
      !cpu_lower_to_llvm(ctx, out->code))
    goto fail;
  out->engine = cpu_jit_create(ctx, out->code, 3);
  if (mlirExecutionEngineIsNull(out->engine)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "the JIT could not compile the kernel");
    goto fail;
  }
  /* Runtime functions that generated code calls. */
  mlirExecutionEngineRegisterSymbol(out->engine,
                                    mlirStringRefCreateFromCString("sattn_rt_random_member"),
                                    (void *)sattn_rt_random_member);
  mlirExecutionEngineRegisterSymbol(out->engine,
                                    mlirStringRefCreateFromCString("sattn_rt_random_next"),
                                    (void *)sattn_rt_random_next);
  char sym[320];
  snprintf(sym, sizeof sym, "_mlir_ciface_%s_item", name);
  out->item = mlirExecutionEngineLookup(out->engine, mlirStringRefCreateFromCString(sym));
  if (!out->item) {
    mlirEmitError(mlirOperationGetLocation(kernel), "the JIT lost the kernel's entry point");
    goto fail;
  }
  if (out->info.nparts == 2) {
    snprintf(sym, sizeof sym, "_mlir_ciface_%s_p1_item", name);
    out->item1 = mlirExecutionEngineLookup(out->engine, mlirStringRefCreateFromCString(sym));
    if (!out->item1) {
      mlirEmitError(mlirOperationGetLocation(kernel),
                    "the JIT lost the entry point of the kernel's second part");
      goto fail;
    }
  }
  return true;
fail:
  jit_kernel_destroy(out);
  return false;
}

void jit_kernel_destroy(jit_kernel *k) {
  if (!k)
    return;
  if (!mlirExecutionEngineIsNull(k->engine))
    mlirExecutionEngineDestroy(k->engine);
  if (!mlirModuleIsNull(k->code))
    mlirModuleDestroy(k->code);
  memset(k, 0, sizeof *k);
}
