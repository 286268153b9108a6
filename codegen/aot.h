/* Ahead-of-time output of CPU kernels: an LLVM-dialect module -> LLVM IR
 * (mlirTranslateModuleToLLVMIR) -> O3 with the host's (or a named) CPU ->
 * textual IR, assembly or an object file; and the C header that goes with
 * an object: one entry point per kernel taking DLPack tensors (the runtime
 * ABI of ARCHITECTURE.md). */
#ifndef SATTN_AOT_H
#define SATTN_AOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kernel_cpu.h"
#include "mlir-c/IR.h"

typedef enum aot_kind { AOT_LLVM_IR, AOT_ASM, AOT_OBJECT } aot_kind;

/* Translates and optimises `m` (LLVM dialect) for `cpu` (NULL: this host's
 * CPU and features) and writes the result to `out`. Returns false with a
 * message in err. */
bool aot_emit(MlirContext ctx, MlirModule m, aot_kind kind, const char *cpu,
              FILE *out, char *err, size_t errlen);

/* One kernel of an object, for its header. */
typedef struct aot_kernel {
  const char *name;
  kernel_cpu_info info;
} aot_kernel;

/* Writes the C header for an object holding `n` kernels. */
void aot_write_header(FILE *out, const char *guard_name, const aot_kernel *kernels,
                      size_t n);

#endif
