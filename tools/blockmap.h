/* Pictures of a block schedule (sattnc --emit=blockmap): the Lq x Lk plane
 * in cells, each coloured by the segment kind that computes most of its
 * pairs (range tiles full or partial, stripes, residue classes) and shaded
 * by how many of its pairs are computed. An SVG, and a small text map for
 * the terminal. */
#ifndef SATTN_BLOCKMAP_H
#define SATTN_BLOCKMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sched_stats.h"

enum { BLOCKMAP_KINDS = 4, BLOCKMAP_MAX_SEQ = 8192 };

typedef struct blockmap {
  int64_t seq_q, seq_k;
  int w, h;                        /* cells */
  double *pairs[BLOCKMAP_KINDS];   /* computed pairs per cell and kind */
} blockmap;

/* A map of w x h cells over Lq x Lk; false when out of memory. */
bool blockmap_init(blockmap *m, int64_t seq_q, int64_t seq_k, int w, int h);
void blockmap_free(blockmap *m);
/* A sched_tile_fn (user: the blockmap). */
void blockmap_add_tile(void *user, const sched_tile *tile);

void blockmap_print_text(const blockmap *m, FILE *out, const char *title);
void blockmap_write_svg(const blockmap *m, FILE *out, const char *title);

#endif
