/* Tool file handling (see tool_io.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "tool_io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void tool_error(const char *tool, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", tool);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* Source files larger than this are refused (a pattern file is small). */
#define MAX_INPUT ((size_t)256 << 20)

char *tool_read_file(const char *path, size_t *len, char *err, size_t errlen) {
  return tool_read_file_max(path, MAX_INPUT, len, err, errlen);
}

char *tool_read_file_max(const char *path, size_t max_bytes, size_t *len,
                         char *err, size_t errlen) {
  bool is_stdin = strcmp(path, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "cannot read '%s': it is a directory", path);
    fclose(f);
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n + 1 >= cap) {
      if (cap >= max_bytes) {
        snprintf(err, errlen, "'%s' is larger than %zu MiB", path, max_bytes >> 20);
        free(buf);
        buf = NULL;
        break;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - 1 - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        free(buf);
        buf = NULL;
      }
      break;
    }
  }
  if (!buf && !err[0])
    snprintf(err, errlen, "out of memory reading '%s'", path);
  if (!is_stdin)
    fclose(f);
  if (buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

bool tool_out_open(tool_out *o, const char *path, char *err, size_t errlen) {
  memset(o, 0, sizeof *o);
  o->path = path;
  if (!path || strcmp(path, "-") == 0) {
    o->f = stdout;
    return true;
  }
  /* A device, FIFO or socket is written through, as mlir-opt does:
   * renaming over it would replace it (an -o /dev/null as root would turn
   * /dev/null into a regular file). A symlink is followed, so the rename
   * replaces its target, not the link. */
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      snprintf(err, errlen, "cannot write '%s': it is a directory", path);
      return false;
    }
    o->f = fopen(path, "wb");
    if (!o->f) {
      snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
      return false;
    }
    o->direct = true;
    return true;
  }
  char *resolved = NULL;
  struct stat lst;
  if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
    resolved = realpath(path, NULL);
    if (!resolved) { /* a dangling link: its target, relative to its folder */
      char target[4096];
      ssize_t tn = readlink(path, target, sizeof target - 1);
      const char *slash = strrchr(path, '/');
      size_t dir = target[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
      if (tn > 0 && (resolved = malloc(dir + (size_t)tn + 1))) {
        memcpy(resolved, path, dir);
        memcpy(resolved + dir, target, (size_t)tn);
        resolved[dir + (size_t)tn] = '\0';
        if (target[0] == '/')
          memcpy(resolved, target, (size_t)tn);
      }
    }
    if (resolved)
      path = o->path = resolved;
  }
  o->resolved = resolved;
  size_t n = strlen(path);
  o->tmp = malloc(n + 16);
  if (!o->tmp) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    return false;
  }
  o->f = fdopen(fd, "wb");
  if (!o->f) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    close(fd);
    unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return false;
  }
  return true;
}

bool tool_out_commit(tool_out *o, char *err, size_t errlen) {
  if (o->direct) {
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    ok = fclose(o->f) == 0 && ok;
    o->f = NULL;
    if (!ok)
      snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
    return ok;
  }
  if (!o->tmp) {
    if (fflush(o->f) != 0) {
      snprintf(err, errlen, "cannot write standard output: %s", strerror(errno));
      return false;
    }
    return true;
  }
  bool ok = fflush(o->f) == 0 && !ferror(o->f);
  ok = (fclose(o->f) == 0) && ok;
  o->f = NULL;
  if (ok) {
    /* mkstemp creates 0600; give the file the usual permissions. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(o->tmp, 0666 & ~mask);
    ok = rename(o->tmp, o->path) == 0;
  }
  if (!ok) {
    snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(errno));
    unlink(o->tmp);
  }
  free(o->tmp);
  o->tmp = NULL;
  free(o->resolved);
  o->resolved = NULL;
  return ok;
}

void tool_out_abort(tool_out *o) {
  if (o->direct && o->f) /* nothing to undo on a device or FIFO */
    fclose(o->f);
  if (o->tmp) {
    if (o->f)
      fclose(o->f);
    unlink(o->tmp);
    free(o->tmp);
  }
  free(o->resolved);
  o->f = NULL;
  o->tmp = NULL;
  o->resolved = NULL;
}

/* Whether line [p, e) is a split marker: optional blanks, then `// -----`
 * or `# -----`, then optional blanks. */
static bool is_marker(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  if (e - p >= 2 && p[0] == '/' && p[1] == '/')
    p += 2;
  else if (p < e && *p == '#')
    p += 1;
  else
    return false;
  while (p < e && *p == ' ')
    p++;
  if (e - p < 5 || memcmp(p, "-----", 5) != 0)
    return false;
  p += 5;
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
    p++;
  return p == e;
}

static bool add_chunk(tool_chunk **out, size_t *n, size_t *cap,
                      const char *start, const char *end, size_t pad) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    tool_chunk *c = realloc(*out, nc * sizeof *c);
    if (!c)
      return false;
    *out = c;
    *cap = nc;
  }
  size_t len = (size_t)(end - start);
  char *t = malloc(pad + len + 1);
  if (!t)
    return false;
  memset(t, '\n', pad);
  memcpy(t + pad, start, len);
  t[pad + len] = '\0';
  (*out)[(*n)++] = (tool_chunk){t, pad + len};
  return true;
}

size_t tool_split(const char *text, size_t len, bool split, tool_chunk **out) {
  *out = NULL;
  size_t n = 0, cap = 0, line = 0, chunk_line = 0;
  const char *chunk = text, *p = text, *end = text + len;
  while (split && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    if (is_marker(p, le)) {
      if (!add_chunk(out, &n, &cap, chunk, p, chunk_line))
        goto oom;
      chunk = nl ? nl + 1 : end;
      chunk_line = line + 1;
    }
    line++;
    p = nl ? nl + 1 : end;
  }
  if (!add_chunk(out, &n, &cap, chunk, end, chunk_line))
    goto oom;
  return n;
oom:
  tool_chunks_free(*out, n);
  *out = NULL;
  return 0;
}

void tool_chunks_free(tool_chunk *c, size_t n) {
  for (size_t i = 0; c && i < n; i++)
    free(c[i].text);
  free(c);
}

int tool_out_finish(tool_out *o, bool ok, const char *tool) {
  if (!ok) {
    tool_out_abort(o);
    return 1;
  }
  char err[512];
  if (!tool_out_commit(o, err, sizeof err)) {
    tool_error(tool, "%s", err);
    return 1;
  }
  return 0;
}
