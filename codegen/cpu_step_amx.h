/* QK^T of a bf16 tile step on Intel AMX (tdpbf16ps), in the CPU step's
 * transposed layout (cpu_step.h): S^T = K . Q^T, A = 16 keys x 32 head
 * dims of K as stored, B = the query tile in AMX's pair layout (QTV: bf16
 * pairs of head dims 2i, 2i + 1 side by side per query, a 32-bit transpose
 * of the query rows), C = 16 keys x 16 queries of ST. The softmax and PV
 * stay on vectors. */
#ifndef SATTN_CPU_STEP_AMX_H
#define SATTN_CPU_STEP_AMX_H

#include <stdint.h>

#include "ir.h"

/* QTV[i][2n + j] = QT[2i + j][n] as bf16 (exact: QT holds widened bf16
 * queries, unscaled), for i < D / 2 and the BQP query columns: qt
 * memref<D x BQP x f32>, qtv memref<D/2 x 2 BQP x bf16>. */
void cpu_amx_pack_pairs(ir_builder *b, MlirValue qt, MlirValue qtv, int64_t D, int64_t BQP);

/* ST[c + r][q] = sum_d K[bb, hk, key + r, d] QT[d][q] for r < 32 and the
 * first 32 x ncols query columns (ncols 1 or 2: 32 or 64 queries), in
 * blocks of 2 x 2 tiles of 16 x 16 (4 accumulators, 2 tiles of K, 2 of
 * QTV: the 8 tile registers). Rows key .. key + 31 of K must exist. */
void cpu_amx_scores(ir_builder *b, MlirValue k, MlirValue bb, MlirValue hk, MlirValue key,
                    MlirValue c, MlirValue qtv, MlirValue st, int64_t D, int64_t ncols);

#endif
