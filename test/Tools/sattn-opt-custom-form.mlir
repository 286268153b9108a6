// IRDL ops have only the generic form, and MLIR 22 fails without a reason
// on a custom-form use: sattn-opt points at the op with a message giving
// the generic spelling.
//
// RUN: not sattn-opt %s --split-input-file 2>&1 | FileCheck %s
// RUN: sattn-opt %s --split-input-file --verify-diagnostics

/// A custom-form term is reported at its line and column.
// CHECK-LABEL: sattn-opt-custom-form.mlir:
// CHECK-SAME: [[# @LINE + 5]]:8: error: 'sattn.causal' must be written in the generic form: "sattn.causal"(operands) {attributes} : (types) -> !sattn.mask (IRDL ops have no custom syntax)
// CHECK-NEXT: %0 = sattn.causal : !sattn.mask
// CHECK-NEXT: {{^}}         ^
func.func @dont_custom_causal() -> !sattn.mask {
  // expected-error@+1 {{'sattn.causal' must be written in the generic form}}
  %0 = sattn.causal : !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Generic sattn ops, !sattn.mask types and a comment naming sattn.window
/// before the custom-form op are not taken for it.
// CHECK-LABEL: sattn-opt-custom-form.mlir:
// CHECK-SAME: [[# @LINE + 7]]:8: error: 'sattn.window' must be written in the generic form
// CHECK-NOT: sattn-opt-custom-form.mlir:
func.func @dont_custom_after_generic(%arg0: !sattn.mask) -> !sattn.mask {
  // A comment about sattn.window is not code.
  %0 = "sattn.full"() : () -> !sattn.mask
  %1 = "sattn.union"(%0, %arg0) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-error@+1 {{'sattn.window' must be written in the generic form}}
  %2 = sattn.window {left = 4 : i64, right = 4 : i64} : !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// The column follows the op, wherever it starts on the line.
// CHECK-LABEL: sattn-opt-custom-form.mlir:
// CHECK-SAME: [[# @LINE + 3]]:18: error: 'sattn.global' must be written in the generic form
func.func @dont_custom_global_column() -> !sattn.mask {
  // expected-error@+1 {{'sattn.global' must be written in the generic form}}
  %global_mask = sattn.global {ranges = array<i64: 0, 1>} : !sattn.mask
  return %global_mask : !sattn.mask
}

// -----

/// A custom-form name that is not a sattn op gets MLIR's own error.
// CHECK-LABEL: sattn-opt-custom-form.mlir:
// CHECK-SAME: [[# @LINE + 3]]:8: error: custom op 'sattn.bogus' is unknown
func.func @dont_custom_unknown_op() -> !sattn.mask {
  // expected-error@+1 {{custom op 'sattn.bogus' is unknown}}
  %0 = sattn.bogus : !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An unknown op in the generic form is refused by the dialect.
// CHECK-LABEL: sattn-opt-custom-form.mlir:
// CHECK-SAME: [[# @LINE + 3]]:8: error: unregistered operation 'sattn.bogus' found in dialect ('sattn') that does not allow unknown operations
func.func @dont_generic_unknown_op() -> !sattn.mask {
  // expected-error@+1 {{unregistered operation 'sattn.bogus' found in dialect ('sattn')}}
  %0 = "sattn.bogus"() : () -> !sattn.mask
  return %0 : !sattn.mask
}
