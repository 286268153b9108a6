/* sattn-lower-cpu{lanes=8|16 amx=0|1 bf16dot=0|1}: the tile ops of the item functions
 * (sattn-tile's output) become scf, vector, memref, arith and math for the
 * CPU (codegen/lower_tile_cpu.c), with micro-kernels for `lanes` f32 lanes
 * per vector (16: AVX-512, the default, so the output does not depend on
 * the machine; 8: AVX2; amx=1: bf16 QK^T on Intel AMX tiles; bf16dot=1:
 * bf16 QK^T and PV on vdpbf16ps). The drivers use the host's width, AMX
 * when it has it, and bf16dot on AMD Zen (cpu_target_host). The module then
 * lowers to LLVM with upstream passes only (codegen/pipeline_cpu.c). */
#include <stdio.h>
#include <stdlib.h>

#include "lower_tile_cpu.h"
#include "registry.h"

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  if (!lower_tile_cpu(op, *(cpu_target *)user))
    mlirExternalPassSignalFailure(pass);
}

static void construct(void *user) {}
static void destruct(void *user) { free(user); }
static void *clone(void *user) {
  cpu_target *t = malloc(sizeof *t);
  if (t)
    *t = *(cpu_target *)user;
  return t;
}

MlirPass sattn_create_lower_cpu_pass(const char *text, char *err, size_t errlen) {
  static MlirTypeID id;
  int64_t lanes = 16, amx = 0, bf16dot = 0;
  pass_option specs[] = {{"lanes", &lanes, 8, 16}, {"amx", &amx, 0, 1}, {"bf16dot", &bf16dot, 0, 1}};
  if (!pass_parse_options("sattn-lower-cpu", text, specs, 3, err, errlen))
    return (MlirPass){NULL};
  if (amx && lanes != 16) {
    snprintf(err, errlen, "sattn-lower-cpu: amx=1 needs lanes=16 (AMX CPUs have AVX-512)");
    return (MlirPass){NULL};
  }
  if (bf16dot && lanes != 16) {
    snprintf(err, errlen, "sattn-lower-cpu: bf16dot=1 needs lanes=16 (vdpbf16ps is AVX-512)");
    return (MlirPass){NULL};
  }
  if (bf16dot && amx) {
    snprintf(err, errlen, "sattn-lower-cpu: amx=1 and bf16dot=1 exclude each other "
                          "(the bf16 step takes QK^T from one of them)");
    return (MlirPass){NULL};
  }
  if (lanes != 8 && lanes != 16) {
    snprintf(err, errlen, "sattn-lower-cpu: lanes must be 8 (AVX2) or 16 (AVX-512), not %lld",
             (long long)lanes);
    return (MlirPass){NULL};
  }
  cpu_target *t = malloc(sizeof *t);
  if (!t) {
    snprintf(err, errlen, "out of memory");
    return (MlirPass){NULL};
  }
  *t = cpu_target_for_lanes(lanes);
  t->amx = amx;
  t->bf16dot = bf16dot;
  if (!id.ptr)
    id = sattn_pass_type_id();
  MlirExternalPassCallbacks cb = {construct, destruct, NULL, clone, run};
  return mlirCreateExternalPass(
      id, mlirStringRefCreateFromCString("SattnLowerCpu"),
      mlirStringRefCreateFromCString("sattn-lower-cpu"),
      mlirStringRefCreateFromCString("sattn tile ops to CPU loops"),
      mlirStringRefCreateFromCString("builtin.module"), 0, NULL, cb, t);
}
