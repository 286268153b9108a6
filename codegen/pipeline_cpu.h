/* The CPU pipeline: upstream dialects -> LLVM dialect -> native code (JIT
 * through the ExecutionEngine; AOT objects come with the kernel issue). */
#ifndef SATTN_PIPELINE_CPU_H
#define SATTN_PIPELINE_CPU_H

#include <stdbool.h>

#include "mlir-c/ExecutionEngine.h"
#include "mlir-c/IR.h"

/* Lowers func/arith/scf/cf to the LLVM dialect and checks that nothing else
 * is left (some conversions report success while leaving ops behind).
 * Errors go to the context's diagnostic handlers. */
bool cpu_lower_to_llvm(MlirContext ctx, MlirModule m);

/* A JIT for a module already in the LLVM dialect (registers the LLVM
 * translations on first use). Null on failure. */
MlirExecutionEngine cpu_jit_create(MlirContext ctx, MlirModule m, int opt_level);

#endif
