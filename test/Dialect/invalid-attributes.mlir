// Structural attribute errors that the IRDL declaration itself catches:
// the same diagnostics from our tool and from upstream mlir-opt loading only
// the IRDL file.
//
// RUN: sattn-opt %s --split-input-file --verify-diagnostics
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file 2>&1 | FileCheck %s

/// Every attribute is required: a window without `right` is rejected.
// CHECK-LABEL: error: 'sattn.window' op attribute "right" is expected but not provided
// CHECK-NEXT: "sattn.window"() {left = 4 : i64}
func.func @dont_window_missing_right() -> !sattn.mask {
  // expected-error@+1 {{'sattn.window' op attribute "right" is expected but not provided}}
  %0 = "sattn.window"() {left = 4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A topk without `input` is rejected (meankey does not make it optional).
// CHECK-LABEL: error: 'sattn.topk' op attribute "input" is expected but not provided
// CHECK-NEXT: "sattn.topk"(%{{.*}}) {block = 64 : i64, k = 2 : i64, score = "meankey"}
func.func @dont_topk_missing_input() -> !sattn.mask {
  %a = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op attribute "input" is expected but not provided}}
  %0 = "sattn.topk"(%a) {block = 64 : i64, k = 2 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A string where an integer is required.
// CHECK-LABEL: error: expected base attribute 'builtin.integer' but got 'builtin.string'
// CHECK-NEXT: "sattn.stride"() {stride = "64"}
func.func @dont_stride_string() -> !sattn.mask {
  // expected-error@+1 {{expected base attribute 'builtin.integer' but got 'builtin.string'}}
  %0 = "sattn.stride"() {stride = "64"} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A float where an integer is required.
// CHECK-LABEL: error: expected base attribute 'builtin.integer' but got 'builtin.float'
// CHECK-NEXT: "sattn.local"() {block = 6.400000e+01 : f32, width = 1 : i64}
func.func @dont_local_float_block() -> !sattn.mask {
  // expected-error@+1 {{expected base attribute 'builtin.integer' but got 'builtin.float'}}
  %0 = "sattn.local"() {block = 6.400000e+01 : f32, width = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// per_head must be the bool true or false, not the integer 1.
// CHECK-LABEL: error: '1 : i64' does not satisfy the constraint
// CHECK-NEXT: "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = 1 : i64, seed = 0 : i64}
func.func @dont_random_per_head_integer() -> !sattn.mask {
  // expected-error@+1 {{'1 : i64' does not satisfy the constraint}}
  %0 = "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = 1 : i64, seed = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// per_head must be a bool, not the string "true".
// CHECK-LABEL: error: '"true"' does not satisfy the constraint
// CHECK-NEXT: "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = "true", seed = 0 : i64}
func.func @dont_random_per_head_string() -> !sattn.mask {
  // expected-error@+1 {{'"true"' does not satisfy the constraint}}
  %0 = "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = "true", seed = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// score is "meankey" or "input", nothing else.
// CHECK-LABEL: error: '"max"' does not satisfy the constraint
// CHECK-NEXT: "sattn.topk"(%{{.*}}) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "max"}
func.func @dont_topk_score_unknown() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'"max"' does not satisfy the constraint}}
  %0 = "sattn.topk"(%a) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "max"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The score names are case-sensitive.
// CHECK-LABEL: error: '"MeanKey"' does not satisfy the constraint
func.func @dont_topk_score_case() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'"MeanKey"' does not satisfy the constraint}}
  %0 = "sattn.topk"(%a) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "MeanKey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// global ranges must be a dense array, not an ArrayAttr of integers.
// CHECK-LABEL: error: expected base attribute 'builtin.dense_array' but got 'builtin.array'
// CHECK-NEXT: "sattn.global"() {ranges = [0, 1]}
func.func @dont_global_array_attr() -> !sattn.mask {
  // expected-error@+1 {{expected base attribute 'builtin.dense_array' but got 'builtin.array'}}
  %0 = "sattn.global"() {ranges = [0, 1]} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// attention needs `scale` as a float attribute, not an integer.
// CHECK-LABEL: error: expected base attribute 'builtin.float' but got 'builtin.integer'
func.func @dont_attention_integer_scale(%q: tensor<1x1x16x64xf32>) -> tensor<1x1x16x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{expected base attribute 'builtin.float' but got 'builtin.integer'}}
  %0 = "sattn.attention"(%q, %q, %q, %m) {groups = array<i64: 0, -1>, scale = 1 : i64} : (tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, !sattn.mask) -> tensor<1x1x16x64xf32>
  return %0 : tensor<1x1x16x64xf32>
}
