/* Small helpers to build upstream ops (arith, func) from C: the C API has
 * no OpBuilder, and spelling out an OperationState per op buries the logic
 * of the code generators. Every helper appends to the builder's block. */
#ifndef SATTN_IR_H
#define SATTN_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

/* Ops go to the end of `block`, or before `before` (in `block`) when it is
 * set: passes that expand an op in place build before it. */
typedef struct ir_builder {
  MlirContext ctx;
  MlirBlock block;
  MlirLocation loc;
  MlirOperation before;
} ir_builder;

MlirType ir_i1(ir_builder *b);
MlirType ir_i8(ir_builder *b);
MlirType ir_i64(ir_builder *b);

MlirValue ir_const_int(ir_builder *b, MlirType t, int64_t v);
MlirValue ir_const_bool(ir_builder *b, bool v);
/* Any binary op whose result has the type of its operands (arith.addi, ...). */
MlirValue ir_binary(ir_builder *b, const char *op, MlirValue x, MlirValue y);
/* arith.cmpi with a predicate name: "eq", "ne", "slt", "sle", "sgt", "sge". */
/* max(x, y) for operands that are never NaN, where the sign of a zero
 * does not matter: select(x > y, x, y), one vmaxps. arith.maximumf
 * becomes a compare, a NaN test and two blends (arith-expand). */
MlirValue ir_max_ordered(ir_builder *b, MlirValue x, MlirValue y);
MlirValue ir_cmpi(ir_builder *b, const char *pred, MlirValue x, MlirValue y);
MlirValue ir_select(ir_builder *b, MlirValue c, MlirValue x, MlirValue y);
MlirValue ir_extui(ir_builder *b, MlirValue x, MlirType to);
/* A one-operand conversion op (arith.extf, arith.truncf, ...) to type `to`. */
MlirValue ir_convert(ir_builder *b, const char *op, MlirValue x, MlirType to);
void ir_return(ir_builder *b, intptr_t n, const MlirValue *vals);

/* A private func.func declaration (an external symbol, e.g. a runtime
 * function that generated code calls). */
void ir_declare_func(MlirContext ctx, MlirModule module, const char *name,
                     intptr_t nargs, const MlirType *args, intptr_t nres,
                     const MlirType *res);
/* func.call @name(args) -> one result of type `res`. */
MlirValue ir_call(ir_builder *b, const char *name, intptr_t nargs,
                  const MlirValue *args, MlirType res);

/* func.func @name(args) -> results appended to `module`'s body, with
 * llvm.emit_c_interface when c_interface is set; returns its entry block. */
MlirBlock ir_func(MlirContext ctx, MlirModule module, const char *name,
                  MlirLocation loc, intptr_t nargs, const MlirType *args,
                  intptr_t nres, const MlirType *res, bool c_interface);


/* ---- more types and ops (kernels) --------------------------------------- */

MlirType ir_index(ir_builder *b);
MlirType ir_f32(ir_builder *b);
MlirValue ir_const_index(ir_builder *b, int64_t v);
MlirValue ir_const_f32(ir_builder *b, float v);
/* A unary op whose result has the operand's type (math.exp, arith.negf). */
MlirValue ir_unary(ir_builder *b, const char *op, MlirValue x);
/* arith.cmpf with a predicate name: "olt", "ole", "ogt", "oge", "oeq", "one",
 * "ord", "uno". */
MlirValue ir_cmpf(ir_builder *b, const char *pred, MlirValue x, MlirValue y);
/* arith.index_cast between index and an integer type. */
MlirValue ir_index_cast(ir_builder *b, MlirValue x, MlirType to);
MlirValue ir_dim(ir_builder *b, MlirValue memref, int64_t d);
MlirValue ir_load(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *idx);
void ir_store(ir_builder *b, MlirValue v, MlirValue memref, intptr_t n,
              const MlirValue *idx);
/* memref.prefetch of element idx into the data cache (locality 3: L1),
 * for reading or for writing. */
void ir_prefetch(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *idx, bool write);
/* memref.alloca of a static shape. */
MlirValue ir_alloca(ir_builder *b, MlirType memref_type);

/* The most loop-carried values of ir_for / ir_while: a register block of
 * the CPU step carries up to 32 accumulators (cpu_step.c MAXACC). */
enum { IR_MAX_ITER = 32 };

/* scf.for lo..hi step with loop-carried values (at most IR_MAX_ITER). `body` gets a builder at the
 * end of the loop block, the induction variable and the carried values, and
 * writes the values to yield into `yields` (n_iter of them). Returns the
 * loop op (results = final carried values). */
typedef void (*ir_for_body)(ir_builder *b, MlirValue iv, const MlirValue *iters,
                            MlirValue *yields, void *user);
MlirOperation ir_for(ir_builder *b, MlirValue lo, MlirValue hi, MlirValue step,
                     intptr_t n_iter, const MlirValue *inits, ir_for_body body,
                     void *user);

/* scf.if with results (at most IR_MAX_ITER): each branch builds its
 * values into `out`. With nres = 0 the else branch may be NULL. */
typedef void (*ir_if_branch)(ir_builder *b, MlirValue *out, void *user);
MlirOperation ir_if(ir_builder *b, MlirValue cond, intptr_t nres,
                    const MlirType *types, ir_if_branch then_fn,
                    ir_if_branch else_fn, void *user);

/* scf.while over n carried values (at most IR_MAX_ITER): `cond` gets the values at the top of an
 * iteration and returns the i1 that continues the loop (the values are
 * forwarded unchanged); `body` writes the next values to `yields`. Returns
 * the loop op (results = the values when cond was false). */
typedef MlirValue (*ir_while_cond)(ir_builder *b, const MlirValue *vals,
                                   void *user);
typedef void (*ir_while_body)(ir_builder *b, const MlirValue *vals,
                              MlirValue *yields, void *user);
MlirOperation ir_while(ir_builder *b, intptr_t n, const MlirValue *inits,
                       ir_while_cond cond, ir_while_body body, void *user);

/* Any op by name, with attributes, operands and results (no regions). */
MlirNamedAttribute ir_named(MlirContext ctx, const char *name, MlirAttribute a);
MlirOperation ir_op(ir_builder *b, const char *name, intptr_t nattrs,
                    const MlirNamedAttribute *attrs, intptr_t nops,
                    const MlirValue *ops, intptr_t nres, const MlirType *res);

/* Vectors (1-D). ir_binary, ir_unary, ir_select, ir_cmpf work on them too. */
MlirType ir_vec(ir_builder *b, MlirType elem, int64_t n);
/* arith.constant splat of a float vector type. */
MlirValue ir_splat_f32(ir_builder *b, MlirType vtype, float v);
/* arith.constant of n i32 lanes. */
MlirValue ir_const_vec_i32(ir_builder *b, int64_t n, const int32_t *vals);
MlirValue ir_broadcast(ir_builder *b, MlirValue x, MlirType vtype);
/* vector.load / vector.store at idx (a contiguous innermost dimension). */
MlirValue ir_vload(ir_builder *b, MlirType vtype, MlirValue memref, intptr_t n,
                   const MlirValue *idx);
void ir_vstore(ir_builder *b, MlirValue v, MlirValue memref, intptr_t n, const MlirValue *idx);
/* Whether a memref's innermost stride is statically 1 (vector.load and
 * vector.store need it). */
bool ir_unit_inner_stride(MlirValue memref);
/* vector.shuffle of two 1-D vectors of one type: lane i of the result is
 * lane mask[i] of (x ++ y); n lanes. */
MlirValue ir_shuffle(ir_builder *b, MlirValue x, MlirValue y, intptr_t n, const int64_t *mask);
/* vector.fma: x * y + z. */
MlirValue ir_fma(ir_builder *b, MlirValue x, MlirValue y, MlirValue z);
/* vector.reduction with a kind ("add", "maximumf"). */
MlirValue ir_reduce(ir_builder *b, const char *kind, MlirValue v);

/* memref.subview of a rank-3 or rank-4 memref (fully dynamic strided
 * layout, as the kernels' arguments) taking, on axis 2, `size` elements
 * from `offset` every `stride` (index values); the other axes whole. */
MlirValue ir_subview_axis2(ir_builder *b, MlirValue src, MlirValue offset, MlirValue size,
                           MlirValue stride);

#endif
