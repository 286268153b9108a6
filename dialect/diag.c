/* Diagnostics: formatting, counting and printing with a caret. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

const char *diag_severity_name(sattn_severity sev) {
  switch (sev) {
  case SATTN_ERROR: return "error";
  case SATTN_WARNING: return "warning";
  case SATTN_NOTE: return "note";
  case SATTN_REMARK: return "remark";
  }
  return "error";
}

void diag_vreport(diag_sink *s, sattn_severity sev, const char *file,
                  src_loc loc, const char *fmt, va_list ap) {
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (sev == SATTN_ERROR)
    s->errors++;
  else if (sev == SATTN_WARNING)
    s->warnings++;
  sattn_diag d = {sev, file, loc, msg};
  if (s->fn)
    s->fn(s->user, &d);
}

void diag_report(diag_sink *s, sattn_severity sev, const char *file,
                 src_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(s, sev, file, loc, fmt, ap);
  va_end(ap);
}

/* Finds line `line` (1-based) of a buffer; returns its start and length. */
static const char *find_line(const diag_source *src, unsigned line,
                             size_t *len) {
  const char *p = src->text, *end = src->text + src->len;
  for (unsigned l = 1; l < line; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      return NULL;
    p = nl + 1;
  }
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  *len = (size_t)((nl ? nl : end) - p);
  return p;
}

/* Quotes a source line, at most ~120 bytes around the column, with control
 * bytes (NUL, escape sequences) shown as spaces so that hostile input cannot
 * drive the terminal; then the caret. */
static void quote_line(FILE *out, const char *text, size_t len, unsigned col) {
  enum { WIDTH = 120 };
  size_t c = col ? col - 1 : 0, from = 0;
  if (c > len)
    c = len;
  if (c > WIDTH - 20)
    from = c - (WIDTH - 20);
  size_t to = len - from > WIDTH ? from + WIDTH : len;
  fputs("  ", out);
  if (from)
    fputs("...", out);
  for (size_t i = from; i < to; i++) {
    unsigned char ch = (unsigned char)text[i];
    fputc(ch == '\t' ? ' ' : (ch < 0x20 || ch == 0x7f) ? ' ' : ch, out);
  }
  if (to < len)
    fputs("...", out);
  fputs("\n  ", out);
  if (from)
    fputs("   ", out);
  for (size_t i = from; i < c; i++)
    fputc(' ', out);
  fputs("^\n", out);
}

void diag_print_fn(void *user, const sattn_diag *d) {
  diag_printer *p = user;
  FILE *out = p->out ? p->out : stderr;
  if (d->file && d->file[0] && d->loc.line)
    fprintf(out, "%s:%u:%u: ", d->file, d->loc.line, d->loc.col);
  else if (d->file && d->file[0])
    fprintf(out, "%s: ", d->file);
  fprintf(out, "%s: %s\n", diag_severity_name(d->severity), d->message);
  if (!d->file || !d->loc.line)
    return;
  for (size_t i = 0; i < p->nsources; i++) {
    if (!p->sources[i].name || strcmp(p->sources[i].name, d->file) != 0)
      continue;
    size_t len;
    const char *line = find_line(&p->sources[i], d->loc.line, &len);
    if (line)
      quote_line(out, line, len, d->loc.col);
    return;
  }
}
