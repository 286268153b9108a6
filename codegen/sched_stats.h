/* Schedule statistics (sattnc --emit=stats): the work a kernel's block
 * schedule does for given lengths, by walking the same compiled closed
 * forms the kernel runs (the next-tile and classify helpers of
 * codegen/tile_sched.c, JIT-compiled) and the element predicate on partial
 * tiles only. No Lq x Lk structure is built; the cost is that of visiting
 * the schedule's tiles plus one predicate call per pair of a partial tile. */
#ifndef SATTN_SCHED_STATS_H
#define SATTN_SCHED_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"
#include "mlir-c/ExecutionEngine.h"

typedef struct sched_stats {
  int64_t lattice;  /* residue classes (1: none) */
  int64_t parts;    /* 2: a union of differently tiled terms, two parts */
  int64_t lattice1; /* the second part's residue classes */
  int64_t query_tiles;
  int64_t visited_tiles, full_tiles, partial_tiles;
  double allowed_pairs;  /* pairs the pattern allows */
  double computed_pairs; /* pairs of visited tiles (full and partial) */
  double masked_pairs;   /* computed, then masked out */
  int64_t block_q, block_k, block_k1; /* the tile sizes (chosen when asked for 0) */
} sched_stats;

/* Public helper functions into `module` for a head group's schedule (a
 * sattn.group_schedule op), named with `tag`:
 *   next<tag>(p0, p1, Lk, J, head) -> i64        the next range key tile
 *   class<tag>(p0, p1, j0, j1, Lk, head) -> i8   (full << 1) | !empty
 *   pred<tag>(p, j, Lk, head) -> i8      the range segment's mask
 * and for each stripe s (*nstripes of them, at most 8):
 *   scount<tag>_<s>(Lk) -> i64           gathered columns below Lk
 *   smap<tag>_<s>(k) -> i64              the column of gathered index k
 *   sclass<tag>_<s>(p0, p1, j0, j1, Lk, head) -> i8
 *   spred<tag>_<s>(p, j, Lk, head) -> i8
 * The module gets the declaration of sattn_rt_random_member, which the JIT
 * must be given (mlirExecutionEngineRegisterSymbol). False after an error. */
bool sched_helpers_build(MlirContext ctx, MlirModule module, const char *tag,
                         MlirOperation schedule, int64_t block_k, int *nstripes);

/* The compiled helpers of one group (sched_helpers_build, then a JIT). */
typedef int64_t (*sched_next_fn)(int64_t p0, int64_t p1, int64_t lk, int64_t J, int64_t head);
typedef int8_t (*sched_class_fn)(int64_t p0, int64_t p1, int64_t j0, int64_t j1, int64_t lk,
                                 int64_t head);
typedef int8_t (*sched_pred_fn)(int64_t p, int64_t j, int64_t lk, int64_t head);
typedef int64_t (*sched_count_fn)(int64_t);
typedef struct sched_fns {
  sched_next_fn next;
  sched_class_fn cls;
  sched_pred_fn pred;
  int nstripes;
  sched_count_fn scount[8], smap[8];
  sched_class_fn sclass[8];
  sched_pred_fn spred[8];
} sched_fns;

/* Looks up the helpers of sched_helpers_build with tag "%d" of `tag` in a
 * JIT of the module. False when one is missing. */
bool sched_helpers_lookup(MlirExecutionEngine jit, int tag, int nstripes, sched_fns *f);

/* Gives a JIT the runtime functions the helpers call (random's generator). */
void sched_register_runtime(MlirExecutionEngine jit);

/* A computed tile, for pictures of the schedule (sattnc --emit=blockmap):
 * rows row0 + row_step * i (i < rows) of the original problem; keys
 * key_base + key_step * map(k) (map NULL: k) for k in [k0, k1). */
typedef struct sched_tile {
  int group;
  int segment; /* -1: range tiles; s >= 0: stripe s */
  bool full;   /* else partial */
  int64_t row0, row_step, rows;
  int64_t k0, k1;
  int64_t (*map)(int64_t);
  int64_t key_base, key_step;
} sched_tile;
typedef void (*sched_tile_fn)(void *user, const sched_tile *tile);

/* The statistics of every head group of the kernel func `kernel` (a
 * func.func marked sattn.kernel, sattn level; not changed) for Lq, Lk and
 * the tile sizes: stats[g] for group g, *ngroups of them (at most cap).
 * heads[g] is the first head of group g (random per head uses it). Errors
 * go to the diagnostic handlers. With a hook, every computed (non-empty)
 * tile is also handed to it. Tile sizes 0 are chosen as the kernels'
 * (codegen/tile_choice.h); stats[g].block_q, block_k, block_k1 say which. */
bool sched_stats_compute(MlirContext ctx, MlirOperation kernel, int64_t block_q,
                         int64_t block_k, int64_t seq_q, int64_t seq_k, sched_stats *stats,
                         int64_t *heads, int cap, int *ngroups, sched_tile_fn hook,
                         void *user);

#endif
