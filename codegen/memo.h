/* A memo from ops (by pointer) to values, for generators that walk a mask
 * DAG: a sub-mask shared by several parents is built once. Open
 * addressing; zero-initialise, then memo_free. */
#ifndef SATTN_MEMO_H
#define SATTN_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "mlir-c/IR.h"

typedef struct memo {
  void **keys;
  MlirValue *vals;
  size_t cap, n;
} memo;

/* The slot of `key`, inserted (with *found false) when new; NULL when out
 * of memory. A later insertion may move slots: look a slot up again after
 * building anything that may insert. */
MlirValue *memo_slot(memo *m, void *key, bool *found);
void memo_free(memo *m);

#endif
