/* sattn.tile_step on the CPU: the key tile packed into contiguous f32
 * buffers, register-blocked QK^T and PV micro-kernels over groups of query
 * rows, a polynomial exp2 (cpu_step.c says how; cpu_target.h the shape). */
#ifndef SATTN_CPU_STEP_H
#define SATTN_CPU_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_target.h"
#include "ir.h"

/* Scratch of one function's steps, allocated once at its entry:
 * kt memref<D x BKP x f32>, vp memref<BKP x D x f32>, the scores of a row
 * group s memref<ROWS x BKP x f32> and its scaled queries qp
 * memref<ROWS x D x f32>; BKP = cpu_step_padded_keys(block_k), ROWS the
 * target's rows. */
typedef struct cpu_step_buffers {
  MlirValue kt, vp, s, qp;
} cpu_step_buffers;

int64_t cpu_step_padded_keys(int64_t block_k);

/* Expands `op` (a sattn.tile_step) before itself; the caller erases it.
 * Returns false after an error (a mask without an element predicate). */
bool cpu_step_lower(ir_builder *b, MlirOperation op, const cpu_step_buffers *buf,
                    cpu_target t);

#endif
