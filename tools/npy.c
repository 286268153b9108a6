/* .npy reading and writing (format versions 1, 2 and 3). */
#include "npy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_io.h"

/* Finds 'key': in the header dict and returns what follows the colon. */
static const char *dict_value(const char *hdr, const char *key) {
  const char *p = strstr(hdr, key);
  if (!p)
    return NULL;
  p = strchr(p + strlen(key), ':');
  if (!p)
    return NULL;
  p++;
  while (*p == ' ')
    p++;
  return p;
}

bool npy_read(const char *path, npy_array *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  size_t len;
  /* Tensors can be large: up to 64 GiB (the file is held once in memory). */
  char *buf = tool_read_file_max(path, (size_t)64 << 30, &len, err, errlen);
  if (!buf)
    return false;
  bool ok = false;
  if (len < 10 || memcmp(buf, "\x93NUMPY", 6) != 0) {
    snprintf(err, errlen, "'%s' is not a .npy file (no \\x93NUMPY magic)", path);
    goto done;
  }
  int major = (unsigned char)buf[6];
  size_t hlen, hstart;
  if (major == 1) {
    hlen = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8;
    hstart = 10;
  } else if ((major == 2 || major == 3) && len >= 12) {
    hlen = (unsigned char)buf[8] | (size_t)(unsigned char)buf[9] << 8 |
           (size_t)(unsigned char)buf[10] << 16 | (size_t)(unsigned char)buf[11] << 24;
    hstart = 12;
  } else {
    snprintf(err, errlen, "'%s': unsupported .npy version %d", path, major);
    goto done;
  }
  if (hlen > len - hstart || hlen > 65536) {
    snprintf(err, errlen, "'%s': the header is truncated", path);
    goto done;
  }
  char hdr[65537];
  memcpy(hdr, buf + hstart, hlen);
  hdr[hlen] = '\0';
  const char *descr = dict_value(hdr, "'descr'");
  const char *fortran = dict_value(hdr, "'fortran_order'");
  const char *shape = dict_value(hdr, "'shape'");
  if (!descr || !fortran || !shape || *shape != '(') {
    snprintf(err, errlen, "'%s': malformed header (needs descr, fortran_order, shape)", path);
    goto done;
  }
  int elem = 0;
  if (!strncmp(descr, "'<f4'", 5))
    elem = 4;
  else if (!strncmp(descr, "'<f8'", 5))
    elem = 8;
  else {
    snprintf(err, errlen, "'%s': dtype %.*s is not supported (float32 '<f4' or "
                          "float64 '<f8')", path, (int)strcspn(descr, ","), descr);
    goto done;
  }
  if (strncmp(fortran, "False", 5) != 0) {
    snprintf(err, errlen, "'%s': Fortran-order arrays are not supported (save with "
                          "numpy.ascontiguousarray)", path);
    goto done;
  }
  const char *p = shape + 1;
  size_t count = 1;
  while (*p && *p != ')') {
    while (*p == ' ' || *p == ',')
      p++;
    if (*p == ')')
      break;
    char *end;
    long long d = strtoll(p, &end, 10);
    if (end == p || d < 0 || out->ndim == NPY_MAX_DIMS) {
      snprintf(err, errlen, "'%s': malformed shape", path);
      goto done;
    }
    out->shape[out->ndim++] = d;
    if (d && count > SIZE_MAX / 8 / (size_t)d) {
      snprintf(err, errlen, "'%s': the array is too large", path);
      goto done;
    }
    count *= (size_t)d;
    p = end;
  }
  size_t data_at = hstart + hlen;
  if (len - data_at != count * (size_t)elem) {
    snprintf(err, errlen, "'%s': holds %zu bytes of data, the shape needs %zu", path,
             len - data_at, count * (size_t)elem);
    goto done;
  }
  out->data = malloc(count ? count * sizeof(float) : 1);
  if (!out->data) {
    snprintf(err, errlen, "'%s': out of memory", path);
    goto done;
  }
  for (size_t i = 0; i < count; i++) {
    if (elem == 4) {
      memcpy(&out->data[i], buf + data_at + 4 * i, 4);
    } else {
      double d;
      memcpy(&d, buf + data_at + 8 * i, 8);
      out->data[i] = (float)d;
    }
  }
  out->count = count;
  ok = true;
done:
  free(buf);
  return ok;
}

bool npy_write(const char *path, const float *data, int ndim,
               const int64_t *shape, char *err, size_t errlen) {
  char dims[256] = "";
  size_t n = 0, count = 1;
  for (int i = 0; i < ndim; i++) {
    n += (size_t)snprintf(dims + n, sizeof dims - n, "%lld%s", (long long)shape[i],
                          ndim == 1 ? "," : i + 1 < ndim ? ", " : "");
    count *= (size_t)shape[i];
  }
  char hdr[512];
  int h = snprintf(hdr, sizeof hdr,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", dims);
  /* Pad with spaces so that magic + header is a multiple of 64, then '\n'. */
  int total = 10 + h + 1;
  int pad = (64 - total % 64) % 64;
  tool_out out;
  if (!tool_out_open(&out, path, err, errlen))
    return false;
  fwrite("\x93NUMPY\x01\x00", 1, 8, out.f);
  unsigned hl = (unsigned)(h + pad + 1);
  fputc((int)(hl & 0xff), out.f);
  fputc((int)(hl >> 8), out.f);
  fwrite(hdr, 1, (size_t)h, out.f);
  for (int i = 0; i < pad; i++)
    fputc(' ', out.f);
  fputc('\n', out.f);
  fwrite(data, sizeof(float), count, out.f);
  return tool_out_commit(&out, err, errlen);
}
