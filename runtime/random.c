/* The pinned random-block generator (PATTERN_LANGUAGE.md, "random,
 * exactly"), for kernels: generated code calls sattn_rt_random_member for
 * the element predicate of `random`. A second implementation, separate from
 * the oracle's, so that each checks the other. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sattn_rt.h"

static uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* A set of block numbers: open addressing, -1 marks a free slot. */
static bool set_add(int64_t *slots, uint64_t mask, int64_t b) {
  uint64_t h = ((uint64_t)b * 0x9E3779B97F4A7C15ULL) & mask;
  while (slots[h] >= 0) {
    if (slots[h] == b)
      return false;
    h = (h + 1) & mask;
  }
  slots[h] = b;
  return true;
}

int64_t sattn_rt_random_blocks(uint64_t seed, int64_t qblock, int64_t head,
                               int64_t count, int64_t nkblocks, int64_t *out) {
  if (count <= 0 || nkblocks <= 0)
    return 0;
  if (count >= nkblocks) {
    for (int64_t b = 0; b < nkblocks; b++)
      out[b] = b;
    return nkblocks;
  }
  uint64_t size = 16;
  while (size < 2 * (uint64_t)count)
    size *= 2;
  int64_t *slots = malloc(size * sizeof *slots);
  if (!slots)
    return -1;
  memset(slots, 0xff, size * sizeof *slots);
  int64_t got = 0;
  uint64_t base = seed ^ ((uint64_t)qblock << 24) ^ ((uint64_t)head << 48);
  for (uint64_t t = 0; t < 64 * (uint64_t)count && got < count; t++) {
    int64_t b = (int64_t)(splitmix64(base ^ t) % (uint64_t)nkblocks);
    if (set_add(slots, size - 1, b))
      out[got++] = b;
  }
  for (int64_t b = 0; b < nkblocks && got < count; b++)
    if (set_add(slots, size - 1, b))
      out[got++] = b;
  free(slots);
  return got;
}

static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return (a > b) - (a < b);
}

/* The last drawn set of this thread, sorted for binary search; rows of one
 * query block ask again and again. */
typedef struct draw_cache {
  bool valid;
  uint64_t seed;
  int64_t qblock, head, count, nkblocks, got, cap;
  int64_t *blocks;
} draw_cache;

static _Thread_local draw_cache cache;

/* The cache's buffer is freed when its thread exits (pool workers). */
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static void free_blocks(void *p) { free(p); }
static void make_key(void) { pthread_key_create(&cache_key, free_blocks); }

/* The drawn blocks of (seed, qblock, head), sorted, in the thread's cache;
 * false when they cannot be drawn (out of memory). */
static bool drawn(int64_t seed, int64_t qblock, int64_t head, int64_t count, int64_t nkblocks,
                  draw_cache **out) {
  draw_cache *c = &cache;
  if (!c->valid || c->seed != (uint64_t)seed || c->qblock != qblock ||
      c->head != head || c->count != count || c->nkblocks != nkblocks) {
    if (count > c->cap) {
      int64_t *nb = realloc(c->blocks, (size_t)count * sizeof *nb);
      if (!nb)
        return false; /* count is limited to 65536 by the front end */
      c->blocks = nb;
      c->cap = count;
      pthread_once(&cache_once, make_key);
      pthread_setspecific(cache_key, nb);
    }
    c->got = sattn_rt_random_blocks((uint64_t)seed, qblock, head, count, nkblocks,
                                    c->blocks);
    if (c->got < 0) {
      c->valid = false;
      return false;
    }
    qsort(c->blocks, (size_t)c->got, sizeof *c->blocks, cmp_i64);
    c->seed = (uint64_t)seed;
    c->qblock = qblock;
    c->head = head;
    c->count = count;
    c->nkblocks = nkblocks;
    c->valid = true;
  }
  *out = c;
  return true;
}

/* The index of the first drawn block >= kblock in the sorted cache. */
static int64_t lower_bound(const draw_cache *c, int64_t kblock) {
  int64_t lo = 0, hi = c->got;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (c->blocks[mid] < kblock)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

int8_t sattn_rt_random_member(int64_t seed, int64_t qblock, int64_t head,
                              int64_t count, int64_t nkblocks, int64_t kblock) {
  if (kblock < 0 || kblock >= nkblocks || count <= 0)
    return 0;
  if (count >= nkblocks)
    return 1;
  draw_cache *c;
  if (!drawn(seed, qblock, head, count, nkblocks, &c))
    return 0;
  int64_t lo = lower_bound(c, kblock);
  return lo < c->got && c->blocks[lo] == kblock;
}

int64_t sattn_rt_random_next(int64_t seed, int64_t qblock, int64_t head, int64_t count,
                             int64_t nkblocks, int64_t kblock) {
  if (kblock < 0)
    kblock = 0;
  if (kblock >= nkblocks || count <= 0)
    return nkblocks;
  if (count >= nkblocks)
    return kblock;
  draw_cache *c;
  if (!drawn(seed, qblock, head, count, nkblocks, &c))
    return kblock; /* unknown: every block may be drawn (conservative) */
  int64_t lo = lower_bound(c, kblock);
  return lo < c->got ? c->blocks[lo] : nkblocks;
}
