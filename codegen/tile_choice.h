/* Tile sizes chosen per kernel, when the caller leaves them to the
 * compiler (block size 0; an explicit --block-q / --block-k wins).
 *
 * From this machine's measurements (docs/performance.md):
 *   dense rows      AVX2: 64 x 64 at head_dim <= 64, 32 x 32 above (the
 *                   state of a 64-row tile at d = 128 leaves L1);
 *                   AVX-512: 64 x 96 (96 keys: a multiple of the 6-key
 *                   register block and of the 16-key padding);
 *   narrow bands    a row with w > 0 allowed keys near the diagonal
 *                   (sampled at row 8192 of 16384, |j - p| <= 2048;
 *                   w = 0, e.g. a global-rows part: dense): block_k the
 *                   power of two <= w / 2, at least 16, so edge tiles do
 *                   not dominate (window(256): w = 513 -> 64 stays);
 *                   AVX-512 at most 32 when w < 256, and block_q 64
 *                   (AVX2: 32 when w < 256);
 *   residue classes (a lattice: strides, dilation) 32 x 32 (AVX-512:
 *                   64 x 32): the classes are short problems, L / s rows
 *                   each. AVX-512 keeps 64 query rows: 32 are two query
 *                   vectors, half the 6 x 4 register block;
 *   random blocks   any of the above capped at the smallest `random`
 *                   block b (both sizes): a tile inside one block is
 *                   whole or empty, one that straddles blocks is partial
 *                   and random's element predicate is a runtime call.
 * Parts (codegen/parts.h) share block_q (the runtime counts work items
 * with one) and get a block_k each. */
#ifndef SATTN_TILE_CHOICE_H
#define SATTN_TILE_CHOICE_H

#include <stdint.h>

#include "cpu_target.h"
#include "mlir-c/IR.h"

/* One part's wishes, from the kernel func `kernel` (simplified; holding
 * one sattn.attention): *bq, *bk. */
void tile_choice_part(MlirOperation kernel, cpu_target t, int64_t *bq, int64_t *bk);

/* Resolves the 0s of *block_q and *block_k for a kernel's parts (copy2
 * null: one part): *block_k1 gets the second part's block_k (= *block_k
 * when it was given or there is one part). */
void tile_choice(MlirOperation copy, MlirOperation copy2, int64_t *block_q, int64_t *block_k,
                 int64_t *block_k1);

#endif
