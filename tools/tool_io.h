/* File handling shared by the tools: whole-file reads, atomic writes
 * (a temporary file renamed into place, so an error never leaves a partial
 * output), and `// -----` splitting that keeps line numbers. */
#ifndef SATTN_TOOL_IO_H
#define SATTN_TOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Reads a whole file ("-": standard input) into a malloc'd, NUL-terminated
 * buffer (the file may itself hold NUL bytes: use *len). Returns NULL and
 * writes a message naming the file to err on failure. */
char *tool_read_file(const char *path, size_t *len, char *err, size_t errlen);
/* The same with a size limit of its own (tool_read_file: 256 MiB). */
char *tool_read_file_max(const char *path, size_t max_bytes, size_t *len,
                         char *err, size_t errlen);

typedef struct tool_out {
  FILE *f;
  char *tmp;        /* temporary path, renamed to path on commit */
  const char *path; /* NULL or "-": standard output */
  char *resolved;   /* the target of a symlink path (owned) */
  bool direct;      /* a device or FIFO, written in place */
} tool_out;

/* Opens the output; fails early (with a message) if the directory is not
 * writable. Regular files are written to a temporary file and renamed into
 * place on commit; devices and FIFOs (/dev/null) are written in place. */
bool tool_out_open(tool_out *o, const char *path, char *err, size_t errlen);
/* Flushes and renames into place. */
bool tool_out_commit(tool_out *o, char *err, size_t errlen);
/* Discards the output (removes the temporary file). */
void tool_out_abort(tool_out *o);

/* One chunk of a split input, padded with newlines in front so that its
 * line numbers are those of the whole file. */
typedef struct tool_chunk {
  char *text; /* malloc'd */
  size_t len;
} tool_chunk;

/* Splits at lines that hold only `// -----` (or `# -----`). Returns the
 * number of chunks written to *out (malloc'd array) or 0 on out of memory.
 * Without `split`, one chunk with the whole text. */
size_t tool_split(const char *text, size_t len, bool split, tool_chunk **out);
/* Ends a run: discards the output when `ok` is false (exit status 1),
 * else commits it (1 with a message naming `tool` if that fails, else 0). */
int tool_out_finish(tool_out *o, bool ok, const char *tool);
void tool_chunks_free(tool_chunk *c, size_t n);

/* Prints `tool: error: msg` to stderr. */
void tool_error(const char *tool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
