/* The block schedule (sattn-blockify): each sattn.attention becomes a
 * sattn.blocked_attention whose head groups carry, next to their mask, the
 * keys a query tile may attend in closed form (sattn.keys_* ops; the
 * meaning of each is in dialect/sattn.irdl.mlir and docs/dialect.md).
 *
 * Per term (a query tile has absolute positions [p0, p1]):
 *   full, random, blocks, same    every key
 *   causal                        [0, p1]
 *   window(a, b)                  [p0 - a, p1 + b]
 *   local(w, B)                   block-aligned [(p0/B - w) B, (p1/B + w + 1) B)
 *   dilated(r, d)                 [p0 - r d, p1 + r d], and, when d > block_q,
 *                                 only keys of the residues p0..p1 mod d
 *   stride(s)                     every key when s <= block_q, else the
 *                                 residues p0..p0+block_q-1 mod s
 *   summary(s, c)                 j mod s >= s - c (every key when c = s)
 *   global(R)                     columns R, and every key for rows in R
 *   topk(among)                   the keys of `among`
 *   a | b, a & b                  union, intersection
 *   a - b                         the keys of a
 * The kernel visits exactly the key tiles holding such keys, and decides
 * full / partial / empty per visited tile from the mask (codegen/tile.c). */
#ifndef SATTN_BLOCKIFY_H
#define SATTN_BLOCKIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

/* Rewrites every sattn.attention nested in `root` (a module or a kernel
 * func). Errors go to the context's diagnostic handlers; returns false after
 * one. */
bool blockify(MlirOperation root, int64_t block_q, int64_t block_k);

#endif
