// sattn-verify: attention operand and result types and the scale: rank 4,
// element type, head_dim (static, a multiple of 16 from 16 to 256), the
// result and lse types, a positive finite scale, at least one mask. IRDL
// accepts every op here (the last RUN line).
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// q must be rank 4 [batch, heads, seq, head_dim]: a rank-3 q is rejected.
// CHECK-LABEL: error: 'sattn.attention' op q must be a rank-4 tensor [batch, heads, seq, head_dim]
func.func @dont_attention_rank3_q(%q: tensor<4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q must be a rank-4 tensor [batch, heads, seq, head_dim]}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<4x128x64xf32>
  return %0 : tensor<4x128x64xf32>
}

// -----

/// v must be rank 4 too: a rank-5 v is rejected, naming v.
// CHECK-LABEL: error: 'sattn.attention' op v must be a rank-4 tensor [batch, heads, seq, head_dim]
func.func @dont_attention_rank5_v(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op v must be a rank-4 tensor [batch, heads, seq, head_dim]}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// Integer elements are rejected: q, k, v are f32, f16 or bf16.
// CHECK-LABEL: error: 'sattn.attention' op q must have element type f32, f16 or bf16
func.func @dont_attention_integer_elements(%q: tensor<1x4x128x64xi32>, %k: tensor<1x4x128x64xi32>, %v: tensor<1x4x128x64xi32>) -> tensor<1x4x128x64xi32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q must have element type f32, f16 or bf16}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xi32>, tensor<1x4x128x64xi32>, tensor<1x4x128x64xi32>, !sattn.mask) -> tensor<1x4x128x64xi32>
  return %0 : tensor<1x4x128x64xi32>
}

// -----

/// f64 is a float but not a supported element type.
// CHECK-LABEL: error: 'sattn.attention' op q must have element type f32, f16 or bf16
func.func @dont_attention_f64_elements(%q: tensor<1x4x128x64xf64>, %k: tensor<1x4x128x64xf64>, %v: tensor<1x4x128x64xf64>) -> tensor<1x4x128x64xf64> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q must have element type f32, f16 or bf16}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf64>, tensor<1x4x128x64xf64>, tensor<1x4x128x64xf64>, !sattn.mask) -> tensor<1x4x128x64xf64>
  return %0 : tensor<1x4x128x64xf64>
}

// -----

/// q in f16 with k and v in f32 is rejected.
// CHECK-LABEL: error: 'sattn.attention' op q, k and v must have the same element type
func.func @dont_attention_mixed_q_k(%q: tensor<1x4x128x64xf16>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf16> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q, k and v must have the same element type}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf16>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf16>
  return %0 : tensor<1x4x128x64xf16>
}

// -----

/// v alone in bf16, with q and k in f32, is rejected.
// CHECK-LABEL: error: 'sattn.attention' op q, k and v must have the same element type
func.func @dont_attention_mixed_k_v(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xbf16>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q, k and v must have the same element type}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xbf16>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// A dynamic head_dim is rejected (kernels are specialised on it).
// CHECK-LABEL: error: 'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256
func.func @dont_attention_dynamic_head_dim(%q: tensor<1x4x128x?xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x?xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x?xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x?xf32>
  return %0 : tensor<1x4x128x?xf32>
}

// -----

/// head_dim 8 is below 16.
// CHECK-LABEL: error: 'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256
func.func @dont_attention_head_dim_8(%q: tensor<1x4x128x8xf32>, %k: tensor<1x4x128x8xf32>, %v: tensor<1x4x128x8xf32>) -> tensor<1x4x128x8xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x8xf32>, tensor<1x4x128x8xf32>, tensor<1x4x128x8xf32>, !sattn.mask) -> tensor<1x4x128x8xf32>
  return %0 : tensor<1x4x128x8xf32>
}

// -----

/// head_dim 272 is a multiple of 16 above 256.
// CHECK-LABEL: error: 'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256
func.func @dont_attention_head_dim_272(%q: tensor<1x4x128x272xf32>, %k: tensor<1x4x128x272xf32>, %v: tensor<1x4x128x272xf32>) -> tensor<1x4x128x272xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x272xf32>, tensor<1x4x128x272xf32>, tensor<1x4x128x272xf32>, !sattn.mask) -> tensor<1x4x128x272xf32>
  return %0 : tensor<1x4x128x272xf32>
}

// -----

/// head_dim 72 is in range but not a multiple of 16.
// CHECK-LABEL: error: 'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256
func.func @dont_attention_head_dim_72(%q: tensor<1x4x128x72xf32>, %k: tensor<1x4x128x72xf32>, %v: tensor<1x4x128x72xf32>) -> tensor<1x4x128x72xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q: head_dim must be static, a multiple of 16 from 16 to 256}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x72xf32>, tensor<1x4x128x72xf32>, tensor<1x4x128x72xf32>, !sattn.mask) -> tensor<1x4x128x72xf32>
  return %0 : tensor<1x4x128x72xf32>
}

// -----

/// The head_dim rule names the operand that breaks it (k here).
// CHECK-LABEL: error: 'sattn.attention' op k: head_dim must be static, a multiple of 16 from 16 to 256
func.func @dont_attention_k_dynamic_head_dim(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x?xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op k: head_dim must be static, a multiple of 16 from 16 to 256}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x?xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// q and k with different (valid) head dims are rejected, with both values.
// CHECK-LABEL: error: 'sattn.attention' op q, k and v must have the same head_dim (64 vs 128)
func.func @dont_attention_different_head_dims(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x128xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op q, k and v must have the same head_dim (64 vs 128)}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x128xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// The result must have the type of q (here f16 for f32 q).
// CHECK-LABEL: error: 'sattn.attention' op the result must have the type of q
func.func @dont_attention_result_type(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf16> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op the result must have the type of q}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf16>
  return %0 : tensor<1x4x128x64xf16>
}

// -----

/// The result must have the shape of q too.
// CHECK-LABEL: error: 'sattn.attention' op the result must have the type of q
func.func @dont_attention_result_shape(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x64x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op the result must have the type of q}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x64x64xf32>
  return %0 : tensor<1x4x64x64xf32>
}

// -----

/// The lse result is f32 whatever the element type.
// CHECK-LABEL: error: 'sattn.attention' op the lse result must be a rank-3 f32 tensor [batch, heads, seq]
func.func @dont_attention_lse_f16(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op the lse result must be a rank-3 f32 tensor [batch, heads, seq]}}
  %0:2 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> (tensor<1x4x128x64xf32>, tensor<1x4x128xf16>)
  return
}

// -----

/// The lse result is rank 3.
// CHECK-LABEL: error: 'sattn.attention' op the lse result must be a rank-3 f32 tensor [batch, heads, seq]
func.func @dont_attention_lse_rank4(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op the lse result must be a rank-3 f32 tensor [batch, heads, seq]}}
  %0:2 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> (tensor<1x4x128x64xf32>, tensor<1x4x128x1xf32>)
  return
}

// -----

/// A scale of 0 is rejected.
// CHECK-LABEL: error: 'sattn.attention' op scale must be a positive finite number
func.func @dont_attention_scale_zero(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op scale must be a positive finite number}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 0.000000e+00 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// A negative scale is rejected.
// CHECK-LABEL: error: 'sattn.attention' op scale must be a positive finite number
func.func @dont_attention_scale_negative(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op scale must be a positive finite number}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = -1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// An infinite scale is rejected.
// CHECK-LABEL: error: 'sattn.attention' op scale must be a positive finite number
func.func @dont_attention_scale_inf(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op scale must be a positive finite number}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 0x7F800000 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// A NaN scale is rejected.
// CHECK-LABEL: error: 'sattn.attention' op scale must be a positive finite number
func.func @dont_attention_scale_nan(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op scale must be a positive finite number}}
  %0 = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 0x7FC00000 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, !sattn.mask) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}

// -----

/// attention without any mask is rejected.
// CHECK-LABEL: error: 'sattn.attention' op needs at least one mask
func.func @dont_attention_no_mask(%q: tensor<1x4x128x64xf32>, %k: tensor<1x4x128x64xf32>, %v: tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32> {
  %m = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op needs at least one mask}}
  %0 = "sattn.attention"(%q, %k, %v) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>, tensor<1x4x128x64xf32>) -> tensor<1x4x128x64xf32>
  return %0 : tensor<1x4x128x64xf32>
}
