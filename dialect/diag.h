/* Diagnostics shared by the front end, the passes and the tools.
 *
 * A diagnostic is `file:line:col: severity: message`; the default printer
 * adds the offending source line and a caret under the column (chibicc).
 * Producers report into a sink; the sink counts errors and warnings and
 * hands each diagnostic to its callback (the printer, or the expected-
 * diagnostics checker of the tools). */
#ifndef SATTN_DIAG_H
#define SATTN_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef enum sattn_severity {
  SATTN_ERROR,
  SATTN_WARNING,
  SATTN_NOTE,
  SATTN_REMARK,
} sattn_severity;

/* A position in a source buffer; line and col are 1-based byte counts
 * (line 0: no position). */
typedef struct src_loc {
  unsigned line, col;
} src_loc;

typedef struct sattn_diag {
  sattn_severity severity;
  const char *file; /* NULL or "": no file */
  src_loc loc;
  const char *message;
} sattn_diag;

typedef void (*sattn_diag_fn)(void *user, const sattn_diag *d);

typedef struct diag_sink {
  sattn_diag_fn fn;
  void *user;
  unsigned errors, warnings;
} diag_sink;

/* An in-memory source buffer the printer can quote lines from. */
typedef struct diag_source {
  const char *name;
  const char *text;
  size_t len;
} diag_source;

/* Formats and reports one diagnostic; counts it in the sink. */
void diag_report(diag_sink *s, sattn_severity sev, const char *file,
                 src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_vreport(diag_sink *s, sattn_severity sev, const char *file,
                  src_loc loc, const char *fmt, va_list ap);

/* Printer state for diag_print_fn: the stream and the sources to quote. */
typedef struct diag_printer {
  FILE *out;
  const diag_source *sources;
  size_t nsources;
} diag_printer;

/* A sattn_diag_fn (user = diag_printer *) that prints `file:line:col:
 * error: msg`, the source line (control bytes shown as spaces, long lines
 * cut around the column) and a caret. */
void diag_print_fn(void *user, const sattn_diag *d);

/* The name of a severity: "error", "warning", "note", "remark". */
const char *diag_severity_name(sattn_severity sev);

#endif
