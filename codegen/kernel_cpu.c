/* A CPU kernel from a sattn kernel func (see kernel_cpu.h). */
#include "kernel_cpu.h"

#include <string.h>

#include "blockify.h"
#include <stdio.h>
#include "parts.h"
#include "simplify.h"
#include "build.h"
#include "lower_tile_cpu.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "registry.h"
#include "tile.h"
#include "tile_choice.h"

enum { MAX_GROUPS = 64 };

/* What the runtime needs to know, read from the sattn.attention. */
static bool describe(MlirOperation kernel, int64_t block_q, kernel_cpu_info *info) {
  MlirOperation att = {NULL};
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_ATTENTION)
      att = op;
  if (mlirOperationIsNull(att)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "kernel has no sattn.attention");
    return false;
  }
  MlirType qt = mlirValueGetType(mlirOperationGetOperand(att, 0));
  MlirType elem = mlirShapedTypeGetElementType(qt);
  int64_t groups[MAX_GROUPS + 1];
  intptr_t n = sattn_get_i64_array(att, "groups", groups, MAX_GROUPS + 1);
  if (n < 2 || n > MAX_GROUPS + 1) {
    mlirEmitError(mlirOperationGetLocation(att), "the CPU back end takes 1 to 64 head groups");
    return false;
  }
  memset(info, 0, sizeof *info);
  info->head_dim = mlirShapedTypeGetDimSize(qt, 3);
  info->block_q = block_q;
  info->has_lse = mlirOperationGetNumResults(att) == 2;
  info->dtype = mlirTypeIsABF16(elem) ? 2 : mlirTypeIsAF16(elem) ? 1 : 0;
  info->heads_end = groups[n - 1] > 0 ? groups[n - 1] : 0;
  info->lattice = info->nparts = info->lattice1 = 1;
  return true;
}

/* Marks the blocked_attention of `func` with rows = [begin, end). */
static void set_rows(MlirOperation func, int64_t begin, int64_t end) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  int64_t r[] = {begin, end};
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_BLOCKED_ATTENTION)
      mlirOperationSetAttributeByName(op, mlirStringRefCreateFromCString("rows"),
                                      mlirDenseI64ArrayGet(mlirOperationGetContext(op), 2, r));
}

static int64_t blocked_lattice(MlirOperation func) {
  int64_t lattice = 1;
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_BLOCKED_ATTENTION)
      sattn_get_int_attr(op, "lattice", &lattice);
  return lattice;
}

bool kernel_cpu_build(MlirContext ctx, MlirModule out, MlirOperation kernel,
                      const char *name, int64_t block_q, int64_t block_k,
                      kernel_cpu_info *info) {
  /* Hand-written IR reaches here through the tools: check values first. */
  if (mlirOperationGetNumRegions(kernel) != 1 ||
      mlirBlockIsNull(mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0)))) {
    mlirEmitError(mlirOperationGetLocation(kernel),
                  "a sattn kernel needs a body holding one sattn.attention");
    return false;
  }
  if (!sattn_verify_values(kernel) || !mlirOperationVerify(kernel))
    return false;
  kernel_cpu_info local;
  if (!describe(kernel, block_q, info ? info : &local))
    return false;
  kernel_cpu_info *inf = info ? info : &local;
  MlirOperation copy = mlirOperationClone(kernel);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(out), copy);
  bool ok = simplify_masks(copy, 0);
  /* A union of differently tiled terms: two parts, merged by lse
   * (codegen/parts.h); the second part's item function is NAME_p1. */
  int64_t rb = 0, re = 0;
  MlirOperation copy2 = ok ? parts_clone(copy, &rb, &re) : (MlirOperation){NULL};
  bool rows = re > rb;
  if (!mlirOperationIsNull(copy2)) {
    inf->nparts = 2;
    inf->rows1_begin = rb;
    inf->rows1_end = re;
  }
  /* Tile sizes left to the compiler (0): per part (codegen/tile_choice.h). */
  int64_t block_k1 = block_k;
  if (ok)
    tile_choice(copy, copy2, &block_q, &block_k, &block_k1);
  inf->block_q = block_q;
  inf->block_k = block_k;
  inf->block_k1 = block_k1;
  ok = ok && blockify(copy, block_q, block_k) &&
       (mlirOperationIsNull(copy2) || blockify(copy2, block_q, block_k1));
  if (ok && rows) /* the second part's query rows: the global rows only */
    set_rows(copy2, rb, re);
  /* The lattices blockify chose, for the runtime's work-item counts. */
  inf->lattice = blocked_lattice(copy);
  if (!mlirOperationIsNull(copy2))
    inf->lattice1 = blocked_lattice(copy2);
  ok = ok && tile_build(ctx, out, copy, name);
  if (ok && !mlirOperationIsNull(copy2)) {
    char name2[320];
    snprintf(name2, sizeof name2, "%s_p1", name);
    ok = tile_build(ctx, out, copy2, name2);
  }
  mlirOperationRemoveFromParent(copy);
  mlirOperationDestroy(copy);
  if (!mlirOperationIsNull(copy2)) {
    mlirOperationRemoveFromParent(copy2);
    mlirOperationDestroy(copy2);
  }
  cpu_target t = cpu_target_host();
  /* bf16 steps of whole query-vector pairs use AMX (cpu_step.c); a step
   * that cannot (one query vector) makes the flag ask needlessly, no more */
  inf->amx = t.amx && inf->dtype == 2 && inf->head_dim % 32 == 0;
  /* the kernels' q, k, v have a unit inner stride: every item takes it */
  inf->bf16dot = t.bf16dot && inf->dtype == 2;
  if (ok)
    ok = lower_tile_cpu(mlirModuleGetOperation(out), t);
  return ok;
}
