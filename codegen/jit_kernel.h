/* A compiled CPU kernel in this process: sattn kernel func -> item function
 * (codegen/kernel_cpu.c) -> LLVM -> ExecutionEngine. Used by sattn-run and
 * the tests; the public JIT API of its own issue builds on it. */
#ifndef SATTN_JIT_KERNEL_H
#define SATTN_JIT_KERNEL_H

#include <stdbool.h>

#include "kernel_cpu.h"
#include "mlir-c/ExecutionEngine.h"
#include "mlir-c/IR.h"

typedef struct jit_kernel {
  MlirModule code;            /* the generated module (owned) */
  MlirExecutionEngine engine; /* owned */
  kernel_cpu_info info;
  void *item;  /* _mlir_ciface_<name>_item: a sattn_cpu_item_fn */
  void *item1; /* _mlir_ciface_<name>_p1_item when info.nparts == 2, else NULL */
} jit_kernel;

/* Compiles the kernel func `kernel` (a func.func marked sattn.kernel).
 * Errors go to the context's diagnostic handlers; on failure *out holds
 * nothing to destroy. */
bool jit_kernel_create(MlirContext ctx, MlirOperation kernel, const char *name,
                       int64_t block_q, int64_t block_k, jit_kernel *out);
void jit_kernel_destroy(jit_kernel *k);

/* The first func.func marked sattn.kernel named `name` (NULL: the first
 * kernel) in a module, or a null op. */
MlirOperation jit_find_kernel(MlirModule m, const char *name);

#endif
