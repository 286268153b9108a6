/* Tiled loops (sattn-tile): the kernel body of one work item.
 *
 * For a kernel func holding a sattn.blocked_attention, builds in `out`:
 *   func.func @NAME_item(q, k, v, out: memref<?x?x?x?xT, strided<[?, ?, ?, 1]>>,
 *                        lse: memref<?x?x?xf32, strided>, write_lse: i64,
 *                        item: i64, nsplit: i64,
 *                        part_out: memref<?x?x?x?xf32, strided<[?, ?, ?, 1]>>,
 *                        part_lse: memref<?x?x?xf32, strided>)
 * (a unit innermost stride: the runtime copies other layouts)
 *       attributes {llvm.emit_c_interface}
 * where item = ((b * Hq + h) * tiles + query tile) * nsplit + split (tiles:
 * ceil(Lq / block_q), or per residue class with a lattice). With nsplit >
 * 1 the keys are split in nsplit ranges of whole key tiles (split-K, for
 * few query tiles and long keys); each split writes its rows normalised
 * and their lse to part_out / part_lse at batch split * B + b, and the
 * runtime merges them (the stripes run in split 0). It keeps
 * the online-softmax state of the tile's rows (sattn.tile_init), walks the
 * key tiles of its head group's schedule (scf.while over
 * @NAME_next_G), classifies each (@NAME_class_G: full, partial, empty),
 * folds full and partial tiles in (sattn.tile_step, partial ones with the
 * mask), and writes the rows (sattn.tile_finish: a row with no allowed key
 * gives 0 and lse -inf). Target lowerings expand the tile ops
 * (codegen/lower_tile_cpu.c). */
#ifndef SATTN_TILE_H
#define SATTN_TILE_H

#include <stdbool.h>

#include "mlir-c/IR.h"

/* Errors go to the context's diagnostic handlers; returns false after one. */
bool tile_build(MlirContext ctx, MlirModule out, MlirOperation kernel, const char *name);

/* tile_build for every kernel func of `m` (marked sattn.kernel); then the
 * sattn-level functions (kernels and named patterns) are removed. */
bool tile_module(MlirContext ctx, MlirModule m);

#endif
