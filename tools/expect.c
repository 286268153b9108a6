/* Expected-diagnostics checking (see expect.h). */
#include "expect.h"

#include <stdlib.h>
#include <string.h>

static void failure(expect_state *st, unsigned line, unsigned col,
                    const char *fmt, const char *a, const char *b) {
  char msg[1200];
  snprintf(msg, sizeof msg, fmt, a, b);
  sattn_diag d = {SATTN_ERROR, st->file, {line, col}, msg};
  diag_print_fn(&st->printer, &d);
  st->failures++;
}

static const struct {
  const char *word;
  sattn_severity sev;
} kinds[] = {{"expected-error", SATTN_ERROR},
             {"expected-warning", SATTN_WARNING},
             {"expected-note", SATTN_NOTE},
             {"expected-remark", SATTN_REMARK}};

static void add(expect_state *st, expectation e) {
  if (st->n == st->cap) {
    size_t nc = st->cap ? st->cap * 2 : 16;
    expectation *items = realloc(st->items, nc * sizeof *items);
    if (!items) {
      st->oom = true;
      free(e.text);
      return;
    }
    st->items = items;
    st->cap = nc;
  }
  st->items[st->n++] = e;
}

/* Parses `expected-KIND[@OFFSET] {{text}}` starting at p (after the word). */
static void parse_one(expect_state *st, sattn_severity sev, const char *p,
                      const char *le, unsigned line, unsigned col,
                      unsigned nlines) {
  long target = line;
  bool has_offset = p < le && *p == '@';
  if (has_offset) {
    p++;
    if (le - p >= 5 && memcmp(p, "above", 5) == 0) {
      target = line - 1;
      p += 5;
    } else if (le - p >= 5 && memcmp(p, "below", 5) == 0) {
      target = line + 1;
      p += 5;
    } else if (p < le && (*p == '+' || *p == '-')) {
      int sign = *p == '-' ? -1 : 1;
      p++;
      long n = 0;
      const char *digits = p;
      while (p < le && *p >= '0' && *p <= '9' && n < 100000)
        n = n * 10 + (*p++ - '0');
      if (p == digits) {
        failure(st, line, col, "malformed expected diagnostic: a number must "
                               "follow '@+' or '@-'", NULL, NULL);
        return;
      }
      target = line + sign * n;
    } else {
      failure(st, line, col, "malformed expected diagnostic: '@' needs +N, -N, "
                             "above or below", NULL, NULL);
      return;
    }
  }
  if (target < 1 || target > (long)nlines) {
    failure(st, line, col, "expected diagnostic points outside the file", NULL, NULL);
    return;
  }
  while (p < le && *p == ' ')
    p++;
  if (le - p < 2 || p[0] != '{' || p[1] != '{') {
    /* With an @offset it was meant as an expectation; without one it is
     * prose that mentions expected-error, which mlir-opt ignores too. */
    if (has_offset)
      failure(st, line, col, "malformed expected diagnostic: missing {{message}}",
              NULL, NULL);
    return;
  }
  p += 2;
  const char *close = NULL;
  for (const char *q = p; q + 1 < le; q++)
    if (q[0] == '}' && q[1] == '}') {
      close = q;
      break;
    }
  if (!close) {
    failure(st, line, col, "malformed expected diagnostic: unclosed '{{'", NULL, NULL);
    return;
  }
  char *text = malloc((size_t)(close - p) + 1);
  if (!text) {
    st->oom = true;
    return;
  }
  memcpy(text, p, (size_t)(close - p));
  text[close - p] = '\0';
  add(st, (expectation){sev, (unsigned)target, line, col, text, false});
}

void expect_init(expect_state *st, const char *file, const char *text,
                 size_t len, const diag_printer *printer) {
  memset(st, 0, sizeof *st);
  st->file = file;
  st->printer = *printer;
  unsigned nlines = 1;
  for (size_t i = 0; i < len; i++)
    nlines += text[i] == '\n';
  const char *p = text, *end = text + len;
  for (unsigned line = 1; p < end; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    for (const char *q = p; q < le; q++) {
      if (*q != 'e' || le - q < 14 || memcmp(q, "expected-", 9) != 0)
        continue;
      for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t wl = strlen(kinds[k].word);
        if ((size_t)(le - q) >= wl && memcmp(q, kinds[k].word, wl) == 0) {
          parse_one(st, kinds[k].sev, q + wl, le, line, (unsigned)(q - p) + 1,
                    nlines);
          q += wl - 1;
          break;
        }
      }
    }
    p = nl ? nl + 1 : end;
  }
}

void expect_diag_fn(void *user, const sattn_diag *d) {
  expect_state *st = user;
  bool same_file = d->file && st->file && strcmp(d->file, st->file) == 0;
  for (size_t i = 0; same_file && i < st->n; i++) {
    expectation *e = &st->items[i];
    if (!e->matched && e->severity == d->severity && e->line == d->loc.line &&
        strstr(d->message, e->text)) {
      e->matched = true;
      return;
    }
  }
  if (d->severity == SATTN_NOTE || d->severity == SATTN_REMARK)
    return; /* only checked where expected */
  char msg[1200];
  snprintf(msg, sizeof msg, "unexpected %s: %s", diag_severity_name(d->severity),
           d->message);
  sattn_diag u = {SATTN_ERROR, d->file, d->loc, msg};
  diag_print_fn(&st->printer, &u);
  st->failures++;
}

bool expect_finish(expect_state *st) {
  for (size_t i = 0; i < st->n; i++) {
    expectation *e = &st->items[i];
    if (!e->matched) {
      char what[32];
      snprintf(what, sizeof what, "%s", diag_severity_name(e->severity));
      failure(st, e->at_line, e->at_col, "expected %s \"%s\" was not produced",
              what, e->text);
    }
  }
  if (st->oom)
    failure(st, 0, 0, "out of memory while checking diagnostics", NULL, NULL);
  return st->failures == 0;
}

void expect_free(expect_state *st) {
  for (size_t i = 0; i < st->n; i++)
    free(st->items[i].text);
  free(st->items);
  st->items = NULL;
  st->n = st->cap = 0;
}

bool expect_run_chunks(const char *file, const tool_chunk *chunks, size_t n,
                       bool verify, FILE *out, chunk_fn fn, void *user) {
  bool all_ok = true;
  for (size_t c = 0; c < n; c++) {
    const char *text = chunks[c].text;
    size_t len = chunks[c].len;
    diag_source src = {file, text, len};
    diag_printer printer = {stderr, &src, 1};
    diag_sink sink = {diag_print_fn, &printer, 0, 0};
    expect_state ex;
    if (verify) {
      expect_init(&ex, file, text, len, &printer);
      sink = (diag_sink){expect_diag_fn, &ex, 0, 0};
    }
    if (c)
      fputs("// -----\n", out);
    bool ok = fn(user, text, len, &sink, out);
    if (verify) {
      all_ok &= expect_finish(&ex);
      expect_free(&ex);
    } else {
      all_ok &= ok;
    }
  }
  return all_ok;
}
