/* bf16 steps on the AVX512-BF16 dot product (vdpbf16ps: per f32 lane,
 * acc += a[2i] b[2i] + a[2i + 1] b[2i + 1]), where it has twice the FMA's
 * flops (Zen 4/5; cpu_target.bf16dot). The CPU step's layout stays
 * (cpu_step.h: queries in lanes); the products take pairs along their
 * contraction:
 *   QK^T  over head dims: QTV[i][2q + j] = Q[q][2i + j] (cpu_amx_pack_pairs'
 *         layout) against a 32-bit broadcast of K[c][2i .. 2i + 1], read
 *         in place;
 *   PV    over keys: PP[i][2q + j] = P[2i + j][q] (the softmax writes it)
 *         against a 32-bit broadcast of VP[i][2d .. 2d + 1] = V[2i][d],
 *         V[2i + 1][d], the step's V rows interleaved once per step. */
#ifndef SATTN_CPU_STEP_DOT_H
#define SATTN_CPU_STEP_DOT_H

#include <stdint.h>

#include "ir.h"

/* acc (vector<16xf32>) + the pairwise products of a and b (vector<32xbf16>). */
MlirValue cpu_dot(ir_builder *b, MlirValue acc, MlirValue a, MlirValue bv);

/* The two bf16 at memref[idx], idx[n - 1] + 1 (unit inner stride) in every
 * 32-bit lane of a vector<32xbf16>. */
MlirValue cpu_dot_pair(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *idx);

/* vector<32xbf16> with lane 2q + j = p_j[q] rounded to bf16 (p0, p1:
 * vector<16xf32>, vcvtneps2bf16 and one 16-bit interleave). */
MlirValue cpu_dot_pack_p(ir_builder *b, MlirValue p0, MlirValue p1);

/* VP[i][2d + j] = V[bb, hk, key_j, d] for d < D (D a multiple of 16),
 * j = 0, 1. */
void cpu_dot_pack_v(ir_builder *b, MlirValue v, MlirValue bb, MlirValue hk, MlirValue key0,
                    MlirValue key1, MlirValue vp, MlirValue i, int64_t D);

/* a * 2^floor(n) on vector<16xf32> (vscalefps, AVX-512F; exactly 0 where
 * that underflows): the exponential's last step (cpu_step.c). */
MlirValue cpu_scalef(ir_builder *b, MlirValue a, MlirValue n);

#endif
