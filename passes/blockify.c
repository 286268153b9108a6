/* sattn-blockify{block-q=N block-k=N}: each sattn.attention becomes a
 * sattn.blocked_attention with a closed-form schedule per head group
 * (codegen/blockify.c). Values are checked first (sattn-verify). */
#include <stdio.h>
#include <stdlib.h>

#include "blockify.h"
#include "kernel_cpu.h"
#include "registry.h"

typedef struct options {
  int64_t block_q, block_k;
} options;

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  options *o = user;
  if (!sattn_verify_values(op) || !blockify(op, o->block_q, o->block_k))
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

MlirPass sattn_create_blockify_pass(const char *text, char *err, size_t errlen) {
  static MlirTypeID id;
  options parsed = {KERNEL_CPU_BLOCK_Q, KERNEL_CPU_BLOCK_K};
  pass_option specs[] = {{"block-q", &parsed.block_q, 1, 4096},
                         {"block-k", &parsed.block_k, 1, 4096}};
  if (!pass_parse_options("sattn-blockify", text, specs, 2, err, errlen))
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
      id, mlirStringRefCreateFromCString("SattnBlockify"),
      mlirStringRefCreateFromCString("sattn-blockify"),
      mlirStringRefCreateFromCString("sattn.attention to a closed-form block schedule"),
      mlirStringRefCreateFromCString("builtin.module"), 0, NULL, cb, o);
}
