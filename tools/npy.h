/* NumPy .npy files: read float32 (or float64, converted) arrays in C order,
 * write float32 arrays (atomically, through tool_out). Every malformed file
 * gets a message naming it. */
#ifndef SATTN_NPY_H
#define SATTN_NPY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum { NPY_MAX_DIMS = 8 };

typedef struct npy_array {
  float *data; /* malloc'd */
  int ndim;
  int64_t shape[NPY_MAX_DIMS];
  size_t count;
} npy_array;

/* Reads `path`; returns false with a message in err. */
bool npy_read(const char *path, npy_array *out, char *err, size_t errlen);

/* Writes a float32 array atomically; returns false with a message. */
bool npy_write(const char *path, const float *data, int ndim,
               const int64_t *shape, char *err, size_t errlen);

#endif
