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
  MlirValue head;   /* the query head (random per head) */
  int64_t block_k;
  int visits;       /* budget against runaway trees */
  bool failed;      /* an error was emitted */
} tile_pos;

/* The start of the first key tile at or after the tile start J (a multiple
 * of block_k) that holds a key of `keys` (a !sattn.keys value), or Lk when
 * there is none. Random keys call the runtime's sattn_rt_random_next
 * (predicate_declare_runtime declares it). */
MlirValue tile_next(ir_builder *b, MlirValue keys, tile_pos *t, MlirValue J);

/* For the key tile [j0, j1]: *full when the mask allows every pair of the
 * tile, *empty when it allows none; both false for a partial tile. Closed
 * form per term (conservative: a tile may be called partial when it is
 * not, never the other way). */
void tile_classify(ir_builder *b, MlirValue mask, tile_pos *t, MlirValue j0,
                   MlirValue j1, MlirValue *full, MlirValue *empty);

/* Stripes (gathered key columns, sattn.stripe_schedule): the key_map
 * encoding of a static keys_columns / keys_periodic op (see tile_step in
 * dialect/sattn.irdl.mlir; -1 when it is neither or does not fit in cap),
 * the number of its columns below Lk, and the column of gathered index k
 * (all i64). */
intptr_t tile_stripe_encode(MlirOperation keys, int64_t *enc, intptr_t cap);
MlirValue tile_stripe_count(ir_builder *b, const int64_t *enc, intptr_t n, MlirValue lk);
MlirValue tile_stripe_map(ir_builder *b, const int64_t *enc, intptr_t n, MlirValue k);

#endif
