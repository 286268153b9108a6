// sattn-verify: global ranges are a non-empty array<i64> of [start, end)
// pairs, each non-empty and inside [0, 2^40], sorted, disjoint and not
// adjacent. IRDL accepts every op here (the last RUN line).
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// An empty array holds no range.
// CHECK-LABEL: error: 'sattn.global' op ranges must hold a non-empty list of [start, end) pairs, got 0 values
// CHECK-NEXT: "sattn.global"() {ranges = array<i64>}
func.func @dont_global_empty() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op ranges must hold a non-empty list of [start, end) pairs, got 0 values}}
  %0 = "sattn.global"() {ranges = array<i64>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An odd number of values is not a list of pairs.
// CHECK-LABEL: error: 'sattn.global' op ranges must hold a non-empty list of [start, end) pairs, got 3 values
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 0, 1, 5>}
func.func @dont_global_odd_length() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op ranges must hold a non-empty list of [start, end) pairs, got 3 values}}
  %0 = "sattn.global"() {ranges = array<i64: 0, 1, 5>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Ranges out of order are rejected.
// CHECK-LABEL: error: 'sattn.global' op ranges must be sorted, disjoint and not adjacent (merge [..., 20) and [0, ...))
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 10, 20, 0, 5>}
func.func @dont_global_unsorted() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op ranges must be sorted, disjoint and not adjacent (merge [..., 20) and [0, ...))}}
  %0 = "sattn.global"() {ranges = array<i64: 10, 20, 0, 5>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Overlapping ranges are rejected.
// CHECK-LABEL: error: 'sattn.global' op ranges must be sorted, disjoint and not adjacent (merge [..., 10) and [5, ...))
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 0, 10, 5, 20>}
func.func @dont_global_overlapping() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op ranges must be sorted, disjoint and not adjacent (merge [..., 10) and [5, ...))}}
  %0 = "sattn.global"() {ranges = array<i64: 0, 10, 5, 20>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Adjacent ranges must be written as one: [0, 10) and [10, 20) is [0, 20).
// CHECK-LABEL: error: 'sattn.global' op ranges must be sorted, disjoint and not adjacent (merge [..., 10) and [10, ...))
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 0, 10, 10, 20>}
func.func @dont_global_adjacent() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op ranges must be sorted, disjoint and not adjacent (merge [..., 10) and [10, ...))}}
  %0 = "sattn.global"() {ranges = array<i64: 0, 10, 10, 20>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// start == end is an empty range.
// CHECK-LABEL: error: 'sattn.global' op range [5, 5) is empty or out of [0, 2^40]
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 5, 5>}
func.func @dont_global_start_equals_end() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op range [5, 5) is empty or out of [0, 2^40]}}
  %0 = "sattn.global"() {ranges = array<i64: 5, 5>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// start > end is rejected, also in a later pair.
// CHECK-LABEL: error: 'sattn.global' op range [9, 7) is empty or out of [0, 2^40]
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 0, 1, 9, 7>}
func.func @dont_global_start_after_end() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op range [9, 7) is empty or out of [0, 2^40]}}
  %0 = "sattn.global"() {ranges = array<i64: 0, 1, 9, 7>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A negative start is rejected.
// CHECK-LABEL: error: 'sattn.global' op range [-1, 5) is empty or out of [0, 2^40]
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: -1, 5>}
func.func @dont_global_negative_start() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op range [-1, 5) is empty or out of [0, 2^40]}}
  %0 = "sattn.global"() {ranges = array<i64: -1, 5>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An end over 2^40 is rejected.
// CHECK-LABEL: error: 'sattn.global' op range [0, 1099511627777) is empty or out of [0, 2^40]
func.func @dont_global_end_over_2_40() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op range [0, 1099511627777) is empty or out of [0, 2^40]}}
  %0 = "sattn.global"() {ranges = array<i64: 0, 1099511627777>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The dense array must hold i64, not i32.
// CHECK-LABEL: error: 'sattn.global' op ranges must be an array<i64> of [start, end) pairs
// CHECK-NEXT: "sattn.global"() {ranges = array<i32: 0, 1>}
func.func @dont_global_i32_array() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' op ranges must be an array<i64> of [start, end) pairs}}
  %0 = "sattn.global"() {ranges = array<i32: 0, 1>} : () -> !sattn.mask
  return %0 : !sattn.mask
}
