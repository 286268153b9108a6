// attention: q, k, v tensors, one mask per head group, an optional lse
// result. Each form, written generically, parses, prints back identically,
// re-parses, and loads in upstream mlir-opt from the IRDL file alone.
//
// RUN: sattn-opt %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file | sattn-opt - --split-input-file | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file -o %t.once
// RUN: sattn-opt %t.once --split-input-file -o %t.twice
// RUN: diff %t.once %t.twice
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t.upstream
// RUN: diff %t.once %t.upstream

/// One mask for every head, f32, one result.
// CHECK-LABEL: func.func @attention_one_group(
// CHECK-SAME: %[[Q:.*]]: tensor<2x8x1024x64xf32>, %[[K:.*]]: tensor<2x8x1024x64xf32>, %[[V:.*]]: tensor<2x8x1024x64xf32>)
// CHECK-NEXT: %[[MASK:.*]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[OUT:.*]] = "sattn.attention"(%[[Q]], %[[K]], %[[V]], %[[MASK]]) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<2x8x1024x64xf32>, tensor<2x8x1024x64xf32>, tensor<2x8x1024x64xf32>, !sattn.mask) -> tensor<2x8x1024x64xf32>
// CHECK-NEXT: return %[[OUT]] : tensor<2x8x1024x64xf32>
func.func @attention_one_group(%q: tensor<2x8x1024x64xf32>, %k: tensor<2x8x1024x64xf32>, %v: tensor<2x8x1024x64xf32>) -> tensor<2x8x1024x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<2x8x1024x64xf32>, tensor<2x8x1024x64xf32>, tensor<2x8x1024x64xf32>, !sattn.mask) -> tensor<2x8x1024x64xf32>
  return %0 : tensor<2x8x1024x64xf32>
}

// -----

/// The optional second result, the log-sum-exp, prints as a second result.
// CHECK-LABEL: func.func @attention_with_lse(
// CHECK: %[[OUT:.*]]:2 = "sattn.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x256x64xf32>, tensor<1x4x256x64xf32>, tensor<1x4x256x64xf32>, !sattn.mask) -> (tensor<1x4x256x64xf32>, tensor<1x4x256xf32>)
// CHECK-NEXT: return %[[OUT]]#0, %[[OUT]]#1 : tensor<1x4x256x64xf32>, tensor<1x4x256xf32>
func.func @attention_with_lse(%q: tensor<1x4x256x64xf32>, %k: tensor<1x4x256x64xf32>, %v: tensor<1x4x256x64xf32>) -> (tensor<1x4x256x64xf32>, tensor<1x4x256xf32>) {
  %m = "sattn.full"() : () -> !sattn.mask
  %0:2 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x256x64xf32>, tensor<1x4x256x64xf32>, tensor<1x4x256x64xf32>, !sattn.mask) -> (tensor<1x4x256x64xf32>, tensor<1x4x256xf32>)
  return %0#0, %0#1 : tensor<1x4x256x64xf32>, tensor<1x4x256xf32>
}

// -----

/// Two head groups: two masks, groups = first head of each, then the end.
// CHECK-LABEL: func.func @attention_two_groups(
// CHECK-NEXT: %[[LOCAL:.*]] = "sattn.window"
// CHECK-NEXT: %[[GLOBAL:.*]] = "sattn.full"
// CHECK-NEXT: "sattn.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %[[LOCAL]], %[[GLOBAL]]) {groups = array<i64: 0, 6, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x512x64xf16>, tensor<1x8x512x64xf16>, tensor<1x8x512x64xf16>, !sattn.mask, !sattn.mask) -> tensor<1x8x512x64xf16>
func.func @attention_two_groups(%q: tensor<1x8x512x64xf16>, %k: tensor<1x8x512x64xf16>, %v: tensor<1x8x512x64xf16>) -> tensor<1x8x512x64xf16> {
  %m0 = "sattn.window"() {left = 64 : i64, right = 64 : i64} : () -> !sattn.mask
  %m1 = "sattn.full"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1) {groups = array<i64: 0, 6, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x512x64xf16>, tensor<1x8x512x64xf16>, tensor<1x8x512x64xf16>, !sattn.mask, !sattn.mask) -> tensor<1x8x512x64xf16>
  return %0 : tensor<1x8x512x64xf16>
}

// -----

/// bf16 operands and dynamic batch, heads and lengths, as sattnc emits them
/// (scale as f64).
// CHECK-LABEL: func.func @attention_dynamic_bf16(
// CHECK: "sattn.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {groups = array<i64: 0, -1>, scale = 6.250000e-02 : f64} : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, !sattn.mask) -> tensor<?x?x?x128xbf16>
func.func @attention_dynamic_bf16(%q: tensor<?x?x?x128xbf16>, %k: tensor<?x?x?x128xbf16>, %v: tensor<?x?x?x128xbf16>) -> tensor<?x?x?x128xbf16> {
  %m = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 6.250000e-02 : f64} : (tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?x128xbf16>, !sattn.mask) -> tensor<?x?x?x128xbf16>
  return %0 : tensor<?x?x?x128xbf16>
}

// -----

/// Grouped-query shapes: k and v with fewer heads than q.
// CHECK-LABEL: func.func @attention_gqa(
// CHECK: "sattn.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x32x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x32x128x64xf32>
func.func @attention_gqa(%q: tensor<1x32x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x32x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x32x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x32x128x64xf32>
  return %0 : tensor<1x32x128x64xf32>
}
