/* A CPU kernel from a sattn kernel func (see kernel_cpu.h). */
#include "kernel_cpu.h"

#include <string.h>

#include "blockify.h"
#include "simplify.h"
#include "build.h"
#include "lower_tile_cpu.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "registry.h"
#include "tile.h"

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
  *info = (kernel_cpu_info){mlirShapedTypeGetDimSize(qt, 3), block_q,
                            mlirOperationGetNumResults(att) == 2,
                            mlirTypeIsABF16(elem) ? 2 : mlirTypeIsAF16(elem) ? 1 : 0,
                            groups[n - 1] > 0 ? groups[n - 1] : 0, 1};
  return true;
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
  MlirOperation copy = mlirOperationClone(kernel);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(out), copy);
  bool ok = simplify_masks(copy, 0) && blockify(copy, block_q, block_k);
  /* The lattice blockify chose, for the runtime's work-item count. */
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(copy, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); ok && !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_BLOCKED_ATTENTION && info)
      sattn_get_int_attr(op, "lattice", &info->lattice);
  ok = ok && tile_build(ctx, out, copy, name);
  mlirOperationRemoveFromParent(copy);
  mlirOperationDestroy(copy);
  if (ok)
    ok = lower_tile_cpu(mlirModuleGetOperation(out));
  return ok;
}
