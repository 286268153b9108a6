/* sattn-lower-cpu: the tile ops of the item functions (sattn-tile's
 * output) become scf, memref, arith and math for the CPU
 * (codegen/lower_tile_cpu.c); the module then lowers to LLVM with upstream
 * passes only (codegen/pipeline_cpu.c lists them). */
#include <stdio.h>

#include "lower_tile_cpu.h"
#include "registry.h"

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  if (!lower_tile_cpu(op))
    mlirExternalPassSignalFailure(pass);
}

static void construct(void *user) {}
static void destruct(void *user) {}
static void *clone(void *user) { return user; }

MlirPass sattn_create_lower_cpu_pass(const char *text, char *err, size_t errlen) {
  static MlirTypeID id;
  if (!pass_parse_options("sattn-lower-cpu", text, NULL, 0, err, errlen))
    return (MlirPass){NULL};
  if (!id.ptr)
    id = sattn_pass_type_id();
  MlirExternalPassCallbacks cb = {construct, destruct, NULL, clone, run};
  return mlirCreateExternalPass(
      id, mlirStringRefCreateFromCString("SattnLowerCpu"),
      mlirStringRefCreateFromCString("sattn-lower-cpu"),
      mlirStringRefCreateFromCString("sattn tile ops to CPU loops"),
      mlirStringRefCreateFromCString("builtin.module"), 0, NULL, cb, NULL);
}
