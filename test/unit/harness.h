/* A minimal C test harness shared by the unit tests.
 *
 * TEST(fn) runs a test function and prints "Running test 'fn'" (for
 * FileCheck's CHECK-LABEL); CHECK(expr) prints file:line and the expression
 * when it fails; HARNESS_REPORT() prints "N passed, M failed" (counting test
 * functions) and yields the exit status. */
#ifndef SATTN_TEST_HARNESS_H
#define SATTN_TEST_HARNESS_H

#include <stdio.h>

static int g_test_failed; /* a CHECK of the current test failed */
static int g_passed, g_failed;

#define CHECK(expr)                                                           \
  do {                                                                        \
    if (!(expr)) {                                                            \
      printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr);         \
      g_test_failed = 1;                                                      \
    }                                                                         \
  } while (0)

static inline void run_test(const char *name, void (*fn)(void)) {
  printf("Running test '%s'\n", name);
  fflush(stdout);
  g_test_failed = 0;
  fn();
  if (g_test_failed)
    ++g_failed;
  else
    ++g_passed;
  fflush(stdout);
}

#define TEST(fn) run_test(#fn, fn)

#define HARNESS_REPORT()                                                      \
  (printf("%d passed, %d failed\n", g_passed, g_failed), g_failed ? 1 : 0)

#endif
