/* sattn-tile: each sattn kernel at the block-schedule level (a func.func
 * marked sattn.kernel holding a sattn.blocked_attention) becomes its item
 * function @NAME_item with the loop over its tiles (codegen/tile.c); the
 * sattn-level functions (kernels and named patterns) are removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "tile.h"

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  if (!tile_module(mlirOperationGetContext(op), mlirModuleFromOperation(op)))
    mlirExternalPassSignalFailure(pass);
}

static void construct(void *user) {}
static void destruct(void *user) {}
static void *clone(void *user) { return user; }

MlirPass sattn_create_tile_pass(const char *text, char *err, size_t errlen) {
  static MlirTypeID id;
  if (!pass_parse_options("sattn-tile", text, NULL, 0, err, errlen))
    return (MlirPass){NULL};
  if (!id.ptr)
    id = sattn_pass_type_id();
  MlirExternalPassCallbacks cb = {construct, destruct, NULL, clone, run};
  return mlirCreateExternalPass(
      id, mlirStringRefCreateFromCString("SattnTile"),
      mlirStringRefCreateFromCString("sattn-tile"),
      mlirStringRefCreateFromCString("block schedules to item functions over tiles"),
      mlirStringRefCreateFromCString("builtin.module"), 0, NULL, cb, NULL);
}
