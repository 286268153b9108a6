// Static element-level terms: full, causal, window, dilated, stride, summary,
// global. Each op, written in the generic form, parses, prints back
// identically, re-parses, and loads in upstream mlir-opt from the IRDL file
// alone.
//
// RUN: sattn-opt %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file | sattn-opt - --split-input-file | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file -o %t.once
// RUN: sattn-opt %t.once --split-input-file -o %t.twice
// RUN: diff %t.once %t.twice
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t.upstream
// RUN: diff %t.once %t.upstream

/// full takes no attribute and no operand.
// CHECK-LABEL: func.func @full()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.full"() : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @full() -> !sattn.mask {
  %0 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// causal takes no attribute and no operand.
// CHECK-LABEL: func.func @causal()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @causal() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An asymmetric window keeps both sides as written (left is not copied to
/// right).
// CHECK-LABEL: func.func @window_asymmetric()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.window"() {left = 128 : i64, right = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @window_asymmetric() -> !sattn.mask {
  %0 = "sattn.window"() {left = 128 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// dilated keeps radius and dilation.
// CHECK-LABEL: func.func @dilated()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.dilated"() {dilation = 4 : i64, radius = 32 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @dilated() -> !sattn.mask {
  %0 = "sattn.dilated"() {dilation = 4 : i64, radius = 32 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// stride keeps its one attribute.
// CHECK-LABEL: func.func @stride()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.stride"() {stride = 128 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @stride() -> !sattn.mask {
  %0 = "sattn.stride"() {stride = 128 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// summary keeps count and stride.
// CHECK-LABEL: func.func @summary()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.summary"() {count = 8 : i64, stride = 128 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @summary() -> !sattn.mask {
  %0 = "sattn.summary"() {count = 8 : i64, stride = 128 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// global(0): one [start, end) pair in a dense i64 array.
// CHECK-LABEL: func.func @global_one_token()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @global_one_token() -> !sattn.mask {
  %0 = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Several ranges keep their order and their values.
// CHECK-LABEL: func.func @global_several_ranges()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.global"() {ranges = array<i64: 0, 128, 512, 520, 4000, 4096>} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @global_several_ranges() -> !sattn.mask {
  %0 = "sattn.global"() {ranges = array<i64: 0, 128, 512, 520, 4000, 4096>} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Every static term in one function: none is folded, reordered or dropped.
// CHECK-LABEL: func.func @all_static_terms()
// CHECK-NEXT: "sattn.full"()
// CHECK-NEXT: "sattn.causal"()
// CHECK-NEXT: "sattn.window"() {left = 1 : i64, right = 2 : i64}
// CHECK-NEXT: "sattn.dilated"() {dilation = 2 : i64, radius = 3 : i64}
// CHECK-NEXT: "sattn.stride"() {stride = 64 : i64}
// CHECK-NEXT: "sattn.summary"() {count = 1 : i64, stride = 64 : i64}
// CHECK-NEXT: "sattn.global"() {ranges = array<i64: 7, 9>}
// CHECK-NEXT: return
func.func @all_static_terms() {
  %0 = "sattn.full"() : () -> !sattn.mask
  %1 = "sattn.causal"() : () -> !sattn.mask
  %2 = "sattn.window"() {left = 1 : i64, right = 2 : i64} : () -> !sattn.mask
  %3 = "sattn.dilated"() {dilation = 2 : i64, radius = 3 : i64} : () -> !sattn.mask
  %4 = "sattn.stride"() {stride = 64 : i64} : () -> !sattn.mask
  %5 = "sattn.summary"() {count = 1 : i64, stride = 64 : i64} : () -> !sattn.mask
  %6 = "sattn.global"() {ranges = array<i64: 7, 9>} : () -> !sattn.mask
  return
}
