/* The pattern algebra (sattn-simplify): each sattn.attention's masks are
 * rewritten into an equal, simpler mask:
 *   - nested unions and intersections are flattened, repeated terms
 *     dropped, `full` absorbs a union and drops out of an intersection;
 *   - windows merge: a union of windows is the window of the largest
 *     reaches (every window holds the diagonal, so they overlap), an
 *     intersection the smallest; causal & window(l, r) is window(l, 0);
 *   - a term subsumed by another is dropped from a union (kept alone in
 *     an intersection): window(a, b) within window(c, d) when a <= c and
 *     b <= d, window(l, 0) within causal, dilated(r, d) within window(rd,
 *     rd) and within stride(t) when t divides d, stride(s) within
 *     stride(t) when t divides s, local(w, B) within local(w', B) when
 *     w <= w', anything within full;
 *   - a difference whose right side holds its left is kept (there is no
 *     empty term), with both sides simplified.
 * Then, when check_len > 0, rows left empty at Lq = Lk = check_len are
 * reported as a warning at the attention (which rows).
 *
 * Equality is checked pair by pair against the oracle on random patterns
 * (test/unit/test_simplify.c). */
#ifndef SATTN_SIMPLIFY_H
#define SATTN_SIMPLIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

/* Simplifies the masks of every sattn.attention nested in root; returns
 * false after an error. Warnings go through sattn_pass_warn. */
bool simplify_masks(MlirOperation root, int64_t check_len);

#endif
