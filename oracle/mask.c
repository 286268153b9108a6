/* Pattern trees of the oracle: builders and direct evaluation of M(i, j).
 *
 * Notation (as oracle.h): Lq = seq_q, Lk = seq_k, query row i sits at the
 * absolute position p = i + (Lk - Lq). Every term is evaluated on p with
 * exact floor division and mathematical modulo, because p < 0 whenever
 * Lq > Lk and C's `/` and `%` truncate toward zero.
 *
 * Overflow: for i in [0, Lq) and j in [0, Lk), p lies in [Lk - Lq, Lk) and
 * p - j in [-(Lq - 1), Lk - 1], so both fit int64_t as computed below; the
 * only product, r*d of `dilated`, saturates.
 */
#include "oracle.h"

#include <stdlib.h>
#include <string.h>

/* One-entry cache of a random term: the key blocks drawn for the last
 * (query block, head, key-block count), as a bitmap over key blocks. */
typedef struct rand_cache {
  bool valid;
  int64_t qblock, head, nkblocks;
  int64_t *drawn;   /* count entries, scratch for orc_random_blocks */
  uint64_t *bits;   /* (nkblocks + 63) / 64 words */
  size_t bits_words;
} rand_cache;

struct orc_node {
  orc_kind kind;
  int64_t a, b;            /* parameters, see orc_kind in oracle.h */
  uint64_t seed;           /* ORC_RANDOM */
  bool per_head;           /* ORC_RANDOM */
  int64_t *ranges;         /* ORC_GLOBAL: nranges [start, end) pairs */
  size_t nranges;
  orc_node *lhs, *rhs;     /* combinators */
  /* ORC_RANDOM only. A pointer, so that evaluation through a const tree may
   * update the cache without casting const away. */
  rand_cache *cache;
};

/* ---- small arithmetic helpers ---------------------------------------------- */

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && a < 0)
    --q;
  return q;
}

/* a mod b in [0, b) for b > 0. */
static int64_t floor_mod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return r < 0 ? r + b : r;
}

/* ceil(a / b) for a >= 0, b > 0, without forming a + b - 1. */
static int64_t ceil_div(int64_t a, int64_t b) {
  return a / b + (a % b != 0);
}

/* |a| for a > INT64_MIN (guaranteed here: a = p - j, see the file comment). */
static int64_t abs64(int64_t a) { return a < 0 ? -a : a; }

/* ---- builders -------------------------------------------------------------- */

static orc_node *node_new(orc_kind kind, int64_t a, int64_t b) {
  orc_node *n = calloc(1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->a = a;
    n->b = b;
  }
  return n;
}

orc_node *orc_full(void) { return node_new(ORC_FULL, 0, 0); }

orc_node *orc_causal(void) { return node_new(ORC_CAUSAL, 0, 0); }

orc_node *orc_window(int64_t left, int64_t right) {
  if (left < 0 || right < 0)
    return NULL;
  return node_new(ORC_WINDOW, left, right);
}

orc_node *orc_local(int64_t width, int64_t block) {
  if (width < 0 || block <= 0)
    return NULL;
  return node_new(ORC_LOCAL, width, block);
}

orc_node *orc_dilated(int64_t radius, int64_t dilation) {
  if (radius < 0 || dilation <= 0)
    return NULL;
  return node_new(ORC_DILATED, radius, dilation);
}

orc_node *orc_stride(int64_t stride) {
  if (stride <= 0)
    return NULL;
  return node_new(ORC_STRIDE, stride, 0);
}

orc_node *orc_summary(int64_t stride, int64_t count) {
  if (stride <= 0 || count < 0 || count > stride)
    return NULL;
  return node_new(ORC_SUMMARY, stride, count);
}

orc_node *orc_global(const int64_t *ranges, size_t nranges) {
  if (nranges > 0 && !ranges)
    return NULL;
  if (nranges > SIZE_MAX / (2 * sizeof *ranges))
    return NULL;
  for (size_t r = 0; r < nranges; ++r)
    if (ranges[2 * r + 1] < ranges[2 * r])
      return NULL;
  orc_node *n = node_new(ORC_GLOBAL, 0, 0);
  if (!n)
    return NULL;
  if (nranges > 0) {
    n->ranges = malloc(2 * nranges * sizeof *n->ranges);
    if (!n->ranges) {
      free(n);
      return NULL;
    }
    memcpy(n->ranges, ranges, 2 * nranges * sizeof *n->ranges);
  }
  n->nranges = nranges;
  return n;
}

orc_node *orc_random(int64_t count, int64_t block, uint64_t seed,
                     bool per_head) {
  if (count < 0 || block <= 0)
    return NULL;
  orc_node *n = node_new(ORC_RANDOM, count, block);
  if (!n)
    return NULL;
  n->seed = seed;
  n->per_head = per_head;
  n->cache = calloc(1, sizeof *n->cache);
  if (!n->cache) {
    free(n);
    return NULL;
  }
  return n;
}

orc_node *orc_unknown(void) { return node_new(ORC_UNKNOWN, 0, 0); }

static orc_node *combine(orc_kind kind, orc_node *lhs, orc_node *rhs) {
  if (!lhs || !rhs) {
    orc_node_destroy(lhs);
    orc_node_destroy(rhs);
    return NULL;
  }
  orc_node *n = node_new(kind, 0, 0);
  if (!n) {
    orc_node_destroy(lhs);
    orc_node_destroy(rhs);
    return NULL;
  }
  n->lhs = lhs;
  n->rhs = rhs;
  return n;
}

orc_node *orc_union(orc_node *lhs, orc_node *rhs) {
  return combine(ORC_UNION, lhs, rhs);
}

orc_node *orc_intersect(orc_node *lhs, orc_node *rhs) {
  return combine(ORC_INTERSECT, lhs, rhs);
}

orc_node *orc_difference(orc_node *lhs, orc_node *rhs) {
  return combine(ORC_DIFFERENCE, lhs, rhs);
}

void orc_node_destroy(orc_node *n) {
  if (!n)
    return;
  orc_node_destroy(n->lhs);
  orc_node_destroy(n->rhs);
  if (n->cache) {
    free(n->cache->drawn);
    free(n->cache->bits);
    free(n->cache);
  }
  free(n->ranges);
  free(n);
}

/* ---- evaluation -------------------------------------------------------------- */

static orc_truth truth(bool b) { return b ? ORC_YES : ORC_NO; }

static bool in_ranges(const orc_node *n, int64_t x) {
  for (size_t r = 0; r < n->nranges; ++r)
    if (n->ranges[2 * r] <= x && x < n->ranges[2 * r + 1])
      return true;
  return false;
}

/* |p - j| <= r*d and (p - j) mod d == 0; r*d saturates to "no bound". */
static bool eval_dilated(int64_t r, int64_t d, int64_t diff) {
  if (floor_mod(diff, d) != 0)
    return false;
  if (r > INT64_MAX / d)
    return true;
  return abs64(diff) <= r * d;
}

/* Fills the cache of random term n for (qblock, head, nk); false when out of
 * memory. */
static bool random_fill(const orc_node *n, int64_t qblock, int64_t head,
                        int64_t nk) {
  rand_cache *c = n->cache;
  if (c->valid && c->qblock == qblock && c->head == head && c->nkblocks == nk)
    return true;
  c->valid = false;
  size_t words = (size_t)((nk + 63) / 64);
  if (words > c->bits_words) {
    uint64_t *bits = realloc(c->bits, words * sizeof *bits);
    if (!bits)
      return false;
    c->bits = bits;
    c->bits_words = words;
  }
  /* Only called with count < nk, so count entries suffice for any nk. */
  if (!c->drawn && n->a > 0) {
    if ((uint64_t)n->a > SIZE_MAX / sizeof *c->drawn)
      return false;
    c->drawn = malloc((size_t)n->a * sizeof *c->drawn);
    if (!c->drawn)
      return false;
  }
  int64_t got = orc_random_blocks(n->seed, qblock, head, n->a, nk, c->drawn);
  if (got < 0)
    return false;
  memset(c->bits, 0, words * sizeof *c->bits);
  for (int64_t t = 0; t < got; ++t)
    c->bits[c->drawn[t] / 64] |= (uint64_t)1 << (c->drawn[t] % 64);
  c->qblock = qblock;
  c->head = head;
  c->nkblocks = nk;
  c->valid = true;
  return true;
}

static orc_truth eval_random(const orc_node *n, int64_t p, int64_t j,
                             int64_t seq_k, int64_t head) {
  int64_t block = n->b;
  int64_t nk = ceil_div(seq_k, block);
  if (n->a >= nk)
    return ORC_YES; /* every key block is drawn */
  int64_t qblock = floor_div(p, block);
  int64_t h = n->per_head ? head : 0;
  /* Out of memory leaves the answer unknown rather than silently wrong. */
  if (!random_fill(n, qblock, h, nk))
    return ORC_MAYBE;
  int64_t kb = j / block;
  return truth((n->cache->bits[kb / 64] >> (kb % 64)) & 1u);
}

static orc_truth eval_node(const orc_node *n, int64_t p, int64_t j,
                           int64_t seq_k, int64_t head) {
  switch (n->kind) {
  case ORC_FULL:
    return ORC_YES;
  case ORC_CAUSAL:
    return truth(j <= p);
  case ORC_WINDOW:
    return truth(-n->a <= j - p && j - p <= n->b);
  case ORC_LOCAL:
    return truth(abs64(floor_div(p, n->b) - floor_div(j, n->b)) <= n->a);
  case ORC_DILATED:
    return truth(eval_dilated(n->a, n->b, p - j));
  case ORC_STRIDE:
    return truth(floor_mod(p - j, n->a) == 0);
  case ORC_SUMMARY:
    return truth(floor_mod(j, n->a) >= n->a - n->b);
  case ORC_GLOBAL:
    return truth(in_ranges(n, p) || in_ranges(n, j));
  case ORC_RANDOM:
    return eval_random(n, p, j, seq_k, head);
  case ORC_UNKNOWN:
    return ORC_MAYBE;
  case ORC_UNION: {
    /* Kleene: yes if either is yes, no if both are no. */
    orc_truth l = eval_node(n->lhs, p, j, seq_k, head);
    if (l == ORC_YES)
      return ORC_YES;
    orc_truth r = eval_node(n->rhs, p, j, seq_k, head);
    if (r == ORC_YES)
      return ORC_YES;
    return (l == ORC_NO && r == ORC_NO) ? ORC_NO : ORC_MAYBE;
  }
  case ORC_INTERSECT: {
    /* Kleene: no if either is no, yes if both are yes. */
    orc_truth l = eval_node(n->lhs, p, j, seq_k, head);
    if (l == ORC_NO)
      return ORC_NO;
    orc_truth r = eval_node(n->rhs, p, j, seq_k, head);
    if (r == ORC_NO)
      return ORC_NO;
    return (l == ORC_YES && r == ORC_YES) ? ORC_YES : ORC_MAYBE;
  }
  case ORC_DIFFERENCE: {
    /* lhs & not rhs; not maybe = maybe. */
    orc_truth l = eval_node(n->lhs, p, j, seq_k, head);
    if (l == ORC_NO)
      return ORC_NO;
    orc_truth r = eval_node(n->rhs, p, j, seq_k, head);
    if (r == ORC_YES)
      return ORC_NO;
    return (l == ORC_YES && r == ORC_NO) ? ORC_YES : ORC_MAYBE;
  }
  }
  return ORC_MAYBE; /* not reached for a tree built by the builders */
}

orc_truth orc_eval(const orc_node *n, int64_t i, int64_t j, int64_t seq_q,
                   int64_t seq_k, int64_t head) {
  if (!n || seq_q <= 0 || seq_k <= 0 || i < 0 || i >= seq_q || j < 0 ||
      j >= seq_k)
    return ORC_NO;
  /* p = i + (Lk - Lq), computed as Lk - (Lq - i): both differences are of
   * non-negative values and cannot overflow. */
  int64_t p = seq_k - (seq_q - i);
  return eval_node(n, p, j, seq_k, head);
}

void orc_row_count(const orc_node *n, int64_t i, int64_t seq_q, int64_t seq_k,
                   int64_t head, int64_t *yes, int64_t *maybe) {
  int64_t y = 0, m = 0;
  for (int64_t j = 0; j < seq_k; ++j) {
    orc_truth t = orc_eval(n, i, j, seq_q, seq_k, head);
    y += t == ORC_YES;
    m += t == ORC_MAYBE;
  }
  if (yes)
    *yes = y;
  if (maybe)
    *maybe = m;
}

bool orc_row_empty(const orc_node *n, int64_t i, int64_t seq_q, int64_t seq_k,
                   int64_t head) {
  for (int64_t j = 0; j < seq_k; ++j)
    if (orc_eval(n, i, j, seq_q, seq_k, head) != ORC_NO)
      return false;
  return true;
}
