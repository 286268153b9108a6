/* sattn-simplify{check-len=N}: the pattern algebra on each
 * sattn.attention's masks, then a warning for rows left empty
 * (codegen/simplify.c). Values are checked first (sattn-verify). */
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "simplify.h"

typedef struct options {
  int64_t check_len;
} options;

static void run(MlirOperation op, MlirExternalPass pass, void *user) {
  options *o = user;
  if (!sattn_verify_values(op) || !simplify_masks(op, o->check_len))
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

MlirPass sattn_create_simplify_pass(const char *text, char *err, size_t errlen) {
  static MlirTypeID id;
  options parsed = {1024};
  pass_option specs[] = {{"check-len", &parsed.check_len, 0, 65536}};
  if (!pass_parse_options("sattn-simplify", text, specs, 1, err, errlen))
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
      id, mlirStringRefCreateFromCString("SattnSimplify"),
      mlirStringRefCreateFromCString("sattn-simplify"),
      mlirStringRefCreateFromCString("the pattern algebra on attention masks"),
      mlirStringRefCreateFromCString("builtin.module"), 0, NULL, cb, o);
}
