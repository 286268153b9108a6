/* The closed-form schedule of a query tile, as arith ops (used by
 * codegen/tile.c): which key tile to visit next, and whether a key tile is
 * full, partial or empty.
 *
 * A query tile has absolute positions [p0, p1]; a key tile [j0, j1] (both
 * inclusive, j1 < Lk). All values are i64. */
#ifndef SATTN_TILE_SCHED_H
#define SATTN_TILE_SCHED_H

#include "ir.h"

typedef struct tile_pos {
  MlirValue p0, p1; /* the query tile */
  MlirValue lk;     /* Lk */
  int64_t block_k;
  int visits;       /* budget against runaway trees */
  bool failed;      /* an error was emitted */
} tile_pos;

/* The start of the first key tile at or after the tile start J (a multiple
 * of block_k) that holds a key of `keys` (a !sattn.keys value), or Lk when
 * there is none. */
MlirValue tile_next(ir_builder *b, MlirValue keys, tile_pos *t, MlirValue J);

/* For the key tile [j0, j1]: *full when the mask allows every pair of the
 * tile, *empty when it allows none; both false for a partial tile. Closed
 * form per term (conservative: a tile may be called partial when it is
 * not, never the other way). */
void tile_classify(ir_builder *b, MlirValue mask, tile_pos *t, MlirValue j0,
                   MlirValue j1, MlirValue *full, MlirValue *empty);

#endif
