/* --verify-diagnostics for sattn-opt and sattnc, in the conventions of
 * mlir-opt: a comment `expected-error {{text}}` (or -warning, -note,
 * -remark), optionally `@+N`, `@-N`, `@above` or `@below`, expects a
 * diagnostic of that severity on that line whose message contains `text`.
 * Comments may start with `//` or `#`. Every error and warning must be
 * expected; notes and remarks must be expected only where a comment names
 * them. An expectation that no diagnostic met is an error too. */
#ifndef SATTN_EXPECT_H
#define SATTN_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "tool_io.h"

typedef struct expectation {
  sattn_severity severity;
  unsigned line;     /* the line the diagnostic must be on */
  unsigned at_line;  /* where the comment is */
  unsigned at_col;
  char *text;
  bool matched;
} expectation;

typedef struct expect_state {
  const char *file;
  expectation *items;
  size_t n, cap;
  unsigned failures;
  diag_printer printer; /* for reporting mismatches */
  bool oom;
} expect_state;

/* Collects the expectations of one chunk; reports malformed ones (an
 * unclosed {{, an offset that leaves the file) as failures. */
void expect_init(expect_state *st, const char *file, const char *text,
                 size_t len, const diag_printer *printer);
/* A sattn_diag_fn (user = expect_state *) that matches each diagnostic. */
void expect_diag_fn(void *user, const sattn_diag *d);
/* Reports unmet expectations; returns true when everything matched. */
bool expect_finish(expect_state *st);
void expect_free(expect_state *st);

/* ---- per-chunk driving (sattnc, sattn-opt) ------------------------------- */

/* Processes one chunk: reports into `sink`, writes its output to `out` on
 * success, returns whether it succeeded. */
typedef bool (*chunk_fn)(void *user, const char *text, size_t len,
                         diag_sink *sink, FILE *out);

/* Runs fn on each of n chunks of `file` (tool_split), with a sink that
 * prints diagnostics quoting the chunk or, with verify, checks them against
 * its expected-* comments; writes "// -----" between outputs. Returns true
 * when every chunk succeeded (with verify: when every expectation was met
 * and nothing unexpected came). */
bool expect_run_chunks(const char *file, const tool_chunk *chunks, size_t n,
                       bool verify, FILE *out, chunk_fn fn, void *user);

#endif
