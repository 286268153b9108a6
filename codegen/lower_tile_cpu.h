/* sattn-lower-cpu: the tile ops of sattn-tile (tile_init, tile_step,
 * tile_finish) expanded in place into scf, memref, arith and math for the
 * CPU, then the masks they used removed. f32, f16 and bf16 inputs, f32
 * state. Partial tiles evaluate the element predicate (codegen/
 * predicate.c) per pair; masked pairs get score -inf and weight 0.
 *
 * This first lowering works row by row with scalar loops (LLVM vectorises
 * what it can); the register-blocked micro-kernels replace it (issue 6)
 * without changing the ops. */
#ifndef SATTN_LOWER_TILE_CPU_H
#define SATTN_LOWER_TILE_CPU_H

#include <stdbool.h>

#include "mlir-c/IR.h"

/* Lowers every tile op nested in root. Errors (IR not at the tile level,
 * terms the CPU cannot evaluate) go to the diagnostic handlers. */
bool lower_tile_cpu(MlirOperation root);

#endif
