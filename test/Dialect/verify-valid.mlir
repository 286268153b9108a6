// sattn-verify accepts valid ops, including every boundary value of the
// value rules: it prints the input back and reports nothing.
//
// RUN: sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics

/// window(0, 0) (the diagonal) is valid: 0 is allowed for left and right.
// CHECK-LABEL: func.func @window_zero_width()
// CHECK-NEXT: "sattn.window"() {left = 0 : i64, right = 0 : i64}
func.func @window_zero_width() -> !sattn.mask {
  %0 = "sattn.window"() {left = 0 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Sizes up to 2^40 inclusive are valid.
// CHECK-LABEL: func.func @window_at_limit()
// CHECK-NEXT: "sattn.window"() {left = 1099511627776 : i64, right = 1099511627776 : i64}
func.func @window_at_limit() -> !sattn.mask {
  %0 = "sattn.window"() {left = 1099511627776 : i64, right = 1099511627776 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// local over blocks of 1 and of 2^20 (the bounds of block) is valid.
// CHECK-LABEL: func.func @local_block_bounds()
// CHECK-NEXT: "sattn.local"() {block = 1 : i64, width = 0 : i64}
// CHECK-NEXT: "sattn.local"() {block = 1048576 : i64, width = 2 : i64}
func.func @local_block_bounds() -> !sattn.mask {
  %0 = "sattn.local"() {block = 1 : i64, width = 0 : i64} : () -> !sattn.mask
  %1 = "sattn.local"() {block = 1048576 : i64, width = 2 : i64} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// radius * dilation equal to 2^40 is valid; radius 0 is valid.
// CHECK-LABEL: func.func @dilated_product_at_limit()
// CHECK-NEXT: "sattn.dilated"() {dilation = 2 : i64, radius = 549755813888 : i64}
// CHECK-NEXT: "sattn.dilated"() {dilation = 3 : i64, radius = 0 : i64}
func.func @dilated_product_at_limit() -> !sattn.mask {
  %0 = "sattn.dilated"() {dilation = 2 : i64, radius = 549755813888 : i64} : () -> !sattn.mask
  %1 = "sattn.dilated"() {dilation = 3 : i64, radius = 0 : i64} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// summary with count == stride (every key) is valid, as is stride 1.
// CHECK-LABEL: func.func @summary_count_equals_stride()
// CHECK-NEXT: "sattn.summary"() {count = 4 : i64, stride = 4 : i64}
// CHECK-NEXT: "sattn.stride"() {stride = 1 : i64}
func.func @summary_count_equals_stride() -> !sattn.mask {
  %0 = "sattn.summary"() {count = 4 : i64, stride = 4 : i64} : () -> !sattn.mask
  %1 = "sattn.stride"() {stride = 1 : i64} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// Ranges separated by a gap of one position, ending at 2^40, are valid.
// CHECK-LABEL: func.func @global_gap_of_one()
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 0, 1, 2, 3, 1099511627775, 1099511627776>}
func.func @global_gap_of_one() -> !sattn.mask {
  %0 = "sattn.global"() {ranges = array<i64: 0, 1, 2, 3, 1099511627775, 1099511627776>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// random with a negative seed (a 64-bit pattern), per head, is valid.
// CHECK-LABEL: func.func @random_negative_seed()
// CHECK-NEXT: "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = true, seed = -1 : i64}
func.func @random_negative_seed() -> !sattn.mask {
  %0 = "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = true, seed = -1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk by mean key over a static difference of static terms is valid.
// CHECK-LABEL: func.func @topk_meankey_over_difference()
// CHECK: "sattn.topk"(%{{.*}}) {block = 64 : i64, input = -1 : i64, k = 8 : i64, score = "meankey"}
func.func @topk_meankey_over_difference() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.window"() {left = 63 : i64, right = 0 : i64} : () -> !sattn.mask
  %2 = "sattn.difference"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.topk"(%2) {block = 64 : i64, input = -1 : i64, k = 8 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  %4 = "sattn.union"(%1, %3) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %4 : !sattn.mask
}

// -----

/// topk by a caller score (input 0) over a static DAG that uses one value twice is valid.
// CHECK-LABEL: func.func @topk_input_over_shared_static()
// CHECK: "sattn.topk"(%{{.*}}) {block = 128 : i64, input = 0 : i64, k = 1 : i64, score = "input"}
func.func @topk_input_over_shared_static() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.union"(%0, %0) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %2 = "sattn.intersect"(%1, %0, %1) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.topk"(%2) {block = 128 : i64, input = 0 : i64, k = 1 : i64, score = "input"} : (!sattn.mask) -> !sattn.mask
  return %3 : !sattn.mask
}

// -----

/// blocks and same with input 0 are valid, and may be combined with a topk (outside its among).
// CHECK-LABEL: func.func @dynamic_terms_outside_among()
// CHECK-NEXT: "sattn.blocks"() {block = 64 : i64, input = 0 : i64}
// CHECK-NEXT: "sattn.same"() {input = 0 : i64}
func.func @dynamic_terms_outside_among() -> !sattn.mask {
  %0 = "sattn.blocks"() {block = 64 : i64, input = 0 : i64} : () -> !sattn.mask
  %1 = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  %2 = "sattn.causal"() : () -> !sattn.mask
  %3 = "sattn.topk"(%2) {block = 64 : i64, input = -1 : i64, k = 2 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  %4 = "sattn.union"(%0, %1, %3) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  return %4 : !sattn.mask
}

// -----

/// head_dim 80 (a multiple of 16 that is not a power of two) is valid.
// CHECK-LABEL: func.func @attention_head_dim_80(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x80xf32>, tensor<1x8x128x80xf32>, tensor<1x8x128x80xf32>, !sattn.mask) -> tensor<1x8x128x80xf32>
func.func @attention_head_dim_80(%q: tensor<1x8x128x80xf32>, %k: tensor<1x8x128x80xf32>, %v: tensor<1x8x128x80xf32>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x80xf32>, tensor<1x8x128x80xf32>, tensor<1x8x128x80xf32>, !sattn.mask) -> tensor<1x8x128x80xf32>
  return
}

// -----

/// head_dim 16, the smallest, in f16 is valid.
// CHECK-LABEL: func.func @attention_head_dim_bounds_f16(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x16xf16>, tensor<1x8x128x16xf16>, tensor<1x8x128x16xf16>, !sattn.mask) -> tensor<1x8x128x16xf16>
func.func @attention_head_dim_bounds_f16(%q: tensor<1x8x128x16xf16>, %k: tensor<1x8x128x16xf16>, %v: tensor<1x8x128x16xf16>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x16xf16>, tensor<1x8x128x16xf16>, tensor<1x8x128x16xf16>, !sattn.mask) -> tensor<1x8x128x16xf16>
  return
}

// -----

/// head_dim 256, the largest, in bf16 is valid.
// CHECK-LABEL: func.func @attention_head_dim_256_bf16(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x256xbf16>, tensor<1x8x128x256xbf16>, tensor<1x8x128x256xbf16>, !sattn.mask) -> tensor<1x8x128x256xbf16>
func.func @attention_head_dim_256_bf16(%q: tensor<1x8x128x256xbf16>, %k: tensor<1x8x128x256xbf16>, %v: tensor<1x8x128x256xbf16>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x256xbf16>, tensor<1x8x128x256xbf16>, tensor<1x8x128x256xbf16>, !sattn.mask) -> tensor<1x8x128x256xbf16>
  return
}

// -----

/// Two head groups, [0, 4) and [4, open), with one mask each, are valid.
// CHECK-LABEL: func.func @attention_two_head_groups(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, 4, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
func.func @attention_two_head_groups(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1) {groups = array<i64: 0, 4, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
  return
}

// -----

/// Closed groups [0, 2), [2, 8) are valid.
// CHECK-LABEL: func.func @attention_closed_groups(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, 2, 8>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
func.func @attention_closed_groups(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1) {groups = array<i64: 0, 2, 8>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
  return
}

// -----

/// An f32 lse result of rank 3 is valid (also for f16 operands).
// CHECK-LABEL: func.func @attention_with_lse(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf16>, tensor<1x8x128x64xf16>, tensor<1x8x128x64xf16>, !sattn.mask) -> (tensor<1x8x128x64xf16>, tensor<1x8x128xf32>)
func.func @attention_with_lse(%q: tensor<1x8x128x64xf16>, %k: tensor<1x8x128x64xf16>, %v: tensor<1x8x128x64xf16>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %0:2 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf16>, tensor<1x8x128x64xf16>, tensor<1x8x128x64xf16>, !sattn.mask) -> (tensor<1x8x128x64xf16>, tensor<1x8x128xf32>)
  return
}

// -----

/// Dynamic batch, heads and lengths with a static head_dim are valid, with an f64 scale.
// CHECK-LABEL: func.func @attention_dynamic_shape(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f64} : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, !sattn.mask) -> tensor<?x?x?x64xf32>
func.func @attention_dynamic_shape(%q: tensor<?x?x?x64xf32>, %k: tensor<?x?x?x64xf32>, %v: tensor<?x?x?x64xf32>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f64} : (tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, tensor<?x?x?x64xf32>, !sattn.mask) -> tensor<?x?x?x64xf32>
  return
}

// -----

/// k and v with fewer heads than q (grouped queries) are valid.
// CHECK-LABEL: func.func @attention_gqa_shapes(
// CHECK: "sattn.attention"({{.*}}) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x32x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x32x128x64xf32>
func.func @attention_gqa_shapes(%q: tensor<1x32x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x32x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x32x128x64xf32>
  return
}
