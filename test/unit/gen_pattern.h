/* Random static pattern expressions for the property tests (predicates,
 * schedules): every static term with random parameters, nested |, &, -.
 * `big` scales the sizes up (windows, strides, blocks larger than a tile)
 * so that schedules meet every case of their closed forms. The generator is
 * the caller's xorshift (gen_rnd). */
#ifndef SATTN_TEST_GEN_PATTERN_H
#define SATTN_TEST_GEN_PATTERN_H

#include <stdint.h>
#include <stdio.h>

static uint64_t gen_state = 1;
static uint64_t gen_rnd(void) {
  gen_state ^= gen_state >> 12;
  gen_state ^= gen_state << 25;
  gen_state ^= gen_state >> 27;
  return gen_state * 0x2545F4914F6CDD1DULL;
}
static int gen_pick(int n) { return (int)(gen_rnd() % (uint64_t)n); }

/* Writes a random static term; returns its length. */
static int gen_term(char *s, size_t cap, int big) {
  int m = big ? 8 : 1; /* size multiplier */
  int a = gen_pick(24 * m), b = gen_pick(24 * m);
  switch (gen_pick(11)) {
  case 0: return snprintf(s, cap, "full");
  case 1: return snprintf(s, cap, "causal");
  case 2: return snprintf(s, cap, "window(%d)", gen_pick(12 * m));
  case 3: return snprintf(s, cap, "window(left=%d, right=%d)", gen_pick(20 * m), gen_pick(6 * m));
  case 4: return snprintf(s, cap, "local(%d, block=%d)", gen_pick(3), 1 << gen_pick(big ? 7 : 5));
  case 5: return snprintf(s, cap, "dilated(%d, %d)", gen_pick(6), 1 + gen_pick(4 * m));
  case 6: return snprintf(s, cap, "stride(%d)", 1 + gen_pick(7 * m));
  case 7: {
    int st = 1 + gen_pick(8 * m);
    return snprintf(s, cap, "summary(%d, %d)", st, 1 + gen_pick(st));
  }
  case 8: return snprintf(s, cap, "global(%d, %d)", a, b + 20 * m);
  case 9:
    /* random has its own test in the predicate test */
    if (big)
      return snprintf(s, cap, "random(%d, block=%d, seed=%d)", 1 + gen_pick(3),
                      1 << gen_pick(6), gen_pick(1000));
    return snprintf(s, cap, "global(first=%d)", 1 + gen_pick(5 * m));
  default: return snprintf(s, cap, "global(first=%d)", 1 + gen_pick(5 * m));
  }
}

static int gen_expr(char *s, size_t cap, int depth, int big) {
  if (depth >= 3 || gen_pick(3) == 0)
    return gen_term(s, cap, big);
  static const char ops[] = "|&-";
  int n = snprintf(s, cap, "(");
  n += gen_expr(s + n, cap - (size_t)n, depth + 1, big);
  n += snprintf(s + n, cap - (size_t)n, " %c ", ops[gen_pick(3)]);
  n += gen_expr(s + n, cap - (size_t)n, depth + 1, big);
  n += snprintf(s + n, cap - (size_t)n, ")");
  return n;
}

#endif
