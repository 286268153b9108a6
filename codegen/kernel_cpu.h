/* A CPU kernel from a sattn kernel func, the way the drivers (sattnc,
 * sattn-run, the tests) build one: the passes' work in sequence on a copy,
 * sattn-simplify (codegen/simplify.c) -> sattn-blockify (codegen/blockify.c)
 * -> sattn-tile (codegen/tile.c) ->
 * sattn-lower-cpu (codegen/lower_tile_cpu.c).
 *
 * ABI (llvm.emit_c_interface): _mlir_ciface_NAME_item, the item function
 * of codegen/tile.h (work items, key splits, partial outputs), with
 * memrefN = {T *allocated, T *aligned, int64_t offset, int64_t sizes[N],
 * int64_t strides[N]} in elements; runtime/cpu_launch.c calls it. */
#ifndef SATTN_KERNEL_CPU_H
#define SATTN_KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

/* The passes' default tile sizes. The drivers pass 0 (choose per kernel:
 * codegen/tile_choice.h) unless told. */
enum { KERNEL_CPU_BLOCK_Q = 32, KERNEL_CPU_BLOCK_K = 64 };

typedef struct kernel_cpu_info {
  int64_t head_dim;
  int64_t block_q;   /* the tile sizes used (chosen when asked for 0) */
  int64_t block_k, block_k1; /* block_k1: the second part's */
  bool has_lse;
  int dtype; /* 0 f32, 1 f16, 2 bf16 (the runtime's sattn_dtype order) */
  int64_t heads_end; /* the end of the last head group; 0: open */
  int64_t lattice;   /* residue classes (sattn_cpu_kernel.lattice) */
  int64_t nparts;    /* 2: a second item function NAME_p1_item (parts.h) */
  int64_t lattice1;  /* its residue classes */
  int64_t rows1_begin, rows1_end; /* its query rows (positions), 0 0: all */
  bool amx; /* runs AMX instructions (sattn_cpu_kernel.amx) */
  bool bf16dot; /* a bf16 kernel with both products on vdpbf16ps */
} kernel_cpu_info;

/* Appends func.func @<name>_item (and its private schedule helpers) to
 * `out` for the kernel func `kernel` (a func.func holding one
 * sattn.attention); `kernel` itself is not changed. block_q or block_k 0:
 * chosen for the kernel and this CPU (info says which). Errors go to the
 * context's diagnostic handlers; returns false after one. */
bool kernel_cpu_build(MlirContext ctx, MlirModule out, MlirOperation kernel,
                      const char *name, int64_t block_q, int64_t block_k,
                      kernel_cpu_info *info);

#endif
