// sattn-verify: the size attributes of the element terms (window, local
// width, dilated, stride, summary): sign, 64-bit type, the 2^40 limit and
// the overflow of radius * dilation. IRDL accepts every op here (the last
// RUN line); only sattn-verify rejects them.
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// window: left is a distance, it must not be negative.
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -1
// CHECK-NEXT: "sattn.window"() {left = -1 : i64, right = 0 : i64}
func.func @dont_window_negative_left() -> !sattn.mask {
  // expected-error@+1 {{'sattn.window' op left must be non-negative, got -1}}
  %0 = "sattn.window"() {left = -1 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// window: right must not be negative either.
// CHECK-LABEL: error: 'sattn.window' op right must be non-negative, got -3
// CHECK-NEXT: "sattn.window"() {left = 0 : i64, right = -3 : i64}
func.func @dont_window_negative_right() -> !sattn.mask {
  // expected-error@+1 {{'sattn.window' op right must be non-negative, got -3}}
  %0 = "sattn.window"() {left = 0 : i64, right = -3 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// window: both sides negative gives one error per side.
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -2
// CHECK: error: 'sattn.window' op right must be non-negative, got -5
func.func @dont_window_both_negative() -> !sattn.mask {
  // expected-error@+2 {{left must be non-negative, got -2}}
  // expected-error@+1 {{right must be non-negative, got -5}}
  %0 = "sattn.window"() {left = -2 : i64, right = -5 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// local: width must not be negative.
// CHECK-LABEL: error: 'sattn.local' op width must be non-negative, got -1
// CHECK-NEXT: "sattn.local"() {block = 64 : i64, width = -1 : i64}
func.func @dont_local_negative_width() -> !sattn.mask {
  // expected-error@+1 {{'sattn.local' op width must be non-negative, got -1}}
  %0 = "sattn.local"() {block = 64 : i64, width = -1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// dilated: radius must not be negative.
// CHECK-LABEL: error: 'sattn.dilated' op radius must be non-negative, got -4
// CHECK-NEXT: "sattn.dilated"() {dilation = 2 : i64, radius = -4 : i64}
func.func @dont_dilated_negative_radius() -> !sattn.mask {
  // expected-error@+1 {{'sattn.dilated' op radius must be non-negative, got -4}}
  %0 = "sattn.dilated"() {dilation = 2 : i64, radius = -4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// dilated: a dilation of 0 is rejected (it would divide by zero).
// CHECK-LABEL: error: 'sattn.dilated' op dilation must be positive, got 0
// CHECK-NEXT: "sattn.dilated"() {dilation = 0 : i64, radius = 4 : i64}
func.func @dont_dilated_zero_dilation() -> !sattn.mask {
  // expected-error@+1 {{'sattn.dilated' op dilation must be positive, got 0}}
  %0 = "sattn.dilated"() {dilation = 0 : i64, radius = 4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// dilated: radius * dilation over 2^40 is rejected, and reported once as
/// the product (each factor alone is in range).
// CHECK-LABEL: error: 'sattn.dilated' op radius * dilation exceeds the limit of 2^40
// CHECK-NEXT: "sattn.dilated"() {dilation = 2 : i64, radius = 549755813889 : i64}
// CHECK-NOT: error:
func.func @dont_dilated_product_overflow() -> !sattn.mask {
  // expected-error@+1 {{'sattn.dilated' op radius * dilation exceeds the limit of 2^40}}
  %0 = "sattn.dilated"() {dilation = 2 : i64, radius = 549755813889 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// dilated: a product that would wrap a 64-bit integer is still caught.
// CHECK-LABEL: error: 'sattn.dilated' op radius * dilation exceeds the limit of 2^40
// CHECK-NEXT: "sattn.dilated"() {dilation = 1099511627776 : i64, radius = 1099511627776 : i64}
func.func @dont_dilated_product_wraps() -> !sattn.mask {
  // expected-error@+1 {{'sattn.dilated' op radius * dilation exceeds the limit of 2^40}}
  %0 = "sattn.dilated"() {dilation = 1099511627776 : i64, radius = 1099511627776 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// stride: 0 is rejected.
// CHECK-LABEL: error: 'sattn.stride' op stride must be positive, got 0
// CHECK-NEXT: "sattn.stride"() {stride = 0 : i64}
func.func @dont_stride_zero() -> !sattn.mask {
  // expected-error@+1 {{'sattn.stride' op stride must be positive, got 0}}
  %0 = "sattn.stride"() {stride = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// summary: count must not exceed stride.
// CHECK-LABEL: error: 'sattn.summary' op count (5) must not exceed stride (4)
// CHECK-NEXT: "sattn.summary"() {count = 5 : i64, stride = 4 : i64}
func.func @dont_summary_count_over_stride() -> !sattn.mask {
  // expected-error@+1 {{'sattn.summary' op count (5) must not exceed stride (4)}}
  %0 = "sattn.summary"() {count = 5 : i64, stride = 4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// summary: a count of 0 is rejected.
// CHECK-LABEL: error: 'sattn.summary' op count must be positive, got 0
// CHECK-NEXT: "sattn.summary"() {count = 0 : i64, stride = 4 : i64}
func.func @dont_summary_zero_count() -> !sattn.mask {
  // expected-error@+1 {{'sattn.summary' op count must be positive, got 0}}
  %0 = "sattn.summary"() {count = 0 : i64, stride = 4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// summary: a stride of 0 is rejected, and count is not then compared with it.
// CHECK-LABEL: error: 'sattn.summary' op stride must be positive, got 0
// CHECK-NOT: must not exceed stride
func.func @dont_summary_zero_stride() -> !sattn.mask {
  // expected-error@+1 {{'sattn.summary' op stride must be positive, got 0}}
  %0 = "sattn.summary"() {count = 1 : i64, stride = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Integer attributes must be i64: `left = 3 : i32` is rejected.
// CHECK-LABEL: error: 'sattn.window' op attribute 'left' must be a 64-bit integer (i64)
// CHECK-NEXT: "sattn.window"() {left = 3 : i32, right = 0 : i64}
func.func @dont_window_i32_left() -> !sattn.mask {
  // expected-error@+1 {{'sattn.window' op attribute 'left' must be a 64-bit integer (i64)}}
  %0 = "sattn.window"() {left = 3 : i32, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An index-typed integer attribute is not i64 either.
// CHECK-LABEL: error: 'sattn.stride' op attribute 'stride' must be a 64-bit integer (i64)
// CHECK-NEXT: "sattn.stride"() {stride = 4 : index}
func.func @dont_stride_index() -> !sattn.mask {
  // expected-error@+1 {{'sattn.stride' op attribute 'stride' must be a 64-bit integer (i64)}}
  %0 = "sattn.stride"() {stride = 4 : index} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Sizes over 2^40 are rejected (2^40 + 1 here).
// CHECK-LABEL: error: 'sattn.window' op left = 1099511627777 exceeds the limit of 2^40
// CHECK-NEXT: "sattn.window"() {left = 1099511627777 : i64, right = 0 : i64}
func.func @dont_window_over_2_40() -> !sattn.mask {
  // expected-error@+1 {{'sattn.window' op left = 1099511627777 exceeds the limit of 2^40}}
  %0 = "sattn.window"() {left = 1099511627777 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The 2^40 limit applies to stride too (the largest i64 here).
// CHECK-LABEL: error: 'sattn.stride' op stride = 9223372036854775807 exceeds the limit of 2^40
func.func @dont_stride_int64_max() -> !sattn.mask {
  // expected-error@+1 {{'sattn.stride' op stride = 9223372036854775807 exceeds the limit of 2^40}}
  %0 = "sattn.stride"() {stride = 9223372036854775807 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}
