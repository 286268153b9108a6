/* CPU lowering pipeline and JIT (see pipeline_cpu.h). */
#include "pipeline_cpu.h"

#include <stdio.h>
#include <string.h>

#include "mlir-c/Diagnostics.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"

/* One flat list: each step is a pipeline element (Triton-style). */
static const char *const lower_steps[] = {
    /* floordivsi, ceildivsi -> basic arith; f32 -> bf16 rounding as integer
     * ops (no __truncsfbf2 libcall, which a JIT process may not have). */
    "func.func(arith-expand{include-bf16=true})",
    "convert-scf-to-cf",
    "expand-strided-metadata",   /* strided memrefs -> offsets (affine) */
    "lower-affine",
    /* vector.load/fma/reduction; amx and x86vector (vdpbf16ps) ops */
    "convert-vector-to-llvm{enable-amx=true enable-x86vector=true}",
    "finalize-memref-to-llvm",
    "convert-math-to-llvm",
    "convert-arith-to-llvm",
    "convert-cf-to-llvm",
    "convert-func-to-llvm",
    "reconcile-unrealized-casts",
};

static void ignore(MlirStringRef s, void *u) {}

typedef struct leftover {
  MlirOperation first;
} leftover;

static MlirWalkResult find_non_llvm(MlirOperation op, void *user) {
  leftover *l = user;
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
  bool ok = (n.length > 5 && memcmp(n.data, "llvm.", 5) == 0) ||
            (n.length == 14 && memcmp(n.data, "builtin.module", 14) == 0);
  if (!ok) {
    l->first = op;
    return MlirWalkResultInterrupt;
  }
  return MlirWalkResultAdvance;
}

bool cpu_lower_to_llvm(MlirContext ctx, MlirModule m) {
  /* Upstream passes are found by name only once registered (idempotent). */
  mlirRegisterAllPasses();
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  for (size_t i = 0; i < sizeof lower_steps / sizeof *lower_steps; i++)
    if (mlirLogicalResultIsFailure(mlirOpPassManagerAddPipeline(
            opm, mlirStringRefCreateFromCString(lower_steps[i]), ignore, NULL))) {
      mlirPassManagerDestroy(pm);
      mlirEmitError(mlirOperationGetLocation(mlirModuleGetOperation(m)),
                    "internal error: the CPU lowering pipeline did not build");
      return false;
    }
  bool ok = mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(m)));
  mlirPassManagerDestroy(pm);
  if (!ok)
    return false;
  leftover l = {{NULL}};
  mlirOperationWalk(mlirModuleGetOperation(m), find_non_llvm, &l, MlirWalkPreOrder);
  if (l.first.ptr) {
    MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(l.first));
    char msg[256];
    snprintf(msg, sizeof msg, "internal error: lowering to LLVM left '%.*s' behind",
             (int)n.length, n.data);
    mlirEmitError(mlirOperationGetLocation(l.first), msg);
    return false;
  }
  return true;
}

MlirExecutionEngine cpu_jit_create(MlirContext ctx, MlirModule m, int opt_level) {
  mlirRegisterAllLLVMTranslations(ctx);
  return mlirExecutionEngineCreate(m, opt_level, 0, NULL, false, false);
}
