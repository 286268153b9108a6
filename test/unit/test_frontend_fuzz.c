/* The front end never crashes, hangs or overflows its stack: every example
 * truncated at every byte offset, random byte mutations of each, and a set
 * of hostile inputs must each give a located error (file:line:col) or IR
 * that verifies.
 *
 *   test_frontend_fuzz EXAMPLES_DIR [MUTATIONS_PER_FILE]
 * SATTN_FUZZ_SEED=N replays a run (the seed is printed). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "lang.h"

typedef struct verdict {
  unsigned errors, unlocated;
  char first[256];
} verdict;

static void record(void *user, const sattn_diag *d) {
  verdict *v = user;
  if (d->severity != SATTN_ERROR)
    return;
  if (v->errors++ == 0)
    snprintf(v->first, sizeof v->first, "%s", d->message);
  if (!d->file || !d->file[0] || d->loc.line == 0)
    v->unlocated++;
}

static unsigned long cases, located_errors, valid, failures;
static double slowest;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Compiles one input; fails the test if it errs without a location, or
 * succeeds without a verified module, or takes more than 2 s. */
static void check_input(MlirContext ctx, const char *what, const char *text,
                        size_t len) {
  verdict v = {0, 0, ""};
  diag_sink sink = {record, &v, 0, 0};
  lang_unit u;
  double t0 = now();
  bool ok = lang_compile(&u, ctx, "fuzz.sattn", text, len, NULL, &sink);
  double dt = now() - t0;
  bool verified = ok && !mlirModuleIsNull(u.module) && lang_verify(ctx, u.module);
  lang_unit_destroy(&u);
  cases++;
  if (dt > slowest)
    slowest = dt;
  const char *bad = NULL;
  if (ok && !verified)
    bad = "compiled, but the module does not verify";
  else if (!ok && v.errors == 0)
    bad = "failed without an error";
  else if (!ok && v.unlocated)
    bad = "gave an error without file:line:col";
  else if (dt > 2.0)
    bad = "took more than 2 seconds";
  if (bad) {
    failures++;
    if (failures <= 20)
      fprintf(stderr, "FAIL %s: %s (first error: %s)\n", what, bad, v.first);
  } else if (ok) {
    valid++;
  } else {
    located_errors++;
  }
}

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = malloc(1 << 20);
  *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
  fclose(f);
  return buf;
}

static uint64_t rng_state;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Bytes that stress the lexer and parser. */
static const char *const splices[] = {
    "(", ")", "|", "&", "-", "=", ",", "{", "}", "[", "]", ":", ";", "\0",
    "\xff", "\xc3\x28", "\x1b[2J", "99999999999999999999999", "0x", "-0",
    "18446744073709551615", "9223372036854775808", "1e999", ".5", "#", "//",
    "pattern ", "kernel ", "window(", "topk(", "among=", "per_head=", "\n"};

static size_t mutate(const char *src, size_t len, char *out, size_t cap) {
  size_t n = len < cap ? len : cap;
  memcpy(out, src, n);
  int edits = 1 + (int)(rnd() % 6);
  for (int e = 0; e < edits; e++) {
    size_t pos = n ? rnd() % n : 0;
    switch (rnd() % 5) {
    case 0: /* random byte */
      if (n)
        out[pos] = (char)(rnd() & 0xff);
      break;
    case 1: /* delete a span */
      if (n) {
        size_t k = 1 + rnd() % 8;
        if (k > n - pos)
          k = n - pos;
        memmove(out + pos, out + pos + k, n - pos - k);
        n -= k;
      }
      break;
    case 2: { /* insert a hostile token */
      const char *s = splices[rnd() % (sizeof splices / sizeof *splices)];
      size_t k = s[0] ? strlen(s) : 1;
      if (n + k < cap) {
        memmove(out + pos + k, out + pos, n - pos);
        memcpy(out + pos, s, k);
        n += k;
      }
      break;
    }
    case 3: { /* duplicate a span */
      size_t k = 1 + rnd() % 32;
      if (pos + k <= n && n + k < cap) {
        memmove(out + pos + k, out + pos, n - pos);
        n += k;
      }
      break;
    }
    default: /* swap two bytes */
      if (n) {
        size_t q = rnd() % n;
        char t = out[pos];
        out[pos] = out[q];
        out[q] = t;
      }
    }
  }
  return n;
}

/* Inputs built to exhaust stack, memory or time if a limit were missing. */
static void hostile_inputs(MlirContext ctx) {
  size_t cap = 4 << 20;
  char *buf = malloc(cap);
  if (!buf)
    return;
  size_t n;
  /* 100000 open parentheses. */
  n = (size_t)snprintf(buf, cap, "pattern p = ");
  memset(buf + n, '(', 100000);
  check_input(ctx, "deep parentheses", buf, n + 100000);
  /* A 20000-term flat union (over the term budget). */
  n = (size_t)snprintf(buf, cap, "pattern p = causal");
  for (int i = 0; i < 20000; i++)
    n += (size_t)snprintf(buf + n, cap - n, " | window(%d)", i);
  check_input(ctx, "long union", buf, n);
  /* Exponential blow-up through references: p1 = p0 | p0, ... */
  n = (size_t)snprintf(buf, cap, "pattern p0 = causal\n");
  for (int i = 1; i < 64; i++)
    n += (size_t)snprintf(buf + n, cap - n, "pattern p%d = p%d | p%d\n", i, i - 1, i - 1);
  check_input(ctx, "exponential references", buf, n);
  /* A chain of 500 references (deeper than the reference limit). */
  n = (size_t)snprintf(buf, cap, "pattern q0 = causal\n");
  for (int i = 1; i < 500; i++)
    n += (size_t)snprintf(buf + n, cap - n, "pattern q%d = q%d & full\n", i, i - 1);
  check_input(ctx, "reference chain", buf, n);
  /* Mutual recursion through parameters. */
  const char *rec = "pattern a(x) = b(x)\npattern b(y) = a(y) | causal\n"
                    "kernel k { pattern = a(3) head_dim = 64 }\n";
  check_input(ctx, "mutual recursion", rec, strlen(rec));
  /* 1 MiB identifier soup and 1 MiB of NUL bytes. */
  memset(buf, 'a', 1 << 20);
  check_input(ctx, "long identifier", buf, 1 << 20);
  memset(buf, 0, 1 << 20);
  check_input(ctx, "NUL bytes", buf, 1 << 20);
  /* Huge global list and a kernel with very many head groups. */
  n = (size_t)snprintf(buf, cap, "pattern g = global(");
  for (int i = 0; i < 10000; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%s%d", i ? ", " : "", i * 3);
  n += (size_t)snprintf(buf + n, cap - n, ")\n");
  check_input(ctx, "huge global", buf, n);
  n = (size_t)snprintf(buf, cap, "kernel k { head_dim = 64\n");
  for (int i = 0; i < 200; i++)
    n += (size_t)snprintf(buf + n, cap - n, "pattern[%d:%d] = causal\n", i, i + 1);
  n += (size_t)snprintf(buf + n, cap - n, "}\n");
  check_input(ctx, "many head groups", buf, n);
  free(buf);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s EXAMPLES_DIR [MUTATIONS_PER_FILE]\n", argv[0]);
    return 2;
  }
  int mutations = argc > 2 ? atoi(argv[2]) : 300;
  const char *seed_env = getenv("SATTN_FUZZ_SEED");
  uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : (uint64_t)time(NULL);
  rng_state = seed ? seed : 1;
  printf("seed %llu (replay with SATTN_FUZZ_SEED=%llu)\n",
         (unsigned long long)seed, (unsigned long long)seed);
  MlirContext ctx = sattn_context_create();
  if (mlirContextIsNull(ctx))
    return 1;
  DIR *dir = opendir(argv[1]);
  if (!dir) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  int files = 0;
  struct dirent *de;
  char *mut = malloc(1 << 16);
  while ((de = readdir(dir))) {
    size_t nl = strlen(de->d_name);
    if (nl < 7 || strcmp(de->d_name + nl - 6, ".sattn") != 0)
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
    size_t len;
    char *text = read_all(path, &len);
    if (!text) {
      fprintf(stderr, "FAIL cannot read %s\n", path);
      failures++;
      continue;
    }
    files++;
    unsigned long before = valid;
    check_input(ctx, de->d_name, text, len);
    if (valid == before) {
      fprintf(stderr, "FAIL %s itself does not compile\n", de->d_name);
      failures++;
    }
    for (size_t cut = 0; cut < len; cut++) {
      char what[600];
      snprintf(what, sizeof what, "%s truncated at %zu", de->d_name, cut);
      check_input(ctx, what, text, cut);
    }
    for (int m = 0; m < mutations && mut; m++) {
      size_t n = mutate(text, len, mut, 1 << 16);
      char what[600];
      snprintf(what, sizeof what, "%s mutation %d", de->d_name, m);
      check_input(ctx, what, mut, n);
    }
    free(text);
  }
  closedir(dir);
  free(mut);
  hostile_inputs(ctx);
  mlirContextDestroy(ctx);
  printf("%d example files, %lu inputs: %lu valid, %lu located errors, "
         "slowest %.3f s\n", files, cases, valid, located_errors, slowest);
  if (files == 0) {
    fprintf(stderr, "FAIL no examples found in %s\n", argv[1]);
    failures++;
  }
  printf("%lu passed, %lu failed\n", cases - failures, failures);
  return failures ? 1 : 0;
}
