/* The pinned random-block generator of `random(r, block=b, seed=x)`.
 *
 * PATTERN_LANGUAGE.md ("random, exactly") fixes every bit of it so that the
 * CPU, GPU, AOT and JIT implementations and this oracle draw the same blocks.
 * All arithmetic is on uint64_t, where wrap-around is defined.
 */
#include "oracle.h"

#include <stdlib.h>

/* Draws per requested block before falling back to the smallest unused
 * indices (the spec's "64·r draws"). */
#define DRAWS_PER_BLOCK 64u

uint64_t orc_splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15u;
  uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static bool bit_get(const uint64_t *bits, uint64_t i) {
  return (bits[i / 64] >> (i % 64)) & 1u;
}

static void bit_set(uint64_t *bits, uint64_t i) {
  bits[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Internal, for tests only (not in oracle.h): orc_random_blocks with an
 * explicit draw budget instead of 64 * count. With splitmix64 the fallback
 * to the smallest unused blocks is practically unreachable (even at
 * r = n - 1, a given block escapes 64*r draws with probability about
 * e^-64), so the unit test reaches that path through a small budget.
 * Returns as orc_random_blocks. */
int64_t orc_random_blocks_budget(uint64_t seed, int64_t qblock, int64_t head,
                                 int64_t count, int64_t nkblocks,
                                 uint64_t max_draws, int64_t *out);
int64_t orc_random_blocks_budget(uint64_t seed, int64_t qblock, int64_t head,
                                 int64_t count, int64_t nkblocks,
                                 uint64_t max_draws, int64_t *out) {
  if (count < 0 || nkblocks < 0)
    return -1;
  int64_t want = count < nkblocks ? count : nkblocks;
  if (want > 0 && !out)
    return -1;
  if (count >= nkblocks) {
    for (int64_t b = 0; b < nkblocks; ++b)
      out[b] = b;
    return nkblocks;
  }
  if (count == 0)
    return 0;

  uint64_t n = (uint64_t)nkblocks;
  uint64_t *seen = calloc((size_t)((n + 63) / 64), sizeof *seen);
  if (!seen)
    return -1;
  /* Q and h enter as two's-complement uint64_t; shifts of unsigned values
   * wrap, so negative query blocks (Lq > Lk) are well defined. */
  uint64_t base = seed ^ ((uint64_t)qblock << 24) ^ ((uint64_t)head << 48);
  int64_t got = 0;
  for (uint64_t t = 0; t < max_draws && got < count; ++t) {
    uint64_t blk = orc_splitmix64(base ^ t) % n;
    if (!bit_get(seen, blk)) {
      bit_set(seen, blk);
      out[got++] = (int64_t)blk;
    }
  }
  /* Fallback: count < n, so enough unused indices exist. */
  for (uint64_t blk = 0; got < count; ++blk) {
    if (!bit_get(seen, blk)) {
      bit_set(seen, blk);
      out[got++] = (int64_t)blk;
    }
  }
  free(seen);
  return got;
}

int64_t orc_random_blocks(uint64_t seed, int64_t qblock, int64_t head,
                          int64_t count, int64_t nkblocks, int64_t *out) {
  /* 64 * count, saturated (count < nkblocks here, but may be huge). */
  uint64_t budget = UINT64_MAX;
  if (count >= 0 && (uint64_t)count <= UINT64_MAX / DRAWS_PER_BLOCK)
    budget = (uint64_t)count * DRAWS_PER_BLOCK;
  return orc_random_blocks_budget(seed, qblock, head, count, nkblocks, budget,
                                  out);
}
