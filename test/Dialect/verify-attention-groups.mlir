// sattn-verify: attention head groups: one value per mask (the first head
// of its group) and then the end of the last group; starting at head 0,
// strictly increasing, -1 (open) allowed only as the last end; an
// array<i64>. IRDL accepts every op here (the last RUN line).
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// One mask takes two values (start, end): three are rejected.
// CHECK-LABEL: error: 'sattn.attention' op groups must hold 2 values (the first head of each of the 1 masks, then the end), got 3
// CHECK-NEXT: {groups = array<i64: 0, 4, -1>
func.func @dont_groups_too_many(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op groups must hold 2 values (the first head of each of the 1 masks, then the end), got 3}}
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, 4, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// Two masks take three values: two are rejected.
// CHECK-LABEL: error: 'sattn.attention' op groups must hold 3 values (the first head of each of the 2 masks, then the end), got 2
// CHECK-NEXT: {groups = array<i64: 0, -1>
func.func @dont_groups_too_few(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op groups must hold 3 values (the first head of each of the 2 masks, then the end), got 2}}
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1) {groups = array<i64: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// An empty groups array is rejected.
// CHECK-LABEL: error: 'sattn.attention' op groups must hold 2 values (the first head of each of the 1 masks, then the end), got 0
// CHECK-NEXT: {groups = array<i64>
func.func @dont_groups_empty(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op groups must hold 2 values (the first head of each of the 1 masks, then the end), got 0}}
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// The first group must start at head 0.
// CHECK-LABEL: error: 'sattn.attention' op the first head group must start at head 0
// CHECK-NEXT: {groups = array<i64: 2, -1>
func.func @dont_groups_first_not_zero(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op the first head group must start at head 0}}
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 2, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// Group starts must increase strictly (an empty group 4..4).
// CHECK-LABEL: error: 'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got 4 after 4
// CHECK-NEXT: {groups = array<i64: 0, 4, 4, -1>
func.func @dont_groups_equal_starts(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.causal"() : () -> !sattn.mask
  %m2 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got 4 after 4}}
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1, %m2) {groups = array<i64: 0, 4, 4, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// Group starts must not go back.
// CHECK-LABEL: error: 'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got 2 after 6
// CHECK-NEXT: {groups = array<i64: 0, 6, 2>
func.func @dont_groups_decreasing(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got 2 after 6}}
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1) {groups = array<i64: 0, 6, 2>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// -1 (open) is only allowed as the last end, not as a group start.
// CHECK-LABEL: error: 'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got -1 after 0
// CHECK-NEXT: {groups = array<i64: 0, -1, 4>
func.func @dont_groups_open_in_middle(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  %m1 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got -1 after 0}}
  %0 = "sattn.attention"(%q, %k, %v, %m0, %m1) {groups = array<i64: 0, -1, 4>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// A closed single group [0, 0) is empty.
// CHECK-LABEL: error: 'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got 0 after 0
// CHECK-NEXT: {groups = array<i64: 0, 0>
func.func @dont_groups_closed_empty(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got 0 after 0}}
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, 0>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// Only -1 means open: -2 as the last end is rejected.
// CHECK-LABEL: error: 'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got -2 after 0
// CHECK-NEXT: {groups = array<i64: 0, -2>
func.func @dont_groups_negative_end(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op head groups must be increasing (only the last end may be -1 for open), got -2 after 0}}
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i64: 0, -2>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

/// groups must be an array<i64>, not array<i32>.
// CHECK-LABEL: error: 'sattn.attention' op groups must be an array<i64>
// CHECK-NEXT: {groups = array<i32: 0, -1>
func.func @dont_groups_i32(%q: tensor<1x8x128x64xf32>, %k: tensor<1x8x128x64xf32>, %v: tensor<1x8x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %m0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.attention' op groups must be an array<i64>}}
  %0 = "sattn.attention"(%q, %k, %v, %m0) {groups = array<i32: 0, -1>, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, tensor<1x8x128x64xf32>, !sattn.mask) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}
