/* A minimal C test harness shared by the unit tests.
 *
 * TEST(fn) runs a test function and prints "Running test 'fn'" (for
 * FileCheck's CHECK-LABEL); CHECK(expr) prints file:line and the expression
 * when it fails; HARNESS_REPORT() prints "N passed, M failed" (counting test
 * functions) and yields the exit status; no test run at all is a failure. */
#ifndef SATTN_TEST_HARNESS_H
#define SATTN_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_test_failed; /* a CHECK of the current test failed */
static int g_passed, g_failed;

#define CHECK(expr)                                                           \
  do {                                                                        \
    if (!(expr)) {                                                            \
      printf("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr);         \
      g_test_failed = 1;                                                      \
    }                                                                         \
  } while (0)

/* SATTN_TEST_FILTER=a,b runs only the tests whose names contain a or b
 * (a second run of some tests under another environment, see
 * test/CMakeLists.txt). */
static inline int test_selected(const char *name) {
  const char *f = getenv("SATTN_TEST_FILTER");
  if (!f || !*f)
    return 1;
  char part[128];
  while (*f) {
    size_t n = strcspn(f, ",");
    if (n > 0 && n < sizeof part) {
      memcpy(part, f, n);
      part[n] = 0;
      if (strstr(name, part))
        return 1;
    }
    f += n + (f[n] == ',');
  }
  return 0;
}

static inline void run_test(const char *name, void (*fn)(void)) {
  if (!test_selected(name))
    return;
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
  (printf("%d passed, %d failed\n", g_passed, g_failed), g_failed || !g_passed ? 1 : 0)

#endif
