/* Op -> value memo (see memo.h). */
#include "memo.h"

#include <stdlib.h>

MlirValue *memo_slot(memo *m, void *key, bool *found) {
  if (m->n * 2 >= m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    void **keys = calloc(cap, sizeof *keys);
    MlirValue *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
      free(keys);
      free(vals);
      return NULL;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->keys[i]) {
        size_t h = ((uintptr_t)m->keys[i] >> 4) & (cap - 1);
        while (keys[h])
          h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
      }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
  }
  size_t h = ((uintptr_t)key >> 4) & (m->cap - 1);
  while (m->keys[h] && m->keys[h] != key)
    h = (h + 1) & (m->cap - 1);
  *found = m->keys[h] == key;
  if (!*found) {
    m->keys[h] = key;
    m->n++;
  }
  return &m->vals[h];
}

void memo_free(memo *m) {
  free(m->keys);
  free(m->vals);
  *m = (memo){0};
}
