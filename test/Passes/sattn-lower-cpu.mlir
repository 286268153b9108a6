// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=block-q=8 | FileCheck %s --check-prefix=BQ8
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu | sattn-opt --split-input-file --pass-pipeline='builtin.module(func.func(arith-expand{include-bf16=true}),convert-scf-to-cf,expand-strided-metadata,lower-affine,finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' | FileCheck %s --check-prefix=LLVM

/// A causal f32 kernel becomes @causal_item: work item -> (b, h, tile),
/// a row loop over the tile, a key loop carrying (max, sum), the online
/// softmax update, and the sattn-level functions are gone.
// CHECK-LABEL: func.func @causal_item(
// CHECK-SAME: memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[BQ:.*]] = arith.constant 32 : index
// CHECK: arith.ceildivui %{{.*}}, %[[BQ]]
// CHECK: scf.for
// CHECK: %[[KEYS:.*]]:2 = scf.for {{.*}} iter_args
// CHECK: arith.cmpi sle
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: math.log
// CHECK-NOT: sattn.
// BQ8-LABEL: func.func @causal_item(
// BQ8: arith.constant 8 : index
// LLVM-LABEL: llvm.func @causal_item(
// LLVM-NOT: scf.for
// LLVM: llvm.func @_mlir_ciface_causal_item(
func.func @causal(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %1 : tensor<?x?x?x16xf32>
}
func.func @pattern.unused() -> !sattn.mask attributes {sattn.pattern} {
  %0 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// bf16 inputs are widened to f32 for the arithmetic and the output is
/// narrowed back; the scale is folded in as a constant.
// CHECK-LABEL: func.func @window_bf16_item(
// CHECK-SAME: memref<?x?x?x?xbf16
// CHECK: arith.constant 1.250000e-01 : f32
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: arith.truncf {{.*}} : f32 to bf16
// LLVM-LABEL: llvm.func @window_bf16_item(
func.func @window_bf16(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x64xbf16>) -> tensor<?x?x?x64xbf16> attributes {sattn.kernel} {
  %0 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f64} : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, !sattn.mask) -> tensor<?x?x?x64xbf16>
  return %1 : tensor<?x?x?x64xbf16>
}

// -----

/// Random blocks call the runtime's generator, declared once.
// CHECK-LABEL: func.func private @sattn_rt_random_member(i64, i64, i64, i64, i64, i64) -> i8
// CHECK-NOT: func.func private @sattn_rt_random_member
// CHECK-LABEL: func.func @bigbird_item(
// CHECK: call @sattn_rt_random_member
// CHECK-LABEL: func.func @bigbird2_item(
func.func @bigbird(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.random"() {block = 8 : i64, count = 2 : i64, per_head = false, seed = 7 : i64} : () -> !sattn.mask
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %1 : tensor<?x?x?x16xf32>
}
func.func @bigbird2(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.random"() {block = 8 : i64, count = 1 : i64, per_head = true, seed = 9 : i64} : () -> !sattn.mask
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %1 : tensor<?x?x?x16xf32>
}

// -----

/// Head groups: each group's predicate, chosen by the head.
// CHECK-LABEL: func.func @groups_item(
// CHECK: arith.cmpi sge
// CHECK: arith.select
func.func @groups(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.stride"() {stride = 4 : i64} : () -> !sattn.mask
  %2 = "sattn.attention"(%q, %k, %v, %0, %1) {groups = array<i64: 0, 2, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %2 : tensor<?x?x?x16xf32>
}
