/* The IR builders and inspectors of dialect/build.h: each op is built by its
 * helper, the module verifies (IRDL + sattn-verify), and the printed IR and
 * what the inspectors read back are checked by FileCheck.
 *
 * RUN: %test_bin/capi_builders 2>&1 | FileCheck %s
 */
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "context.h"
#include "lang.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "ops.h"

static void print(MlirStringRef s, void *user) { fwrite(s.data, 1, s.length, stdout); }

/* A func.func @name() -> !sattn.mask with an empty entry block. */
static MlirBlock new_func(MlirContext ctx, MlirModule m, const char *name) {
  MlirType mask = sattn_mask_type(ctx);
  MlirType fty = mlirFunctionTypeGet(ctx, 0, NULL, 1, &mask);
  MlirNamedAttribute attrs[] = {
      mlirNamedAttributeGet(mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("sym_name")),
                            mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(name))),
      mlirNamedAttributeGet(mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("function_type")),
                            mlirTypeAttrGet(fty)),
  };
  MlirBlock entry = mlirBlockCreate(0, NULL, NULL);
  MlirRegion body = mlirRegionCreate();
  mlirRegionAppendOwnedBlock(body, entry);
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("func.func"), mlirLocationUnknownGet(ctx));
  mlirOperationStateAddAttributes(&st, 2, attrs);
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), mlirOperationCreate(&st));
  return entry;
}

static void ret(MlirContext ctx, MlirBlock b, MlirValue v) {
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("func.return"), mlirLocationUnknownGet(ctx));
  mlirOperationStateAddOperands(&st, 1, &v);
  mlirBlockAppendOwnedOperation(b, mlirOperationCreate(&st));
}

static void describe(MlirValue v) {
  MlirOperation op = mlirOpResultGetOwner(v);
  sattn_op_kind k = sattn_op_get_kind(op);
  printf("kind %s dynamic %d", sattn_op_kind_name(k), sattn_op_is_dynamic(op));
  static const char *const ints[] = {"left", "right", "width", "block", "radius",
                                     "dilation", "stride", "count", "seed", "k",
                                     "input"};
  for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
    int64_t x;
    if (sattn_get_int_attr(op, ints[i], &x))
      printf(" %s=%lld", ints[i], (long long)x);
  }
  MlirStringRef s;
  if (sattn_get_string_attr(op, "score", &s))
    printf(" score=%.*s", (int)s.length, s.data);
  int64_t r[8];
  intptr_t n = sattn_get_i64_array(op, "ranges", r, 8);
  for (intptr_t i = 0; i < n; i++)
    printf("%s%lld", i ? "," : " ranges=", (long long)r[i]);
  printf("\n");
}

int main(void) {
  MlirContext ctx = sattn_context_create();
  if (mlirContextIsNull(ctx))
    return 1;
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  MlirModule m = mlirModuleCreateEmpty(loc);

  // CHECK-LABEL: terms
  printf("terms\n");
  MlirBlock b = new_func(ctx, m, "terms");
  sattn_builder bd = sattn_builder_at_end(b);
  MlirValue w = sattn_build_window(&bd, loc, 256, 128);
  // CHECK-NEXT: kind sattn.window dynamic 0 left=256 right=128
  describe(w);
  MlirValue l = sattn_build_local(&bd, loc, 1, 64);
  // CHECK-NEXT: kind sattn.local dynamic 0 width=1 block=64
  describe(l);
  MlirValue d = sattn_build_dilated(&bd, loc, 128, 4);
  // CHECK-NEXT: kind sattn.dilated dynamic 0 radius=128 dilation=4
  describe(d);
  MlirValue s = sattn_build_stride(&bd, loc, 64);
  // CHECK-NEXT: kind sattn.stride dynamic 0 stride=64
  describe(s);
  MlirValue su = sattn_build_summary(&bd, loc, 128, 8);
  // CHECK-NEXT: kind sattn.summary dynamic 0 stride=128 count=8
  describe(su);
  int64_t ranges[] = {0, 1, 5, 9};
  MlirValue g = sattn_build_global(&bd, loc, ranges, 2);
  // CHECK-NEXT: kind sattn.global dynamic 0 ranges=0,1,5,9
  describe(g);
  MlirValue rnd = sattn_build_random(&bd, loc, 3, 64, 0xFFFFFFFFFFFFFFFFull, true);
  // CHECK-NEXT: kind sattn.random dynamic 0 block=64 count=3 seed=-1
  describe(rnd);
  MlirValue f = sattn_build_full(&bd, loc);
  // CHECK-NEXT: kind sattn.full dynamic 0
  describe(f);
  MlirValue c = sattn_build_causal(&bd, loc);
  MlirValue among = sattn_build_difference(&bd, loc, c, l);
  // CHECK-NEXT: kind sattn.difference dynamic 0
  describe(among);
  MlirValue t = sattn_build_topk(&bd, loc, among, 8, 64, "meankey", -1);
  // CHECK-NEXT: kind sattn.topk dynamic 1 block=64 k=8 input=-1 score=meankey
  describe(t);
  MlirValue bl = sattn_build_blocks(&bd, loc, 128, 0);
  // CHECK-NEXT: kind sattn.blocks dynamic 1 block=128 input=0
  describe(bl);
  MlirValue sm = sattn_build_same(&bd, loc, 1);
  // CHECK-NEXT: kind sattn.same dynamic 1 input=1
  describe(sm);
  MlirValue parts[] = {w, g, rnd, t};
  MlirValue u = sattn_build_union(&bd, loc, parts, 4);
  // CHECK-NEXT: kind sattn.union dynamic 0
  describe(u);
  MlirValue both[] = {u, d, s, su, bl, sm, f};
  MlirValue in = sattn_build_intersect(&bd, loc, both, 7);
  // CHECK-NEXT: kind sattn.intersect dynamic 0
  describe(in);
  ret(ctx, b, in);

  // CHECK-LABEL: not sattn
  printf("not sattn\n");
  // CHECK-NEXT: kind none dynamic 0
  const char *kn = sattn_op_kind_name(sattn_op_get_kind(mlirModuleGetOperation(m)));
  printf("kind %s dynamic %d\n", kn ? kn : "none",
         sattn_op_is_dynamic(mlirModuleGetOperation(m)));

  // CHECK-LABEL: verified 1
  printf("verified %d\n", lang_verify(ctx, m));
  // CHECK-LABEL: func.func @terms
  // CHECK: %[[W:.*]] = "sattn.window"() {left = 256 : i64, right = 128 : i64}
  // CHECK: "sattn.random"() {block = 64 : i64, count = 3 : i64, per_head = true, seed = -1 : i64}
  // CHECK: %[[T:.*]] = "sattn.topk"(%{{.*}}) {block = 64 : i64, input = -1 : i64, k = 8 : i64, score = "meankey"}
  // CHECK: "sattn.union"(%[[W]], %{{.*}}, %{{.*}}, %[[T]]) : (!sattn.mask, !sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  mlirOperationPrint(mlirModuleGetOperation(m), print, NULL);
  printf("\n");
  mlirModuleDestroy(m);
  mlirContextDestroy(ctx);
  return 0;
}
