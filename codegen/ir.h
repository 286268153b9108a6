/* Small helpers to build upstream ops (arith, func) from C: the C API has
 * no OpBuilder, and spelling out an OperationState per op buries the logic
 * of the code generators. Every helper appends to the builder's block. */
#ifndef SATTN_IR_H
#define SATTN_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "mlir-c/IR.h"

typedef struct ir_builder {
  MlirContext ctx;
  MlirBlock block;
  MlirLocation loc;
} ir_builder;

MlirType ir_i1(ir_builder *b);
MlirType ir_i8(ir_builder *b);
MlirType ir_i64(ir_builder *b);

MlirValue ir_const_int(ir_builder *b, MlirType t, int64_t v);
MlirValue ir_const_bool(ir_builder *b, bool v);
/* Any binary op whose result has the type of its operands (arith.addi, ...). */
MlirValue ir_binary(ir_builder *b, const char *op, MlirValue x, MlirValue y);
/* arith.cmpi with a predicate name: "eq", "ne", "slt", "sle", "sgt", "sge". */
MlirValue ir_cmpi(ir_builder *b, const char *pred, MlirValue x, MlirValue y);
MlirValue ir_select(ir_builder *b, MlirValue c, MlirValue x, MlirValue y);
MlirValue ir_extui(ir_builder *b, MlirValue x, MlirType to);
void ir_return(ir_builder *b, intptr_t n, const MlirValue *vals);

/* func.func @name(args) -> results appended to `module`'s body, with
 * llvm.emit_c_interface when c_interface is set; returns its entry block. */
MlirBlock ir_func(MlirContext ctx, MlirModule module, const char *name,
                  MlirLocation loc, intptr_t nargs, const MlirType *args,
                  intptr_t nres, const MlirType *res, bool c_interface);

#endif
