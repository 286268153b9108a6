// sattn-verify: union and intersect need at least two masks. IRDL declares
// them variadic and accepts every op here (the last RUN line).
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// A union of one mask is rejected.
// CHECK-LABEL: error: 'sattn.union' op needs at least two masks, got 1
// CHECK-NEXT: "sattn.union"(%a) : (!sattn.mask) -> !sattn.mask
func.func @dont_union_one_operand() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.union' op needs at least two masks, got 1}}
  %0 = "sattn.union"(%a) : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An intersect of one mask is rejected.
// CHECK-LABEL: error: 'sattn.intersect' op needs at least two masks, got 1
// CHECK-NEXT: "sattn.intersect"(%a) : (!sattn.mask) -> !sattn.mask
func.func @dont_intersect_one_operand() -> !sattn.mask {
  %a = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.intersect' op needs at least two masks, got 1}}
  %0 = "sattn.intersect"(%a) : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A union of no mask is rejected.
// CHECK-LABEL: error: 'sattn.union' op needs at least two masks, got 0
// CHECK-NEXT: "sattn.union"() : () -> !sattn.mask
func.func @dont_union_no_operand() -> !sattn.mask {
  // expected-error@+1 {{'sattn.union' op needs at least two masks, got 0}}
  %0 = "sattn.union"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An intersect of no mask is rejected.
// CHECK-LABEL: error: 'sattn.intersect' op needs at least two masks, got 0
func.func @dont_intersect_no_operand() -> !sattn.mask {
  // expected-error@+1 {{'sattn.intersect' op needs at least two masks, got 0}}
  %0 = "sattn.intersect"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The same mask twice is two operands and passes; an error in a nested
/// one-operand union is still found inside an otherwise valid union.
// CHECK-LABEL: error: 'sattn.union' op needs at least two masks, got 1
// CHECK-NEXT: %inner = "sattn.union"(%a)
// CHECK-NOT: error:
func.func @dont_union_nested_one_operand() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.union' op needs at least two masks, got 1}}
  %inner = "sattn.union"(%a) : (!sattn.mask) -> !sattn.mask
  %0 = "sattn.union"(%inner, %inner) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}
