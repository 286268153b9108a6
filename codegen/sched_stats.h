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

typedef struct sched_stats {
  int64_t lattice; /* residue classes (1: none) */
  int64_t query_tiles;
  int64_t visited_tiles, full_tiles, partial_tiles;
  double allowed_pairs;  /* pairs the pattern allows */
  double computed_pairs; /* pairs of visited tiles (full and partial) */
  double masked_pairs;   /* computed, then masked out */
} sched_stats;

/* Public functions next<tag>(p0, p1, Lk, J) -> i64 and class<tag>(p0, p1,
 * j0, j1) -> i8 ((full << 1) | !empty) into `module`, from a head group's
 * mask and keys (as in sattn.group_schedule). False after an error. */
bool sched_helpers_build(MlirContext ctx, MlirModule module, const char *tag,
                         MlirValue mask, MlirValue keys, int64_t block_k);

/* The statistics of every head group of the kernel func `kernel` (a
 * func.func marked sattn.kernel, sattn level; not changed) for Lq, Lk and
 * the tile sizes: stats[g] for group g, *ngroups of them (at most cap).
 * heads[g] is the first head of group g (random per head uses it). Errors
 * go to the diagnostic handlers. */
bool sched_stats_compute(MlirContext ctx, MlirOperation kernel, int64_t block_q,
                         int64_t block_k, int64_t seq_q, int64_t seq_k, sched_stats *stats,
                         int64_t *heads, int cap, int *ngroups);

#endif
