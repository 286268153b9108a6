/* sattn.tile_step on the CPU: queries in vector lanes, K and V broadcast
 * in place, register-blocked QK^T and PV micro-kernels, a polynomial exp2
 * (cpu_step.c says how; cpu_target.h the shape). */
#ifndef SATTN_CPU_STEP_H
#define SATTN_CPU_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_target.h"
#include "ir.h"

/* The state of one query tile (one acc of sattn-tile), allocated once at
 * the entry of its function, transposed (queries in lanes): qt, at
 * memref<D x BQP x f32>, st memref<BKP x BQP x f32> (scores, then
 * weights), m, l, corr memref<BQP x f32>, flag memref<1 x i8> (0 until
 * the tile's queries are packed); BQP = cpu_step_padded_rows(block_q),
 * BKP = cpu_step_padded_keys(the largest block_k of its steps). With AMX
 * (t.amx, D a multiple of 32), qtv memref<D/2 x 2 BQP x bf16>: the queries
 * in tdpbf16ps's pair layout (cpu_step_amx.h), for bf16 steps. */
typedef struct cpu_state {
  cpu_target t;
  MlirValue qt, at, st, m, l, corr, flag, qtv;
  /* bf16 on the dot product (t.bf16dot, cpu_step_dot.h): qtv as for AMX,
   * pp memref<BKP/2 x 2 BQP x bf16> the weights in key pairs, vp
   * memref<BKP/2 x 2 D x bf16> the step's V rows in key pairs */
  MlirValue pp, vp;
} cpu_state;

int64_t cpu_step_padded_keys(int64_t block_k);
int64_t cpu_step_padded_rows(int64_t block_q);

/* Transposes the W x W f32 block held in rows[0 .. W-1] (vectors of W
 * lanes, W = 8 or 16) in registers, with two-source vector shuffles. */
void cpu_step_transpose(ir_builder *b, MlirValue *rows, int64_t W);

/* Prefetches line d0 of the next work item's row r: row row0 + BQ + r of
 * `cur` while it has one, else row r of `next` (tile_step's q_next). */
void prefetch_next_row(ir_builder *b, MlirValue cur, MlirValue next, MlirValue bb, MlirValue h,
                       MlirValue row0, int64_t BQ, MlirValue r, MlirValue d0, bool write);

/* Expands `op` (a sattn.tile_step) before itself; the caller erases it.
 * Returns false after an error (a mask without an element predicate). */
bool cpu_step_lower(ir_builder *b, MlirOperation op, const cpu_state *st);

#endif
