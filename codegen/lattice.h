/* Residue-class (lattice) tiling of a mask: when a mask allows only pairs
 * with p = j (mod s) -- a stride, a dilation, or an intersection with one --
 * attention splits into s independent dense problems, one per residue
 * class r of the positions, in compressed positions p' = (p - r) / s,
 * j' = (j - r) / s. A compiler sees this in closed form; a block mask
 * computes s - 1 masked pairs for each allowed one.
 *
 *   lattice_step(M)       the s (1: none) with M(p, j) => p = j (mod s):
 *                         stride(t): t; dilated(r, d): d; a & b: lcm;
 *                         a | b: gcd; a - b: a's; other terms: 1.
 *   lattice_transform     M in compressed positions, when it does not
 *                         depend on r: full, causal, window, stride,
 *                         dilated and their combinations (local, summary,
 *                         global and random depend on r: no transform). */
#ifndef SATTN_LATTICE_H
#define SATTN_LATTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

/* Lattice steps above this are not used (the split has min(s, Lq)
 * classes; beyond it the classes hold one row each). */
enum { LATTICE_MAX = 1 << 20 };

int64_t lattice_step(MlirValue mask);

/* Builds the compressed mask before `before` (in its block); returns a
 * null value when M depends on the residue. */
MlirValue lattice_transform(MlirValue mask, int64_t s, MlirOperation before);

#endif
