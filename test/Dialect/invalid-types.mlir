// Structural type and arity errors that the IRDL declaration itself
// catches: the same diagnostics from our tool and from upstream mlir-opt
// loading only the IRDL file.
//
// RUN: sattn-opt %s --split-input-file --verify-diagnostics
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file 2>&1 | FileCheck %s

/// A term must produce a !sattn.mask, not an integer.
// CHECK-LABEL: error: expected base type 'sattn.mask' but got 'i32'
// CHECK-NEXT: "sattn.full"() : () -> i32
func.func @dont_full_i32_result() -> i32 {
  // expected-error@+1 {{expected base type 'sattn.mask' but got 'i32'}}
  %0 = "sattn.full"() : () -> i32
  return %0 : i32
}

// -----

/// A term produces exactly one result.
// CHECK-LABEL: error: op expects exactly 1 results, but got 2
// CHECK-NEXT: %0:2 = "sattn.window"()
func.func @dont_window_two_results() {
  // expected-error@+1 {{op expects exactly 1 results, but got 2}}
  %0:2 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> (!sattn.mask, !sattn.mask)
  return
}

// -----

/// Every union operand must be a mask: an i32 among masks is rejected.
// CHECK-LABEL: error: expected '!sattn.mask' but got 'i32'
// CHECK-NEXT: "sattn.union"(%{{.*}}, %{{.*}}) : (!sattn.mask, i32) -> !sattn.mask
func.func @dont_union_i32_operand(%x: i32) -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{expected '!sattn.mask' but got 'i32'}}
  %0 = "sattn.union"(%a, %x) : (!sattn.mask, i32) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The `among` operand of topk must be a mask.
// CHECK-LABEL: error: expected base type 'sattn.mask' but got 'i1'
func.func @dont_topk_among_i1(%x: i1) -> !sattn.mask {
  // expected-error@+1 {{expected base type 'sattn.mask' but got 'i1'}}
  %0 = "sattn.topk"(%x) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (i1) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// difference takes exactly two operands.
// CHECK-LABEL: error: op expects exactly 2 operands, but got 1
// CHECK-NEXT: "sattn.difference"(%a) : (!sattn.mask) -> !sattn.mask
func.func @dont_difference_one_operand() -> !sattn.mask {
  %a = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{op expects exactly 2 operands, but got 1}}
  %0 = "sattn.difference"(%a) : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// attention with a memref q (not a tensor) is rejected.
// CHECK-LABEL: error: expected base type 'builtin.tensor' but got 'builtin.memref'
// CHECK-NEXT: "sattn.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
func.func @dont_attention_memref_q(%q: memref<1x1x16x64xf32>, %k: tensor<1x1x16x64xf32>) -> tensor<1x1x16x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{expected base type 'builtin.tensor' but got 'builtin.memref'}}
  %0 = "sattn.attention"(%q, %k, %k, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (memref<1x1x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, !sattn.mask) -> tensor<1x1x16x64xf32>
  return %0 : tensor<1x1x16x64xf32>
}

// -----

/// attention with an unranked q is rejected: IRDL's tensor base is the
/// ranked tensor.
// CHECK-LABEL: error: expected base type 'builtin.tensor' but got 'builtin.unranked_tensor'
func.func @dont_attention_unranked_q(%q: tensor<*xf32>, %k: tensor<1x1x16x64xf32>) -> tensor<*xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{expected base type 'builtin.tensor' but got 'builtin.unranked_tensor'}}
  %0 = "sattn.attention"(%q, %k, %k, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<*xf32>, tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, !sattn.mask) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

/// A tensor in the mask position of attention is rejected.
// CHECK-LABEL: error: expected base type 'sattn.mask' but got 'tensor<1x1x16x64xf32>'
func.func @dont_attention_tensor_mask(%t: tensor<1x1x16x64xf32>) -> tensor<1x1x16x64xf32> {
  // expected-error@+1 {{expected base type 'sattn.mask' but got 'tensor<1x1x16x64xf32>'}}
  %0 = "sattn.attention"(%t, %t, %t, %t) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>) -> tensor<1x1x16x64xf32>
  return %0 : tensor<1x1x16x64xf32>
}

// -----

/// The attention result is a tensor, not a mask.
// CHECK-LABEL: error: expected base type 'builtin.tensor' but got 'sattn.mask'
func.func @dont_attention_mask_result(%t: tensor<1x1x16x64xf32>) -> !sattn.mask {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{expected base type 'builtin.tensor' but got 'sattn.mask'}}
  %0 = "sattn.attention"(%t, %t, %t, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1x1x16x64xf32>, !sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}
