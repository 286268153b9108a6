/* The element predicate of a mask: M(p, j) as arith ops on i64 values.
 *
 * p is the query's absolute position (i + Lk - Lq), j the key position.
 * Tiled kernels evaluate it on partial tiles; tests JIT it alone and compare
 * it with the oracle. Shared sub-masks are emitted once. */
#ifndef SATTN_PREDICATE_H
#define SATTN_PREDICATE_H

#include "ir.h"

/* Emits the i1 value of `mask` (a value produced by a sattn mask op) at
 * (p, j). Returns a null value after emitting an error at the op that
 * cannot be expressed as an element predicate (dynamic terms; random
 * needs the drawn-block table that the tiled kernel provides). */
MlirValue predicate_emit(ir_builder *b, MlirValue mask, MlirValue p,
                         MlirValue j);

/* Builds func.func @name(%p: i64, %j: i64) -> i8 (1 when allowed) in
 * `module`. Returns false after an error. */
bool predicate_func(MlirContext ctx, MlirModule module, const char *name,
                    MlirValue mask);

#endif
