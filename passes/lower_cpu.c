/* sattn-lower-cpu{block-q=N}: each sattn kernel (func.func marked
 * sattn.kernel) becomes its CPU item function @NAME_item in scf, memref,
 * arith and math (codegen/kernel_cpu.c); the sattn-level functions (kernels
 * and named patterns) are removed, so that the module lowers to LLVM with
 * upstream passes only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_cpu.h"
#include "mlir-c/BuiltinAttributes.h"
#include "ops.h"
#include "registry.h"

typedef struct options {
  int64_t block_q;
} options;

static bool has_attr(MlirOperation op, const char *name) {
  return !mlirAttributeIsNull(
      mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString(name)));
}

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  options *o = user;
  MlirContext ctx = mlirOperationGetContext(op);
  MlirModule m = mlirModuleFromOperation(op);
  MlirBlock body = mlirModuleGetBody(m);
  /* Collect first: building appends functions to the same module. */
  size_t n = 0, cap = 16;
  MlirOperation *sattn_funcs = malloc(cap * sizeof *sattn_funcs);
  bool ok = sattn_funcs != NULL;
  for (MlirOperation f = mlirBlockGetFirstOperation(body); ok && !mlirOperationIsNull(f);
       f = mlirOperationGetNextInBlock(f)) {
    if (!has_attr(f, SATTN_ATTR_KERNEL) && !has_attr(f, SATTN_ATTR_PATTERN))
      continue;
    if (n == cap) {
      MlirOperation *grown = realloc(sattn_funcs, 2 * cap * sizeof *grown);
      if (!grown) {
        ok = false;
        break;
      }
      sattn_funcs = grown;
      cap *= 2;
    }
    sattn_funcs[n++] = f;
  }
  for (size_t i = 0; ok && i < n; i++) {
    if (!has_attr(sattn_funcs[i], SATTN_ATTR_KERNEL))
      continue;
    MlirAttribute sym = mlirOperationGetAttributeByName(
        sattn_funcs[i], mlirStringRefCreateFromCString("sym_name"));
    MlirStringRef s = mlirStringAttrGetValue(sym);
    char name[300];
    snprintf(name, sizeof name, "%.*s", (int)s.length, s.data);
    ok = kernel_cpu_build(ctx, m, sattn_funcs[i], name, o->block_q, NULL);
  }
  for (size_t i = 0; ok && i < n; i++) {
    mlirOperationRemoveFromParent(sattn_funcs[i]);
    mlirOperationDestroy(sattn_funcs[i]);
  }
  free(sattn_funcs);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

static void construct(void *user) {}
static void destruct(void *user) { free(user); }
static void *clone(void *user) {
  options *o = malloc(sizeof *o);
  if (o)
    *o = *(options *)user;
  return o;
}

MlirPass sattn_create_lower_cpu_pass(const char *text, char *err, size_t errlen) {
  static MlirTypeID id;
  options parsed = {KERNEL_CPU_BLOCK_Q};
  pass_option specs[] = {{"block-q", &parsed.block_q, 1, 4096}};
  if (!pass_parse_options("sattn-lower-cpu", text, specs, 1, err, errlen))
    return (MlirPass){NULL};
  options *o = malloc(sizeof *o);
  if (!o) {
    snprintf(err, errlen, "out of memory");
    return (MlirPass){NULL};
  }
  *o = parsed;
  if (!id.ptr)
    id = sattn_pass_type_id();
  MlirExternalPassCallbacks cb = {construct, destruct, NULL, clone, run};
  return mlirCreateExternalPass(
      id, mlirStringRefCreateFromCString("SattnLowerCpu"),
      mlirStringRefCreateFromCString("sattn-lower-cpu"),
      mlirStringRefCreateFromCString("sattn kernels to CPU item functions"),
      mlirStringRefCreateFromCString("builtin.module"), 0, NULL, cb, o);
}
