/* Unit tests of the reference oracle (oracle/oracle.h).
 *
 * Masks are compared cell by cell with hand-computed grids written as one
 * string per query row ('1' allowed, '0' not, '?' ORC_MAYBE). Random blocks
 * are checked against literal values (computed outside C with Python's
 * arbitrary-precision integers) and against a re-derivation written here
 * straight from PATTERN_LANGUAGE.md. Attention is checked against a naive
 * float64 computation on fresh random inputs.
 *
 * Each test prints "Running test 'name'"; a failed CHECK prints
 * file:line and the expression; the last line is "N passed, M failed"
 * counting test functions, and the exit status is non-zero on any failure.
 */
#include "oracle.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Internal hook of random.c (not in oracle.h): orc_random_blocks with an
 * explicit draw budget, so that the fallback path can be reached. */
int64_t orc_random_blocks_budget(uint64_t seed, int64_t qblock, int64_t head,
                                 int64_t count, int64_t nkblocks,
                                 uint64_t max_draws, int64_t *out);

#include "harness.h"

/* ---- mask helpers -------------------------------------------------------------- */

static char truth_char(orc_truth t) {
  return t == ORC_YES ? '1' : t == ORC_NO ? '0' : '?';
}

/* True when every cell of n over [Lq, Lk] for `head` matches `expect`
 * (Lq rows of Lk characters, concatenated). Prints both grids otherwise. */
static bool mask_is(const orc_node *n, int64_t Lq, int64_t Lk, int64_t head,
                    const char *expect) {
  if (!n) {
    printf("  mask is NULL\n");
    return false;
  }
  if ((int64_t)strlen(expect) != Lq * Lk) {
    printf("  expected grid has %zu cells, not %" PRId64 "\n", strlen(expect),
           Lq * Lk);
    return false;
  }
  bool ok = true;
  for (int64_t i = 0; i < Lq; ++i)
    for (int64_t j = 0; j < Lk; ++j)
      if (truth_char(orc_eval(n, i, j, Lq, Lk, head)) != expect[i * Lk + j])
        ok = false;
  if (!ok) {
    printf("  Lq=%" PRId64 " Lk=%" PRId64 " head=%" PRId64
           ": got | expected\n", Lq, Lk, head);
    for (int64_t i = 0; i < Lq; ++i) {
      printf("  ");
      for (int64_t j = 0; j < Lk; ++j)
        putchar(truth_char(orc_eval(n, i, j, Lq, Lk, head)));
      printf(" | %.*s\n", (int)Lk, expect + i * Lk);
    }
  }
  return ok;
}

/* mask_is, then destroys n. */
static bool mask_is_take(orc_node *n, int64_t Lq, int64_t Lk, int64_t head,
                         const char *expect) {
  bool ok = mask_is(n, Lq, Lk, head, expect);
  orc_node_destroy(n);
  return ok;
}

static orc_node *global1(int64_t start, int64_t end) {
  int64_t r[2] = {start, end};
  return orc_global(r, 1);
}

/* full - full: the empty pattern. */
static orc_node *empty(void) { return orc_difference(orc_full(), orc_full()); }

/* ---- random blocks, re-derived from the spec text -------------------------- */

/* "x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
 *  z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)" */
static uint64_t spec_splitmix64(uint64_t x) {
  x = x + UINT64_C(0x9E3779B97F4A7C15);
  uint64_t z = x;
  z = z ^ (z >> 30);
  z = z * UINT64_C(0xBF58476D1CE4E5B9);
  z = z ^ (z >> 27);
  z = z * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static bool spec_contains(const int64_t *v, int64_t n, int64_t x) {
  for (int64_t t = 0; t < n; ++t)
    if (v[t] == x)
      return true;
  return false;
}

/* "if r >= n, all n blocks; else for t = 0, 1, 2, ... draw
 *  splitmix64(seed ^ (Q << 24) ^ (h << 48) ^ t) mod n and keep the first r
 *  distinct values; if 64*r draws leave fewer than r, add the smallest unused
 *  block indices in increasing order." Quadratic, fine for small r. */
static int64_t spec_random_blocks(uint64_t seed, int64_t Q, int64_t h,
                                  int64_t r, int64_t n, int64_t *out) {
  if (r >= n) {
    for (int64_t b = 0; b < n; ++b)
      out[b] = b;
    return n;
  }
  int64_t got = 0;
  uint64_t qq = (uint64_t)Q, hh = (uint64_t)h;
  for (uint64_t t = 0; t < 64 * (uint64_t)r && got < r; ++t) {
    int64_t b = (int64_t)(spec_splitmix64(seed ^ (qq << 24) ^ (hh << 48) ^ t) %
                          (uint64_t)n);
    if (!spec_contains(out, got, b))
      out[got++] = b;
  }
  for (int64_t b = 0; got < r; ++b)
    if (!spec_contains(out, got, b))
      out[got++] = b;
  return got;
}

/* Whether key block kb is drawn; for the small r and n (<= 64) used here. */
static bool spec_random_has(uint64_t seed, int64_t Q, int64_t h, int64_t r,
                            int64_t n, int64_t kb) {
  int64_t out[64];
  if (r > 64 && n > 64)
    return false; /* would overflow out; no test asks this */
  int64_t got = spec_random_blocks(seed, Q, h, r, n, out);
  return spec_contains(out, got, kb);
}

/* floor(a / b), b > 0, written independently of mask.c. */
static int64_t fdiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* ---- splitmix64 and orc_random_blocks ------------------------------------------ */

static void test_splitmix64(void) {
  /* By hand for x = 0: x = 0x9e3779b97f4a7c15;
   * z ^ z>>30 = 0x9e3779bb07979af0, * C1 = 0x6f68261b57e7a770;
   * z ^ z>>27 = 0x6f682616bae3641a, * C2 = 0xe220a838bf5c9dde;
   * z ^ z>>31 = 0xe220a8397b1dcdaf, the well-known first output of
   * splitmix64 seeded with 0. */
  CHECK(orc_splitmix64(0) == UINT64_C(0xE220A8397B1DCDAF));
  /* x = 1: x = 0x9e3779b97f4a7c16; 0x9e3779bb07979af3; 0xad70fc62ae96589b;
   * 0xad70fc770089d4ce; 0x910a2dedab16071a; out 0x910a2dec89025cc1. */
  CHECK(orc_splitmix64(1) == UINT64_C(0x910A2DEC89025CC1));
  /* x = 2^64 - 1 wraps in the first addition. */
  CHECK(orc_splitmix64(UINT64_MAX) == UINT64_C(0xE4D971771B652C20));
  CHECK(orc_splitmix64(7) == UINT64_C(0x63CBE1E459320DD7));
  for (uint64_t x = 0; x < 1000; ++x)
    CHECK(orc_splitmix64(x * UINT64_C(0x123456789)) ==
          spec_splitmix64(x * UINT64_C(0x123456789)));
}

static bool blocks_are(int64_t got, const int64_t *out, int64_t n,
                       const int64_t *want) {
  if (got != n)
    return false;
  for (int64_t t = 0; t < n; ++t)
    if (out[t] != want[t])
      return false;
  return true;
}

static void test_random_blocks_literals(void) {
  /* Values computed with Python's arbitrary-precision integers. */
  int64_t out[8];
  CHECK(blocks_are(orc_random_blocks(7, 0, 0, 3, 8, out), out, 3,
                   (const int64_t[]){7, 0, 2}));
  CHECK(blocks_are(orc_random_blocks(7, 1, 0, 3, 8, out), out, 3,
                   (const int64_t[]){7, 4, 5}));
  /* Negative query block (Lq > Lk): Q << 24 in two's complement. */
  CHECK(blocks_are(orc_random_blocks(7, -1, 0, 3, 8, out), out, 3,
                   (const int64_t[]){4, 7, 1}));
  CHECK(blocks_are(orc_random_blocks(7, 2, 5, 3, 8, out), out, 3,
                   (const int64_t[]){2, 4, 1}));
  /* seed 8, n = 3: the draws go 1, 1, 1, 0: two duplicates are skipped
   * before the second distinct block appears. */
  CHECK(spec_splitmix64(8 ^ 0) % 3 == 1 && spec_splitmix64(8 ^ 1) % 3 == 1 &&
        spec_splitmix64(8 ^ 2) % 3 == 1 && spec_splitmix64(8 ^ 3) % 3 == 0);
  CHECK(blocks_are(orc_random_blocks(8, 0, 0, 2, 3, out), out, 2,
                   (const int64_t[]){1, 0}));
}

static void test_random_blocks_match_spec(void) {
  const uint64_t seeds[] = {0, 7, 0xDEADBEEF, UINT64_MAX};
  const int64_t heads[] = {0, 1, 5, -1};
  for (size_t s = 0; s < sizeof seeds / sizeof *seeds; ++s)
    for (int64_t Q = -3; Q <= 5; ++Q)
      for (size_t hi = 0; hi < sizeof heads / sizeof *heads; ++hi)
        for (int64_t n = 1; n <= 10; ++n)
          for (int64_t r = 0; r <= n + 1; ++r) {
            int64_t got[16], want[16];
            int64_t ng = orc_random_blocks(seeds[s], Q, heads[hi], r, n, got);
            int64_t nw = spec_random_blocks(seeds[s], Q, heads[hi], r, n, want);
            CHECK(blocks_are(ng, got, nw, want));
          }
}

static void test_random_blocks_all(void) {
  int64_t out[6] = {-1, -1, -1, -1, -1, -1};
  /* r >= n: all n blocks in increasing order, whatever the seed. */
  CHECK(blocks_are(orc_random_blocks(123, 4, 2, 5, 5, out), out, 5,
                   (const int64_t[]){0, 1, 2, 3, 4}));
  CHECK(blocks_are(orc_random_blocks(9, -2, 0, 100, 3, out), out, 3,
                   (const int64_t[]){0, 1, 2}));
  CHECK(orc_random_blocks(9, 0, 0, 0, 3, out) == 0);
  CHECK(orc_random_blocks(9, 0, 0, 2, 0, NULL) == 0);
}

static void test_random_blocks_fallback(void) {
  /* 64*r draws practically always find r blocks (even at r = n - 1 a given
   * block escapes them with probability about e^-64), so the fallback is
   * reached through the budget hook: no draw at all gives the smallest r
   * indices. */
  int64_t out[4];
  CHECK(blocks_are(orc_random_blocks_budget(7, 0, 0, 3, 8, 0, out), out, 3,
                   (const int64_t[]){0, 1, 2}));
  /* One draw (7, as above) then the smallest unused: 0, 1. */
  CHECK(blocks_are(orc_random_blocks_budget(7, 0, 0, 3, 8, 1, out), out, 3,
                   (const int64_t[]){7, 0, 1}));
  /* Two draws: 7, 0, then the smallest unused is 1. */
  CHECK(blocks_are(orc_random_blocks_budget(7, 0, 0, 3, 8, 2, out), out, 3,
                   (const int64_t[]){7, 0, 1}));
  /* Seed 8, n = 3: three draws give only block 1 (1, 1, 1), so the
   * fallback adds 0, the smallest unused; four draws find 0 by drawing. */
  CHECK(blocks_are(orc_random_blocks_budget(8, 0, 0, 2, 3, 3, out), out, 2,
                   (const int64_t[]){1, 0}));
  /* Seed 8, n = 4: draws 2, 0, 2, 1. One draw leaves 2, then 0 and 1 are
   * added; three draws give 2, 0 (a duplicate 2), then 1 is added. */
  CHECK(blocks_are(orc_random_blocks_budget(8, 0, 0, 3, 4, 1, out), out, 3,
                   (const int64_t[]){2, 0, 1}));
  CHECK(blocks_are(orc_random_blocks_budget(8, 0, 0, 3, 4, 3, out), out, 3,
                   (const int64_t[]){2, 0, 1}));
  CHECK(blocks_are(orc_random_blocks_budget(8, 0, 0, 3, 5, 0, out), out, 3,
                   (const int64_t[]){0, 1, 2}));
  /* Invalid arguments. */
  CHECK(orc_random_blocks(1, 0, 0, -1, 4, out) == -1);
  CHECK(orc_random_blocks(1, 0, 0, 1, -4, out) == -1);
  CHECK(orc_random_blocks(1, 0, 0, 1, 4, NULL) == -1);
}

/* ---- builders ------------------------------------------------------------------- */

static void test_builders_reject(void) {
  CHECK(orc_window(-1, 0) == NULL);
  CHECK(orc_window(0, -1) == NULL);
  CHECK(orc_local(-1, 2) == NULL);
  CHECK(orc_local(1, 0) == NULL);
  CHECK(orc_dilated(-1, 2) == NULL);
  CHECK(orc_dilated(1, 0) == NULL);
  CHECK(orc_stride(0) == NULL);
  CHECK(orc_stride(-3) == NULL);
  CHECK(orc_summary(0, 0) == NULL);
  CHECK(orc_summary(4, 5) == NULL);
  CHECK(orc_summary(4, -1) == NULL);
  CHECK(global1(3, 2) == NULL);
  CHECK(orc_global(NULL, 1) == NULL);
  CHECK(orc_random(-1, 2, 0, false) == NULL);
  CHECK(orc_random(1, 0, 0, false) == NULL);
  /* A NULL child: the combinator frees the other one (ASan checks leaks). */
  CHECK(orc_union(orc_causal(), NULL) == NULL);
  CHECK(orc_intersect(NULL, orc_random(1, 2, 3, true)) == NULL);
  CHECK(orc_difference(NULL, NULL) == NULL);
  orc_node_destroy(NULL);
  /* Out-of-range arguments give ORC_NO. */
  orc_node *f = orc_full();
  CHECK(orc_eval(f, 0, 0, 2, 2, 0) == ORC_YES);
  CHECK(orc_eval(f, 2, 0, 2, 2, 0) == ORC_NO);
  CHECK(orc_eval(f, -1, 0, 2, 2, 0) == ORC_NO);
  CHECK(orc_eval(f, 0, 2, 2, 2, 0) == ORC_NO);
  CHECK(orc_eval(f, 0, -1, 2, 2, 0) == ORC_NO);
  CHECK(orc_eval(NULL, 0, 0, 2, 2, 0) == ORC_NO);
  orc_node_destroy(f);
}

/* ---- terms -------------------------------------------------------------------------- */

static void test_full(void) {
  CHECK(mask_is_take(orc_full(), 3, 4, 0,
                     "1111"
                     "1111"
                     "1111"));
}

static void test_causal(void) {
  CHECK(mask_is_take(orc_causal(), 5, 5, 0,
                     "10000"
                     "11000"
                     "11100"
                     "11110"
                     "11111"));
  /* Lq < Lk: p = i + 5, bottom-right aligned. */
  CHECK(mask_is_take(orc_causal(), 3, 8, 0,
                     "11111100"
                     "11111110"
                     "11111111"));
  /* Lq > Lk: p = i - 2; the first two rows see no key. */
  CHECK(mask_is_take(orc_causal(), 5, 3, 0,
                     "000"
                     "000"
                     "100"
                     "110"
                     "111"));
}

static void test_window_symmetric(void) {
  CHECK(mask_is_take(orc_window(1, 1), 8, 8, 0,
                     "11000000"
                     "11100000"
                     "01110000"
                     "00111000"
                     "00011100"
                     "00001110"
                     "00000111"
                     "00000011"));
  CHECK(mask_is_take(orc_window(0, 0), 3, 3, 0,
                     "100"
                     "010"
                     "001"));
  /* Lq > Lk: p = -2 .. 2. */
  CHECK(mask_is_take(orc_window(1, 1), 5, 3, 0,
                     "000"
                     "100"
                     "110"
                     "111"
                     "011"));
}

static void test_window_asymmetric(void) {
  /* -2 <= j - i <= 0. */
  CHECK(mask_is_take(orc_window(2, 0), 6, 6, 0,
                     "100000"
                     "110000"
                     "111000"
                     "011100"
                     "001110"
                     "000111"));
  /* 0 <= j - i <= 1. */
  CHECK(mask_is_take(orc_window(0, 1), 6, 6, 0,
                     "110000"
                     "011000"
                     "001100"
                     "000110"
                     "000011"
                     "000001"));
  /* Lq < Lk: p = 5, 6, 7; -1 <= j - p <= 2. */
  CHECK(mask_is_take(orc_window(1, 2), 3, 8, 0,
                     "00001111"
                     "00000111"
                     "00000011"));
}

static void test_local(void) {
  CHECK(mask_is_take(orc_local(0, 2), 8, 8, 0,
                     "11000000"
                     "11000000"
                     "00110000"
                     "00110000"
                     "00001100"
                     "00001100"
                     "00000011"
                     "00000011"));
  CHECK(mask_is_take(orc_local(1, 2), 8, 8, 0,
                     "11110000"
                     "11110000"
                     "11111100"
                     "11111100"
                     "00111111"
                     "00111111"
                     "00001111"
                     "00001111"));
  CHECK(mask_is_take(orc_local(0, 4), 8, 8, 0,
                     "11110000"
                     "11110000"
                     "11110000"
                     "11110000"
                     "00001111"
                     "00001111"
                     "00001111"
                     "00001111"));
  CHECK(mask_is_take(orc_local(1, 4), 12, 12, 0,
                     "111111110000"
                     "111111110000"
                     "111111110000"
                     "111111110000"
                     "111111111111"
                     "111111111111"
                     "111111111111"
                     "111111111111"
                     "000011111111"
                     "000011111111"
                     "000011111111"
                     "000011111111"));
  /* Lq < Lk: p = 5, 6, 7 in blocks 2, 3, 3 (block 2) or 1 (block 4). */
  CHECK(mask_is_take(orc_local(0, 2), 3, 8, 0,
                     "00001100"
                     "00000011"
                     "00000011"));
  CHECK(mask_is_take(orc_local(0, 4), 3, 8, 0,
                     "00001111"
                     "00001111"
                     "00001111"));
}

static void test_local_negative_positions(void) {
  /* Lq = 6 > Lk = 4: p = -2 .. 3, floor(p/2) = -1, -1, 0, 0, 1, 1 (with
   * truncating division p = -1 would land in block 0 and row 1 would see
   * keys 0, 1). */
  CHECK(mask_is_take(orc_local(0, 2), 6, 4, 0,
                     "0000"
                     "0000"
                     "1100"
                     "1100"
                     "0011"
                     "0011"));
  CHECK(mask_is_take(orc_local(1, 2), 6, 4, 0,
                     "1100"
                     "1100"
                     "1111"
                     "1111"
                     "1111"
                     "1111"));
}

static void test_dilated(void) {
  /* |i - j| <= 4 and i - j even. */
  CHECK(mask_is_take(orc_dilated(2, 2), 8, 8, 0,
                     "10101000"
                     "01010100"
                     "10101010"
                     "01010101"
                     "10101010"
                     "01010101"
                     "00101010"
                     "00010101"));
  CHECK(mask_is_take(orc_dilated(0, 3), 3, 3, 0,
                     "100"
                     "010"
                     "001"));
  /* r*d overflows int64: the bound is unlimited, leaving stride(4). */
  CHECK(mask_is_take(orc_dilated(INT64_MAX / 2, 4), 6, 6, 0,
                     "100010"
                     "010001"
                     "001000"
                     "000100"
                     "100010"
                     "010001"));
  CHECK(mask_is_take(orc_dilated(INT64_MAX, 1), 2, 3, 0,
                     "111"
                     "111"));
  /* Lq = 4 > Lk = 2: p = -2 .. 1; |p - j| <= 3 and p - j = 0 mod 3. */
  CHECK(mask_is_take(orc_dilated(1, 3), 4, 2, 0,
                     "01"
                     "00"
                     "10"
                     "01"));
}

static void test_stride(void) {
  CHECK(mask_is_take(orc_stride(3), 7, 7, 0,
                     "1001001"
                     "0100100"
                     "0010010"
                     "1001001"
                     "0100100"
                     "0010010"
                     "1001001"));
  /* Lq = 4 > Lk = 3: p = -1 .. 2; p - j = -2 is a multiple of 2. */
  CHECK(mask_is_take(orc_stride(2), 4, 3, 0,
                     "010"
                     "101"
                     "010"
                     "101"));
  CHECK(mask_is_take(orc_stride(1), 2, 2, 0,
                     "11"
                     "11"));
}

static void test_summary(void) {
  /* The last c of every s keys, whatever the row. */
  CHECK(mask_is_take(orc_summary(4, 1), 2, 10, 0,
                     "0001000100"
                     "0001000100"));
  CHECK(mask_is_take(orc_summary(4, 2), 1, 8, 0, "00110011"));
  CHECK(mask_is_take(orc_summary(3, 0), 1, 4, 0, "0000"));
  CHECK(mask_is_take(orc_summary(3, 3), 1, 4, 0, "1111"));
}

static void test_global(void) {
  /* One token: its row and its column. */
  CHECK(mask_is_take(global1(0, 1), 5, 5, 0,
                     "11111"
                     "10000"
                     "10000"
                     "10000"
                     "10000"));
  /* A range [2, 4). */
  CHECK(mask_is_take(global1(2, 4), 6, 6, 0,
                     "001100"
                     "001100"
                     "111111"
                     "111111"
                     "001100"
                     "001100"));
  /* Two ranges. */
  int64_t two[4] = {0, 1, 5, 6};
  CHECK(mask_is_take(orc_global(two, 2), 6, 6, 0,
                     "111111"
                     "100001"
                     "100001"
                     "100001"
                     "100001"
                     "111111"));
  /* Lq < Lk: rows sit at p = 3, 4, so token 4 is the second row. */
  CHECK(mask_is_take(global1(4, 5), 2, 5, 0,
                     "00001"
                     "11111"));
  CHECK(mask_is_take(global1(0, 1), 2, 5, 0,
                     "10000"
                     "10000"));
  /* Lq > Lk: p = -2 .. 1, so row 2 (p = 0) is the global one. */
  CHECK(mask_is_take(global1(0, 1), 4, 2, 0,
                     "10"
                     "10"
                     "11"
                     "10"));
  /* No range, or an empty one: nothing. */
  CHECK(mask_is_take(orc_global(NULL, 0), 2, 2, 0,
                     "00"
                     "00"));
  CHECK(mask_is_take(global1(1, 1), 2, 2, 0,
                     "00"
                     "00"));
}

static void test_random_mask(void) {
  /* block 2, n = 4; blocks per query block Q (Python): 0:{3} 1:{3} 2:{2}
   * 3:{0}. */
  CHECK(mask_is_take(orc_random(1, 2, 7, false), 8, 8, 0,
                     "00000011"
                     "00000011"
                     "00000011"
                     "00000011"
                     "00001100"
                     "00001100"
                     "11000000"
                     "11000000"));
  /* per_head, n = 3, r = 2. Head 0: Q0 {0,1} Q1 {1,2} Q2 {1,0};
   * head 1: Q0 {0,2} Q1 {0,2} Q2 {1,0}. */
  const char *head0 = "111100"
                      "111100"
                      "001111"
                      "001111"
                      "111100"
                      "111100";
  const char *head1 = "110011"
                      "110011"
                      "110011"
                      "110011"
                      "111100"
                      "111100";
  orc_node *ph = orc_random(2, 2, 3, true);
  CHECK(mask_is(ph, 6, 6, 0, head0));
  CHECK(mask_is(ph, 6, 6, 1, head1));
  CHECK(mask_is(ph, 6, 6, 0, head0)); /* the cache follows the head */
  orc_node_destroy(ph);
  /* Without per_head, every head draws as head 0. */
  CHECK(mask_is_take(orc_random(2, 2, 3, false), 6, 6, 1, head0));
  /* Lq = 6 > Lk = 4: p = -2 .. 3, Q = -1, -1, 0, 0, 1, 1; n = 2;
   * Q -1: {1}, Q 0: {0}, Q 1: {1}. */
  CHECK(mask_is_take(orc_random(1, 2, 5, false), 6, 4, 0,
                     "0011"
                     "0011"
                     "1100"
                     "1100"
                     "0011"
                     "0011"));
  /* Lq = 3 < Lk = 10, block 4, n = 3 (last block partial): p = 7, 8, 9,
   * Q = 1, 2, 2; Q1 {2,0}, Q2 {1,0}. */
  CHECK(mask_is_take(orc_random(2, 4, 11, false), 3, 10, 0,
                     "1111000011"
                     "1111111100"
                     "1111111100"));
  /* r >= n: every block; r = 0: none. */
  CHECK(mask_is_take(orc_random(4, 2, 1, false), 2, 8, 0,
                     "11111111"
                     "11111111"));
  CHECK(mask_is_take(orc_random(0, 2, 1, false), 2, 8, 0,
                     "00000000"
                     "00000000"));
}

/* orc_eval on random terms against orc_random_blocks, in row-major and
 * column-major order (the latter defeats the one-entry cache at each step). */
static void test_random_mask_vs_blocks(void) {
  const struct {
    int64_t Lq, Lk, r, block;
    uint64_t seed;
  } cases[] = {
      {37, 37, 3, 4, 99}, {40, 23, 2, 4, 5}, {9, 61, 5, 8, 0xABCDEF},
      {16, 16, 1, 1, 42}, {5, 17, 16, 1, 3},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; ++c) {
    int64_t Lq = cases[c].Lq, Lk = cases[c].Lk, b = cases[c].block;
    int64_t n = (Lk + b - 1) / b;
    orc_node *m = orc_random(cases[c].r, b, cases[c].seed, true);
    CHECK(m != NULL);
    if (!m)
      continue;
    for (int64_t h = 0; h < 3; ++h) {
      bool ok = true;
      for (int64_t i = 0; i < Lq; ++i) {
        int64_t blocks[64];
        int64_t got = orc_random_blocks(cases[c].seed, fdiv(i + Lk - Lq, b), h,
                                        cases[c].r, n, blocks);
        for (int64_t j = 0; j < Lk; ++j) {
          bool want = spec_contains(blocks, got, j / b);
          if (orc_eval(m, i, j, Lq, Lk, h) != (want ? ORC_YES : ORC_NO))
            ok = false;
        }
      }
      for (int64_t j = 0; j < Lk; ++j)
        for (int64_t i = 0; i < Lq; ++i) {
          bool want = spec_random_has(cases[c].seed, fdiv(i + Lk - Lq, b), h,
                                      cases[c].r, n, j / b);
          if (orc_eval(m, i, j, Lq, Lk, h) != (want ? ORC_YES : ORC_NO))
            ok = false;
        }
      CHECK(ok);
    }
    orc_node_destroy(m);
  }
}

/* The one-entry cache must key on the query block, the head and the key
 * block count: change one of them at a time, cell by cell. */
static bool random_cell_ok(const orc_node *m, int64_t i, int64_t j, int64_t L,
                           int64_t h) {
  /* Lq = Lk = L, so p = i; seed 3, r = 2, block 2. */
  bool want = spec_random_has(3, i / 2, h, 2, L / 2, j / 2);
  return orc_eval(m, i, j, L, L, h) == (want ? ORC_YES : ORC_NO);
}

static void test_random_cache(void) {
  orc_node *m = orc_random(2, 2, 3, true);
  CHECK(m != NULL);
  if (!m)
    return;
  bool heads_ok = true, lens_ok = true;
  for (int64_t i = 0; i < 6; ++i)
    for (int64_t j = 0; j < 6; ++j) {
      for (int64_t h = 0; h < 3; ++h) /* same block and n, other head */
        heads_ok = heads_ok && random_cell_ok(m, i, j, 6, h);
      for (int64_t L = 6; L <= 8; L += 2) /* same block and head, n = 3, 4 */
        lens_ok = lens_ok && random_cell_ok(m, i, j, L, 1);
    }
  CHECK(heads_ok);
  CHECK(lens_ok);
  orc_node_destroy(m);
}

/* ---- combinators ---------------------------------------------------------------------- */

static void test_union(void) {
  /* Longformer in small: window(1) | global(0). */
  CHECK(mask_is_take(orc_union(orc_window(1, 1), global1(0, 1)), 6, 6, 0,
                     "111111"
                     "111000"
                     "111100"
                     "101110"
                     "100111"
                     "100011"));
  CHECK(mask_is_take(orc_union(empty(), orc_causal()), 2, 2, 0,
                     "10"
                     "11"));
}

static void test_intersect(void) {
  CHECK(mask_is_take(orc_intersect(orc_causal(), orc_stride(3)), 7, 7, 0,
                     "1000000"
                     "0100000"
                     "0010000"
                     "1001000"
                     "0100100"
                     "0010010"
                     "1001001"));
  CHECK(mask_is_take(orc_intersect(orc_causal(), orc_full()), 2, 2, 0,
                     "10"
                     "11"));
}

static void test_difference(void) {
  /* causal minus the own block of 2: strictly earlier blocks. */
  CHECK(mask_is_take(orc_difference(orc_causal(), orc_local(0, 2)), 6, 6, 0,
                     "000000"
                     "000000"
                     "110000"
                     "110000"
                     "111100"
                     "111100"));
  CHECK(mask_is_take(orc_difference(orc_full(), orc_causal()), 3, 3, 0,
                     "011"
                     "001"
                     "000"));
}

static void test_nesting(void) {
  /* Sparse Transformer strided(3) = causal & (window(left=3, right=0) |
   * stride(3)). */
  CHECK(mask_is_take(orc_intersect(orc_causal(),
                                   orc_union(orc_window(3, 0), orc_stride(3))),
                     8, 8, 0,
                     "10000000"
                     "11000000"
                     "11100000"
                     "11110000"
                     "01111000"
                     "00111100"
                     "10011110"
                     "01001111"));
  /* Sparse Transformer fixed(4, 1) = causal & (local(0, block=4) |
   * summary(4, 1)). */
  CHECK(mask_is_take(
      orc_intersect(orc_causal(), orc_union(orc_local(0, 4), orc_summary(4, 1))),
      8, 8, 0,
      "10000000"
      "11000000"
      "11100000"
      "11110000"
      "00011000"
      "00011100"
      "00011110"
      "00011111"));
  /* (window(1) | global(0)) - (causal & stride(2)). */
  CHECK(mask_is_take(
      orc_difference(orc_union(orc_window(1, 1), global1(0, 1)),
                     orc_intersect(orc_causal(), orc_stride(2))),
      5, 5, 0,
      "01111"
      "10100"
      "01010"
      "10101"
      "00010"));
}

static orc_truth eval_take(orc_node *n) {
  orc_truth t = n ? orc_eval(n, 0, 0, 1, 1, 0) : (orc_truth)-1;
  orc_node_destroy(n);
  return t;
}

static void test_kleene(void) {
  CHECK(eval_take(orc_unknown()) == ORC_MAYBE);
  CHECK(eval_take(orc_union(orc_unknown(), orc_full())) == ORC_YES);
  CHECK(eval_take(orc_union(orc_full(), orc_unknown())) == ORC_YES);
  CHECK(eval_take(orc_union(orc_unknown(), empty())) == ORC_MAYBE);
  CHECK(eval_take(orc_union(orc_unknown(), orc_unknown())) == ORC_MAYBE);
  CHECK(eval_take(orc_intersect(orc_unknown(), empty())) == ORC_NO);
  CHECK(eval_take(orc_intersect(empty(), orc_unknown())) == ORC_NO);
  CHECK(eval_take(orc_intersect(orc_unknown(), orc_full())) == ORC_MAYBE);
  CHECK(eval_take(orc_difference(orc_full(), orc_unknown())) == ORC_MAYBE);
  CHECK(eval_take(orc_difference(empty(), orc_unknown())) == ORC_NO);
  CHECK(eval_take(orc_difference(orc_unknown(), orc_full())) == ORC_NO);
  CHECK(eval_take(orc_difference(orc_unknown(), empty())) == ORC_MAYBE);
  CHECK(eval_take(orc_difference(orc_full(),
                                 orc_union(orc_unknown(), orc_full()))) ==
        ORC_NO);
  /* MoBA's shape: causal & (local(0) | unknown): the own block is known,
   * earlier blocks are undecided, later keys are not allowed. */
  CHECK(mask_is_take(orc_intersect(orc_causal(),
                                   orc_union(orc_local(0, 2), orc_unknown())),
                     4, 4, 0,
                     "1000"
                     "1100"
                     "??10"
                     "??11"));
}

static void test_row_count_empty(void) {
  int64_t yes = -1, maybe = -1;
  orc_node *w = orc_window(1, 1);
  orc_row_count(w, 0, 8, 8, 0, &yes, &maybe);
  CHECK(yes == 2 && maybe == 0);
  orc_row_count(w, 4, 8, 8, 0, &yes, NULL);
  CHECK(yes == 3);
  CHECK(!orc_row_empty(w, 4, 8, 8, 0));
  orc_node_destroy(w);

  orc_node *cu = orc_intersect(orc_causal(), orc_unknown());
  orc_row_count(cu, 3, 5, 5, 0, &yes, &maybe);
  CHECK(yes == 0 && maybe == 4);
  CHECK(!orc_row_empty(cu, 3, 5, 5, 0)); /* maybe is not no */
  CHECK(orc_row_empty(cu, 0, 5, 3, 0));  /* p = -2: causal says no */
  orc_node_destroy(cu);

  orc_node *cug =
      orc_union(orc_intersect(orc_causal(), orc_unknown()), global1(0, 1));
  orc_row_count(cug, 3, 5, 5, 0, &yes, &maybe);
  CHECK(yes == 1 && maybe == 3);
  orc_row_count(cug, 0, 5, 5, 0, &yes, &maybe);
  CHECK(yes == 5 && maybe == 0);
  orc_node_destroy(cug);

  orc_node *c = orc_causal();
  CHECK(orc_row_empty(c, 0, 5, 3, 0));
  CHECK(orc_row_empty(c, 1, 5, 3, 0));
  CHECK(!orc_row_empty(c, 2, 5, 3, 0));
  orc_row_count(c, 4, 5, 3, 0, &yes, &maybe);
  CHECK(yes == 3 && maybe == 0);
  orc_node_destroy(c);

  orc_node *e = empty();
  CHECK(orc_row_empty(e, 0, 4, 4, 0));
  orc_node_destroy(e);
}

/* ---- attention -------------------------------------------------------------------------- */

static uint64_t g_rng;

/* Fresh inputs per run: a base seed from time and clock (or from
 * ORACLE_TEST_SEED, to replay a failure), printed with each case; case c
 * draws from splitmix64(base + c), never from 0. */
static void rng_seed(void) {
  static uint64_t base, counter;
  if (counter == 0) {
    const char *env = getenv("ORACLE_TEST_SEED");
    base = env ? strtoull(env, NULL, 0)
               : (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
  }
  g_rng = spec_splitmix64(base + counter);
  if (g_rng == 0)
    g_rng = 0x5EED;
  printf("  ORACLE_TEST_SEED=0x%016" PRIx64 ", case %" PRIu64 "\n", base,
         counter);
  ++counter;
}

/* Uniform in [-2, 2). */
static float rng_float(void) {
  g_rng = spec_splitmix64(g_rng);
  return (float)((double)(g_rng >> 11) * 0x1.0p-53 * 4.0 - 2.0);
}

static float *rand_tensor(int64_t n) {
  float *t = malloc((size_t)n * sizeof *t);
  if (t)
    for (int64_t x = 0; x < n; ++x)
      t[x] = rng_float();
  return t;
}

static void poison(double *x, int64_t n) {
  for (int64_t t = 0; t < n; ++t)
    x[t] = NAN;
}

static bool all_written(const double *x, int64_t n) {
  for (int64_t t = 0; t < n; ++t)
    if (isnan(x[t]))
      return false;
  return true;
}

/* The allowed set of the reference, per (head, p, j), written from the spec
 * definitions rather than through orc_eval. */
typedef bool (*ref_pred)(int64_t h, int64_t p, int64_t j, int64_t Lk);

/* Naive float64 attention without max subtraction (inputs are small):
 * out = sum_j e^{s_j} v_j / sum_j e^{s_j}, lse = log sum_j e^{s_j}. */
static void ref_attention(const orc_dims *d, const float *q, const float *k,
                          const float *v, double scale, ref_pred allowed,
                          double *out, double *lse) {
  int64_t D = d->dim, Lq = d->seq_q, Lk = d->seq_k;
  for (int64_t b = 0; b < d->batch; ++b)
    for (int64_t h = 0; h < d->heads_q; ++h) {
      int64_t hk = h / (d->heads_q / d->heads_kv);
      for (int64_t i = 0; i < Lq; ++i) {
        const float *qi = q + ((b * d->heads_q + h) * Lq + i) * D;
        double *oi = out + ((b * d->heads_q + h) * Lq + i) * D;
        double sum = 0.0;
        for (int64_t x = 0; x < D; ++x)
          oi[x] = 0.0;
        for (int64_t j = 0; j < Lk; ++j) {
          if (!allowed(h, i + Lk - Lq, j, Lk))
            continue;
          const float *kj = k + ((b * d->heads_kv + hk) * Lk + j) * D;
          const float *vj = v + ((b * d->heads_kv + hk) * Lk + j) * D;
          double s = 0.0;
          for (int64_t x = 0; x < D; ++x)
            s += (double)qi[x] * kj[x];
          double e = exp(scale * s);
          sum += e;
          for (int64_t x = 0; x < D; ++x)
            oi[x] += e * vj[x];
        }
        if (sum > 0.0)
          for (int64_t x = 0; x < D; ++x)
            oi[x] /= sum;
        lse[(b * d->heads_q + h) * Lq + i] = sum > 0.0 ? log(sum) : -INFINITY;
      }
    }
}

static bool close_to(double got, double want) {
  if (isinf(want))
    return got == want;
  return fabs(got - want) <= 1e-12 * (1.0 + fabs(want));
}

/* Runs orc_attention on fresh random inputs and compares with the naive
 * reference for `allowed`; also checks every output is written. */
static void attention_case(const orc_dims *d, double scale,
                           const orc_node *const *masks,
                           const int64_t *group_starts, size_t ngroups,
                           ref_pred allowed) {
  int64_t nq = d->batch * d->heads_q * d->seq_q * d->dim;
  int64_t nkv = d->batch * d->heads_kv * d->seq_k * d->dim;
  int64_t nrow = d->batch * d->heads_q * d->seq_q;
  rng_seed();
  float *q = rand_tensor(nq), *k = rand_tensor(nkv), *v = rand_tensor(nkv);
  double *out = malloc((size_t)nq * sizeof *out);
  double *lse = malloc((size_t)nrow * sizeof *lse);
  double *rout = malloc((size_t)nq * sizeof *rout);
  double *rlse = malloc((size_t)nrow * sizeof *rlse);
  CHECK(q && k && v && out && lse && rout && rlse);
  if (q && k && v && out && lse && rout && rlse) {
    ref_attention(d, q, k, v, scale, allowed, rout, rlse);
    poison(out, nq);
    poison(lse, nrow);
    CHECK(orc_attention(d, q, k, v, scale, masks, group_starts, ngroups, out,
                        lse) == 0);
    CHECK(all_written(out, nq));
    CHECK(all_written(lse, nrow));
    bool ok = true;
    for (int64_t t = 0; t < nq; ++t)
      ok = ok && close_to(out[t], rout[t]);
    for (int64_t t = 0; t < nrow; ++t)
      ok = ok && close_to(lse[t], rlse[t]);
    CHECK(ok);
    /* lse = NULL is allowed and does not change out. */
    poison(out, nq);
    CHECK(orc_attention(d, q, k, v, scale, masks, group_starts, ngroups, out,
                        NULL) == 0);
    CHECK(all_written(out, nq));
    ok = true;
    for (int64_t t = 0; t < nq; ++t)
      ok = ok && close_to(out[t], rout[t]);
    CHECK(ok);
  }
  free(q);
  free(k);
  free(v);
  free(out);
  free(lse);
  free(rout);
  free(rlse);
}

static bool ref_causal(int64_t h, int64_t p, int64_t j, int64_t Lk) {
  (void)h, (void)Lk;
  return j <= p;
}

/* Heads 0, 1: window(1). Heads 2, 3: local(0, block=2) |
 * random(1, block=2, seed=3, per_head=true). */
static bool ref_groups(int64_t h, int64_t p, int64_t j, int64_t Lk) {
  if (h < 2)
    return j - p >= -1 && j - p <= 1;
  return fdiv(p, 2) == j / 2 ||
         spec_random_has(3, fdiv(p, 2), h, 1, (Lk + 1) / 2, j / 2);
}

static void test_attention_causal(void) {
  orc_dims d = {.batch = 2, .heads_q = 4, .heads_kv = 2, .seq_q = 5,
                .seq_k = 7, .dim = 3};
  orc_node *c = orc_causal();
  const orc_node *masks[1] = {c};
  attention_case(&d, 1.0 / sqrt(3.0), masks, NULL, 1, ref_causal);
  /* Square, MQA (one kv head), another scale. */
  orc_dims sq = {.batch = 1, .heads_q = 3, .heads_kv = 1, .seq_q = 6,
                 .seq_k = 6, .dim = 5};
  attention_case(&sq, 0.37, masks, NULL, 1, ref_causal);
  orc_node_destroy(c);
}

static void test_attention_groups(void) {
  orc_dims d = {.batch = 2, .heads_q = 4, .heads_kv = 2, .seq_q = 5,
                .seq_k = 7, .dim = 3};
  orc_node *g0 = orc_window(1, 1);
  orc_node *g1 = orc_union(orc_local(0, 2), orc_random(1, 2, 3, true));
  const orc_node *masks[2] = {g0, g1};
  const int64_t starts[2] = {0, 2};
  attention_case(&d, 0.5, masks, starts, 2, ref_groups);
  orc_node_destroy(g0);
  orc_node_destroy(g1);
}

static void test_attention_empty_rows(void) {
  /* Lq = 4 > Lk = 2 with causal: rows 0, 1 (p = -2, -1) see no key. */
  orc_dims d = {.batch = 2, .heads_q = 2, .heads_kv = 1, .seq_q = 4,
                .seq_k = 2, .dim = 4};
  orc_node *c = orc_causal();
  const orc_node *masks[1] = {c};
  attention_case(&d, 0.5, masks, NULL, 1, ref_causal);

  float q[2 * 2 * 4 * 4], k[2 * 1 * 2 * 4], v[2 * 1 * 2 * 4];
  for (size_t t = 0; t < sizeof q / sizeof *q; ++t)
    q[t] = rng_float();
  for (size_t t = 0; t < sizeof k / sizeof *k; ++t) {
    k[t] = rng_float();
    v[t] = rng_float() + 3.0f; /* mean of V is far from 0 */
  }
  double out[2 * 2 * 4 * 4], lse[2 * 2 * 4];
  poison(out, 64);
  poison(lse, 16);
  CHECK(orc_attention(&d, q, k, v, 0.5, masks, NULL, 1, out, lse) == 0);
  CHECK(all_written(out, 64) && all_written(lse, 16));
  for (int64_t r = 0; r < 16; ++r) {
    bool empty_row = r % 4 < 2;
    if (empty_row) {
      CHECK(isinf(lse[r]) && lse[r] < 0);
      for (int64_t x = 0; x < 4; ++x)
        CHECK(out[r * 4 + x] == 0.0);
    } else {
      CHECK(isfinite(lse[r]));
      for (int64_t x = 0; x < 4; ++x)
        CHECK(out[r * 4 + x] > 0.0); /* a convex mix of V > 0 */
    }
  }
  orc_node_destroy(c);

  /* An empty pattern, and one whose unknown part resolves to no. */
  orc_node *e = empty();
  orc_node *ue = orc_intersect(orc_unknown(), empty());
  const orc_node *both[2] = {e, ue};
  const int64_t starts[2] = {0, 1};
  poison(out, 64);
  poison(lse, 16);
  CHECK(orc_attention(&d, q, k, v, 0.5, both, starts, 2, out, lse) == 0);
  bool zero = true;
  for (int64_t t = 0; t < 64; ++t)
    zero = zero && out[t] == 0.0;
  CHECK(zero);
  bool ninf = true;
  for (int64_t t = 0; t < 16; ++t)
    ninf = ninf && isinf(lse[t]) && lse[t] < 0;
  CHECK(ninf);
  orc_node_destroy(e);
  orc_node_destroy(ue);
}

/* Scores far beyond exp's range: the row maximum must be subtracted. */
static void test_attention_large_scores(void) {
  orc_dims d = {.batch = 1, .heads_q = 1, .heads_kv = 1, .seq_q = 1,
                .seq_k = 3, .dim = 1};
  orc_node *f = orc_full();
  const orc_node *masks[1] = {f};
  const float q[1] = {1.0f};
  const float v[3] = {2.0f, 3.0f, 5.0f};
  double out[1] = {NAN}, lse[1] = {NAN};
  /* Scores -1000, 1000, 0: the weights are e^-2000, 1, e^-1000. */
  const float k1[3] = {-1000.0f, 1000.0f, 0.0f};
  CHECK(orc_attention(&d, q, k1, v, 1.0, masks, NULL, 1, out, lse) == 0);
  CHECK(out[0] == 3.0);
  CHECK(lse[0] == 1000.0);
  /* Scores -1000, -1001, -1002: every exp underflows without the shift. */
  const float k2[3] = {-1000.0f, -1001.0f, -1002.0f};
  out[0] = lse[0] = NAN;
  CHECK(orc_attention(&d, q, k2, v, 1.0, masks, NULL, 1, out, lse) == 0);
  double w1 = exp(-1.0), w2 = exp(-2.0), sum = 1.0 + w1 + w2;
  CHECK(close_to(out[0], (2.0 + 3.0 * w1 + 5.0 * w2) / sum));
  CHECK(close_to(lse[0], -1000.0 + log(sum)));
  orc_node_destroy(f);
}

static int64_t *dims_field(orc_dims *d, int f) {
  switch (f) {
  case 0: return &d->batch;
  case 1: return &d->heads_q;
  case 2: return &d->heads_kv;
  case 3: return &d->seq_q;
  case 4: return &d->seq_k;
  default: return &d->dim;
  }
}

static void test_attention_invalid(void) {
  const orc_dims d = {.batch = 1, .heads_q = 4, .heads_kv = 2, .seq_q = 3,
                      .seq_k = 3, .dim = 2};
  float q[4 * 3 * 2] = {0.5f}, k[2 * 3 * 2] = {0.25f}, v[2 * 3 * 2] = {1.0f};
  double out[4 * 3 * 2], lse[4 * 3];
  orc_node *c = orc_causal();
  orc_node *u = orc_intersect(orc_causal(), orc_unknown());
  const orc_node *masks[4] = {c, c, c, c};
  const orc_node *nullmask[1] = {NULL};
  const orc_node *maybe[1] = {u};
  const orc_node *late_maybe[2] = {c, u};
  double s = 0.5;

  /* The valid call first, so that the failures below are the arguments. */
  CHECK(orc_attention(&d, q, k, v, s, masks, NULL, 1, out, lse) == 0);
  CHECK(orc_attention(NULL, q, k, v, s, masks, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, NULL, k, v, s, masks, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, NULL, v, s, masks, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, NULL, s, masks, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, NULL, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, masks, NULL, 1, NULL, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, nullmask, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, NAN, masks, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, INFINITY, masks, NULL, 1, out, lse) == -1);

  /* Sizes. */
  orc_dims bad = d;
  bad.heads_q = 3; /* not a multiple of heads_kv = 2 */
  CHECK(orc_attention(&bad, q, k, v, s, masks, NULL, 1, out, lse) == -1);
  for (int f = 0; f < 6; ++f)
    for (int64_t val = -1; val <= 0; ++val) {
      bad = d;
      *dims_field(&bad, f) = val;
      CHECK(orc_attention(&bad, q, k, v, s, masks, NULL, 1, out, lse) == -1);
    }
  bad = d;
  bad.batch = INT64_MAX / 2; /* element count overflows */
  CHECK(orc_attention(&bad, q, k, v, s, masks, NULL, 1, out, lse) == -1);

  /* Groups. */
  const int64_t ok2[2] = {0, 2}, from1[2] = {1, 2}, same[2] = {0, 0},
                past[2] = {0, 4}, down[3] = {0, 3, 2};
  CHECK(orc_attention(&d, q, k, v, s, masks, ok2, 2, out, lse) == 0);
  CHECK(orc_attention(&d, q, k, v, s, masks, NULL, 0, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, masks, NULL, 2, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, masks, from1, 2, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, masks, same, 2, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, masks, past, 2, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, masks, down, 3, out, lse) == -1);
  const int64_t five[5] = {0, 1, 2, 3, 4};
  const orc_node *masks5[5] = {c, c, c, c, c};
  CHECK(orc_attention(&d, q, k, v, s, masks5, five, 5, out, lse) == -1);

  /* A mask that is undecided somewhere, also only in a later group. */
  CHECK(orc_attention(&d, q, k, v, s, maybe, NULL, 1, out, lse) == -1);
  CHECK(orc_attention(&d, q, k, v, s, late_maybe, ok2, 2, out, lse) == -1);
  orc_node_destroy(c);
  orc_node_destroy(u);
}

int main(void) {
  TEST(test_splitmix64);
  TEST(test_random_blocks_literals);
  TEST(test_random_blocks_match_spec);
  TEST(test_random_blocks_all);
  TEST(test_random_blocks_fallback);
  TEST(test_builders_reject);
  TEST(test_full);
  TEST(test_causal);
  TEST(test_window_symmetric);
  TEST(test_window_asymmetric);
  TEST(test_local);
  TEST(test_local_negative_positions);
  TEST(test_dilated);
  TEST(test_stride);
  TEST(test_summary);
  TEST(test_global);
  TEST(test_random_mask);
  TEST(test_random_mask_vs_blocks);
  TEST(test_random_cache);
  TEST(test_union);
  TEST(test_intersect);
  TEST(test_difference);
  TEST(test_nesting);
  TEST(test_kleene);
  TEST(test_row_count_empty);
  TEST(test_attention_causal);
  TEST(test_attention_groups);
  TEST(test_attention_empty_rows);
  TEST(test_attention_large_scores);
  TEST(test_attention_invalid);
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed != 0;
}
