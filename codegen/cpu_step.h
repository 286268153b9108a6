/* sattn.tile_step on the CPU with vector ops (16 f32 lanes, AVX-512
 * sized): the key tile packed into contiguous f32 buffers, scores, a
 * polynomial exp and the PV update per row (cpu_step.c says how). */
#ifndef SATTN_CPU_STEP_H
#define SATTN_CPU_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

/* Scratch of one function's steps, allocated once at its entry:
 * kt memref<D x BKP x f32>, vp memref<BKP x D x f32>, s memref<BKP x f32>,
 * BKP = cpu_step_padded_keys(block_k). */
typedef struct cpu_step_buffers {
  MlirValue kt, vp, s;
} cpu_step_buffers;

int64_t cpu_step_padded_keys(int64_t block_k);

/* Expands `op` (a sattn.tile_step) before itself; the caller erases it.
 * Returns false after an error (a mask without an element predicate). */
bool cpu_step_lower(ir_builder *b, MlirOperation op, const cpu_step_buffers *buf);

#endif
