/* sattn reference oracle: the meaning of a pattern, evaluated directly.
 *
 * This library is the ground truth that every numerics test compares with.
 * It evaluates M(i, j) for every static term and combinator exactly as
 * ../shared/design/PATTERN_LANGUAGE.md (and docs/pattern-language.md) define
 * it, draws `random` blocks with the pinned splitmix64 generator, and computes
 * a dense attention with float64 accumulation.
 *
 * It has its own description of a pattern (orc_node trees built with the
 * orc_* builders below), not the front end's AST or IR, so that its tests do
 * not depend on the front end. It has no MLIR dependency.
 *
 * Notation: Lq, Lk query and key lengths; query row i in [0, Lq) sits at the
 * absolute position p = i + (Lk - Lq) (bottom-right alignment); every term is
 * defined on p. Block terms use floor division (p may be negative when
 * Lq > Lk).
 */
#ifndef SATTN_ORACLE_H
#define SATTN_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum orc_kind {
  ORC_FULL,       /* always */
  ORC_CAUSAL,     /* j <= p */
  ORC_WINDOW,     /* -a <= j - p <= b            (a = left, b = right) */
  ORC_LOCAL,      /* |floor(p/b) - floor(j/b)| <= w   (a = w, b = block) */
  ORC_DILATED,    /* |p - j| <= r*d and (p - j) mod d == 0   (a = r, b = d) */
  ORC_STRIDE,     /* (p - j) mod s == 0          (a = s) */
  ORC_SUMMARY,    /* j mod s >= s - c            (a = s, b = c) */
  ORC_GLOBAL,     /* p in G or j in G; G = union of [start, end) ranges */
  ORC_RANDOM,     /* key block among the r drawn for the query block
                     (a = r, b = block, seed, per_head) */
  ORC_UNKNOWN,    /* a dynamic term (topk, blocks, same): value unknown */
  ORC_UNION,      /* lhs | rhs */
  ORC_INTERSECT,  /* lhs & rhs */
  ORC_DIFFERENCE, /* lhs - rhs (lhs and not rhs) */
} orc_kind;

/* Three-valued truth: evaluation of a tree that holds ORC_UNKNOWN leaves
 * follows Kleene logic (unknown | 1 = 1, unknown & 0 = 0, not unknown =
 * unknown). A tree of static terms only ever yields ORC_NO or ORC_YES. */
typedef enum orc_truth { ORC_NO = 0, ORC_YES = 1, ORC_MAYBE = 2 } orc_truth;

typedef struct orc_node orc_node;

/* ---- builders ------------------------------------------------------------
 * Each returns a new tree owned by the caller (free with orc_node_destroy),
 * or NULL when out of memory. Combinators take ownership of both children,
 * also when they fail (a NULL child makes them destroy the other and return
 * NULL). Parameters are not validated here beyond what evaluation needs:
 * builders return NULL for values that would make evaluation undefined
 * (block, stride, dilation <= 0, negative radii, widths or counts, c > s,
 * end < start, ranges == NULL with nranges > 0). */
orc_node *orc_full(void);
orc_node *orc_causal(void);
orc_node *orc_window(int64_t left, int64_t right);
orc_node *orc_local(int64_t width, int64_t block);
orc_node *orc_dilated(int64_t radius, int64_t dilation);
orc_node *orc_stride(int64_t stride);
orc_node *orc_summary(int64_t stride, int64_t count);
/* `ranges` holds nranges [start, end) pairs (2 * nranges values), copied. */
orc_node *orc_global(const int64_t *ranges, size_t nranges);
orc_node *orc_random(int64_t count, int64_t block, uint64_t seed, bool per_head);
orc_node *orc_unknown(void);
orc_node *orc_union(orc_node *lhs, orc_node *rhs);
orc_node *orc_intersect(orc_node *lhs, orc_node *rhs);
orc_node *orc_difference(orc_node *lhs, orc_node *rhs);
/* Frees a tree; NULL does nothing. */
void orc_node_destroy(orc_node *n);

/* ---- evaluation ---------------------------------------------------------- */

/* M(i, j) for query row i in [0, seq_q), key j in [0, seq_k), query head
 * `head` (used by per-head random terms only). Not thread-safe on one tree:
 * random terms keep a one-entry cache of the last drawn query block.
 * n == NULL or i, j, seq_q, seq_k out of range give ORC_NO (no such key);
 * a random term that cannot allocate its cache gives ORC_MAYBE. */
orc_truth orc_eval(const orc_node *n, int64_t i, int64_t j, int64_t seq_q,
                   int64_t seq_k, int64_t head);

/* Counts the keys of row i: *yes gets the number of j with M = ORC_YES,
 * *maybe (if not NULL) those with ORC_MAYBE. O(seq_k). */
void orc_row_count(const orc_node *n, int64_t i, int64_t seq_q, int64_t seq_k,
                   int64_t head, int64_t *yes, int64_t *maybe);

/* True when no key of row i can be allowed (every j gives ORC_NO); stops at
 * the first key that is not ORC_NO. */
bool orc_row_empty(const orc_node *n, int64_t i, int64_t seq_q, int64_t seq_k,
                   int64_t head);

/* ---- the pinned random-block generator ------------------------------------ */

/* splitmix64 exactly as PATTERN_LANGUAGE.md pins it. */
uint64_t orc_splitmix64(uint64_t x);

/* The key blocks drawn for absolute query block `qblock` and head `head`
 * among n = nkblocks key blocks: if count >= n, all n blocks 0..n-1; else
 * for t = 0, 1, ... draw splitmix64(seed ^ (Q << 24) ^ (h << 48) ^ t) mod n
 * (Q, h as uint64_t, two's complement) keeping the first `count` distinct
 * values; if 64*count draws leave fewer than count, the smallest unused
 * indices are added in increasing order. Writes the blocks in the order
 * drawn (then the added ones) to out[0 .. min(count, n)) and returns that
 * number, or -1 for count < 0, nkblocks < 0, out == NULL with something to
 * write, or out of memory. */
int64_t orc_random_blocks(uint64_t seed, int64_t qblock, int64_t head,
                          int64_t count, int64_t nkblocks, int64_t *out);

/* ---- dense reference attention --------------------------------------------- */

typedef struct orc_dims {
  int64_t batch, heads_q, heads_kv, seq_q, seq_k, dim;
} orc_dims;

/* Dense attention with float64 accumulation over the allowed keys only.
 * q: [batch, heads_q, seq_q, dim], k and v: [batch, heads_kv, seq_k, dim],
 * contiguous float32; query head h reads kv head h / (heads_q / heads_kv).
 * Head h uses masks[g] for the group g with group_starts[g] <= h <
 * group_starts[g + 1]: masks and group_starts hold ngroups entries,
 * group_starts[0] == 0, strictly increasing, below heads_q, and
 * group_starts[ngroups] (not read) is taken as heads_q; pass
 * group_starts = NULL and ngroups = 1 for one pattern. A row with no
 * allowed key gives out = 0 and lse = -inf. out: [batch, heads_q, seq_q,
 * dim] float64; lse (may be NULL): [batch, heads_q, seq_q] float64, the
 * natural-log sum of exp(scale * q.k) over allowed keys.
 * Returns 0, or -1 for invalid arguments (NULL pointers, non-positive sizes
 * or sizes whose products overflow, a non-finite scale, heads_q not a
 * multiple of heads_kv, bad groups, or a mask that evaluates to ORC_MAYBE
 * anywhere) or out of memory; after -1, out and lse may be partly written. */
int orc_attention(const orc_dims *d, const float *q, const float *k,
                  const float *v, double scale, const orc_node *const *masks,
                  const int64_t *group_starts, size_t ngroups, double *out,
                  double *lse);

#ifdef __cplusplus
}
#endif
#endif
