/* The element predicate of a mask: M(p, j) as arith ops on i64 values.
 *
 * p is the query's absolute position (i + Lk - Lq), j the key position.
 * Tiled kernels evaluate it on partial tiles; tests JIT it alone and compare
 * it with the oracle. Shared sub-masks are emitted once. */
#ifndef SATTN_PREDICATE_H
#define SATTN_PREDICATE_H

#include "ir.h"

/* What `random` needs besides (p, j): the key length and the query head (i64
 * values); its blocks come from the runtime's sattn_rt_random_member, which
 * the module must declare (predicate_declare_runtime). */
typedef struct pred_env {
  MlirValue lk, head;
} pred_env;

/* Emits the i1 value of `mask` (a value produced by a sattn mask op) at
 * (p, j). Returns a null value after emitting an error at the op that
 * cannot be expressed as an element predicate (dynamic terms; random
 * without an environment). env may be NULL. */
MlirValue predicate_emit(ir_builder *b, MlirValue mask, MlirValue p,
                         MlirValue j, const pred_env *env);

/* The same on vectors: p and j vector<N x i64> (lanes of pairs), the
 * result vector<N x i1>. Only for masks of predicate_vectorizable (no
 * random: its blocks come from a scalar runtime call). */
MlirValue predicate_emit_vec(ir_builder *b, MlirValue mask, MlirValue p,
                             MlirValue j, const pred_env *env);
bool predicate_vectorizable(MlirValue mask);

/* Declares the runtime functions predicates and schedules call
 * (sattn_rt_random_member, sattn_rt_random_next), in `module`. */
void predicate_declare_runtime(MlirContext ctx, MlirModule module);

/* Builds func.func @name(%p: i64, %j: i64) -> i8 (1 when allowed) in
 * `module`. Returns false after an error. */
bool predicate_func(MlirContext ctx, MlirModule module, const char *name,
                    MlirValue mask);

#endif
