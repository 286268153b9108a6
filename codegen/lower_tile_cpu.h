/* sattn-lower-cpu: the tile ops of sattn-tile (tile_init, tile_step,
 * tile_finish) expanded in place into scf, memref, arith and math for the
 * CPU, then the masks they used removed. f32, f16 and bf16 inputs, f32
 * state. Partial tiles evaluate the element predicate (codegen/
 * predicate.c) per pair; masked pairs get score -inf and weight 0.
 *
 * The step is codegen/cpu_step.c (register-blocked micro-kernels for the
 * vector width of `t`); the softmax state m is kept in base-2 units. */
#ifndef SATTN_LOWER_TILE_CPU_H
#define SATTN_LOWER_TILE_CPU_H

#include <stdbool.h>

#include "cpu_target.h"
#include "mlir-c/IR.h"

/* Lowers every tile op nested in root. Errors (IR not at the tile level,
 * terms the CPU cannot evaluate) go to the diagnostic handlers. */
bool lower_tile_cpu(MlirOperation root, cpu_target t);

#endif
