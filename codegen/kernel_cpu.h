/* The CPU attention kernel for one sattn.attention op: the first,
 * correctness-first version (issue 4): one work item = (batch, head, query
 * tile); rows one at a time; per row the keys of a closed-form hull of the
 * pattern, each checked with the element predicate; online softmax with f32
 * accumulation. The block schedule (sattn-blockify/sattn-tile) replaces the
 * per-row hull with tile segments; the ABI below stays.
 *
 * ABI (llvm.emit_c_interface): for a kernel NAME,
 *   void _mlir_ciface_NAME_item(memref4 *q, memref4 *k, memref4 *v,
 *                               memref4 *out, memref3 *lse,
 *                               int64_t write_lse, int64_t item)
 * with memrefN = {T *allocated, T *aligned, int64_t offset,
 * int64_t sizes[N], int64_t strides[N]} in elements; item in
 * [0, batch * heads_q * ceil(seq_q / block_q)). */
#ifndef SATTN_KERNEL_CPU_H
#define SATTN_KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

/* Query rows per work item used by the drivers (sattnc, sattn-run). */
enum { KERNEL_CPU_BLOCK_Q = 32 };

typedef struct kernel_cpu_info {
  int64_t head_dim;
  int64_t block_q;
  bool has_lse;
  int dtype; /* 0 f32, 1 f16, 2 bf16 (the runtime's sattn_dtype order) */
  int64_t heads_end; /* the end of the last head group; 0: open */
} kernel_cpu_info;

/* Appends func.func @<name>_item to `out` for the kernel func `kernel` (a
 * func.func holding one sattn.attention); f32, f16 or bf16 inputs with f32
 * accumulation. Errors go to
 * the context's diagnostic handlers; returns false after one. */
bool kernel_cpu_build(MlirContext ctx, MlirModule out, MlirOperation kernel,
                      const char *name, int64_t block_q, kernel_cpu_info *info);

#endif
