/* IR builders: one helper per sattn op (STYLE.md "IR builders").
 *
 * A builder appends new ops to the end of `block` (or before `before` when
 * that is not null) and returns the op's mask result. It does not check
 * values: sattn-verify does (passes/verify.c). */
#ifndef SATTN_BUILD_H
#define SATTN_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

typedef struct sattn_builder {
  MlirContext ctx;
  MlirBlock block;
  MlirOperation before; /* null: append */
} sattn_builder;

sattn_builder sattn_builder_at_end(MlirBlock block);

MlirType sattn_mask_type(MlirContext ctx);
/* Whether `t` is !sattn.mask. */
bool sattn_is_mask_type(MlirType t);

MlirValue sattn_build_full(sattn_builder *b, MlirLocation loc);
MlirValue sattn_build_causal(sattn_builder *b, MlirLocation loc);
MlirValue sattn_build_window(sattn_builder *b, MlirLocation loc, int64_t left,
                             int64_t right);
MlirValue sattn_build_local(sattn_builder *b, MlirLocation loc, int64_t width,
                            int64_t block);
MlirValue sattn_build_dilated(sattn_builder *b, MlirLocation loc,
                              int64_t radius, int64_t dilation);
MlirValue sattn_build_stride(sattn_builder *b, MlirLocation loc,
                             int64_t stride);
MlirValue sattn_build_summary(sattn_builder *b, MlirLocation loc,
                              int64_t stride, int64_t count);
/* ranges: n sorted, disjoint [start, end) pairs (2n values). */
MlirValue sattn_build_global(sattn_builder *b, MlirLocation loc,
                             const int64_t *ranges, size_t n);
MlirValue sattn_build_random(sattn_builder *b, MlirLocation loc,
                             int64_t count, int64_t block, uint64_t seed,
                             bool per_head);
/* score: "meankey" or "input"; input = -1 for meankey. */
MlirValue sattn_build_topk(sattn_builder *b, MlirLocation loc, MlirValue among,
                           int64_t k, int64_t block, const char *score,
                           int64_t input);
MlirValue sattn_build_blocks(sattn_builder *b, MlirLocation loc, int64_t block,
                             int64_t input);
MlirValue sattn_build_same(sattn_builder *b, MlirLocation loc, int64_t input);
/* Union or intersection of n >= 2 masks. */
MlirValue sattn_build_union(sattn_builder *b, MlirLocation loc,
                            const MlirValue *masks, size_t n);
MlirValue sattn_build_intersect(sattn_builder *b, MlirLocation loc,
                                const MlirValue *masks, size_t n);
MlirValue sattn_build_difference(sattn_builder *b, MlirLocation loc,
                                 MlirValue lhs, MlirValue rhs);
/* sattn.attention; `groups` has nmasks + 1 entries (the last -1: open).
 * Returns the op; result 0 is out, result 1 (when lse_type is not null)
 * the log-sum-exp. */
MlirOperation sattn_build_attention(sattn_builder *b, MlirLocation loc,
                                    MlirValue q, MlirValue k, MlirValue v,
                                    const MlirValue *masks, size_t nmasks,
                                    const int64_t *groups, double scale,
                                    MlirType lse_type);

/* ---- inspection ---------------------------------------------------------- */

typedef enum sattn_op_kind {
  SATTN_NOT_SATTN, /* not a sattn op */
  SATTN_FULL,
  SATTN_CAUSAL,
  SATTN_WINDOW,
  SATTN_LOCAL,
  SATTN_DILATED,
  SATTN_STRIDE,
  SATTN_SUMMARY,
  SATTN_GLOBAL,
  SATTN_RANDOM,
  SATTN_TOPK,
  SATTN_BLOCKS,
  SATTN_SAME,
  SATTN_UNION,
  SATTN_INTERSECT,
  SATTN_DIFFERENCE,
  SATTN_ATTENTION,
  SATTN_KEYS_ALL,
  SATTN_KEYS_RANGE,
  SATTN_KEYS_COLUMNS,
  SATTN_KEYS_ROWS,
  SATTN_KEYS_PERIODIC,
  SATTN_KEYS_RANDOM,
  SATTN_KEYS_UNION,
  SATTN_KEYS_INTERSECT,
  SATTN_GROUP_SCHEDULE,
  SATTN_BLOCKED_ATTENTION,
  SATTN_TILE_INIT,
  SATTN_TILE_STEP,
  SATTN_TILE_FINISH,
  SATTN_COLUMNS,
  SATTN_STRIPE,
  SATTN_ROWS,
  SATTN_LAST_KIND = SATTN_ROWS,
} sattn_op_kind;

/* Which sattn op `op` is (SATTN_NOT_SATTN for any other op or a null op). */
sattn_op_kind sattn_op_get_kind(MlirOperation op);
/* The op name of a kind ("sattn.window"), NULL for SATTN_NOT_SATTN. */
const char *sattn_op_kind_name(sattn_op_kind kind);
/* Whether the op produces a !sattn.mask (a term, a combinator, columns). */
bool sattn_op_is_mask(MlirOperation op);
/* Whether the op is a dynamic term (topk, blocks, same). */
bool sattn_op_is_dynamic(MlirOperation op);

/* Reads an integer attribute of an op; false when missing or not integer. */
bool sattn_get_int_attr(MlirOperation op, const char *name, int64_t *out);
/* Reads a string attribute (not NUL-terminated); false when missing. */
bool sattn_get_string_attr(MlirOperation op, const char *name, MlirStringRef *out);
/* Copies up to `cap` values of an array<i64> attribute (global ranges,
 * attention groups) to out; returns the number of values, -1 when missing. */
intptr_t sattn_get_i64_array(MlirOperation op, const char *name, int64_t *out,
                             intptr_t cap);

#endif
