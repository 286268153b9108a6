// The custom-form error points at the custom-form op, not at an earlier
// sattn.* discardable attribute (sattnc emits `attributes {sattn.pattern}`
// and `{sattn.kernel}` on the functions it writes).
//
// RUN: not sattn-opt %s --split-input-file 2>&1 | FileCheck %s
// RUN: sattn-opt %s --split-input-file --verify-diagnostics

/// A function attribute {sattn.pattern} before the op is not an op.
// CHECK-LABEL: sattn-opt-custom-form-attributes.mlir:
// CHECK-SAME: [[# @LINE + 5]]:8: error: 'sattn.causal' must be written in the generic form
// CHECK-NOT: 'sattn.pattern' must be written
// CHECK-NOT: sattn-opt-custom-form-attributes.mlir:
func.func @dont_custom_after_pattern_attribute() -> !sattn.mask attributes {sattn.pattern} {
  // expected-error@+1 {{'sattn.causal' must be written in the generic form}}
  %0 = sattn.causal : !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A module attribute sattn.kernel (after a space, not a brace) is not an
/// op either.
// CHECK-LABEL: sattn-opt-custom-form-attributes.mlir:
// CHECK-SAME: [[# @LINE + 5]]:10: error: 'sattn.full' must be written in the generic form
// CHECK-NOT: 'sattn.kernel' must be written
module attributes {test.first = 1 : i64, sattn.kernel} {
  func.func @dont_custom_after_module_attribute() -> !sattn.mask {
    // expected-error@+1 {{'sattn.full' must be written in the generic form}}
    %0 = sattn.full : !sattn.mask
    return %0 : !sattn.mask
  }
}
