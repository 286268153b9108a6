/* Unions whose terms want different tilings: the Sparse Transformer's
 * `causal & (window(left=w, right=0) | stride(s))` has a window (contiguous
 * query tiles) and a stride (residue classes). The kernel splits such a
 * mask M into two parts computed as separate sub-attentions and merged
 * exactly by their log-sum-exp (the split-K merge of the runtime):
 *   A  = the terms on no lattice (distributed over an intersection),
 *   B' = (the terms on lattice s) - A: every pair of M is in exactly one
 *        part, and B' still lives on lattice s, so it runs in residue
 *        classes.
 * Only when both parts exist and A transforms onto the lattice (it must not
 * depend on the residue: windows, causal, strides); otherwise one part. */
#ifndef SATTN_PARTS_H
#define SATTN_PARTS_H

#include <stdbool.h>

#include "mlir-c/IR.h"

/* Builds A and B' before `before` and returns true, or returns false (and
 * builds nothing that is used) when M does not split. */
bool parts_split(MlirValue mask, MlirOperation before, MlirValue *a, MlirValue *b);

/* Global rows as a part of their own: with one global term of one range
 * [s, e) (up to 4096 rows) in M, A = M with the global term's rows taken
 * out (its columns stay: they are stripes) and B = (M & rows [s, e)) - A:
 * the rows that attend every key become their own query tiles, which the
 * runtime splits over the keys, instead of one straggling tile. Builds
 * before `before`; false (nothing used) when M has no such term. */
bool parts_split_rows(MlirValue mask, MlirOperation before, MlirValue *a, MlirValue *b,
                      int64_t *row_begin, int64_t *row_end);

/* Splits a kernel func (a simplified sattn.kernel, one head group) in two
 * when one of the splits above applies: func keeps part A, and a clone,
 * inserted after func in its block, gets part B. Returns the clone (null:
 * no split); for a global-rows split, *row_begin / *row_end are the rows'
 * positions (0 0 otherwise). */
MlirOperation parts_clone(MlirOperation func, int64_t *row_begin, int64_t *row_end);

#endif
