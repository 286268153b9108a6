// sattn-opt --verify-diagnostics fails (exit 1) and says why when a
// diagnostic was not expected, when an expectation was not met, and when an
// expectation comment is malformed. Each chunk below is meant to fail.
//
// RUN: not sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics 2>&1 >%t.out | FileCheck %s
// RUN: sh -c 'sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics >/dev/null 2>&1; echo "exit=$?"' | FileCheck %s --check-prefix=EXIT

/// An error that no comment expects is reported as unexpected, at the
/// op's line (the snippet shows it).
// CHECK-LABEL: error: unexpected error: 'sattn.window' op left must be non-negative, got -11
// CHECK-NEXT: {{^}}  %0 = "sattn.window"() {left = -11 : i64, right = 0 : i64}
// CHECK-NOT: was not produced
func.func @dont_unexpected_error() -> !sattn.mask {
  %0 = "sattn.window"() {left = -11 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An expectation that nothing meets is reported at the comment, naming
/// its text.
// CHECK-LABEL: error: expected error "left must be non-negative, got -12" was not produced
// CHECK-NEXT: -error@+1 {{[{][{]}}left must be non-negative, got -12{{[}][}]}}
// CHECK-NEXT: {{^}}     ^
func.func @dont_never_produced() -> !sattn.mask {
  // expected-error@+1 {{left must be non-negative, got -12}}
  %0 = "sattn.window"() {left = 12 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A wrong text fails both ways: the real error is unexpected and the
/// expectation is not produced.
// CHECK-LABEL: error: unexpected error: 'sattn.window' op left must be non-negative, got -13
// CHECK: sattn-opt-verify-diagnostics-failures.mlir:[[# @LINE + 2]]:6: error: expected error "right must be non-negative, got -13" was not produced
func.func @dont_wrong_text() -> !sattn.mask {
  // expected-error@+1 {{right must be non-negative, got -13}}
  %0 = "sattn.window"() {left = -13 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A wrong line (@+2 where the error is on the next line) fails both ways.
// CHECK-LABEL: error: unexpected error: 'sattn.window' op left must be non-negative, got -14
// CHECK: sattn-opt-verify-diagnostics-failures.mlir:[[# @LINE + 2]]:6: error: expected error "left must be non-negative, got -14" was not produced
func.func @dont_wrong_line() -> !sattn.mask {
  // expected-error@+2 {{left must be non-negative, got -14}}
  %0 = "sattn.window"() {left = -14 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The severity must match: a warning expectation does not take an error.
// CHECK-LABEL: error: unexpected error: 'sattn.window' op left must be non-negative, got -15
// CHECK: sattn-opt-verify-diagnostics-failures.mlir:[[# @LINE + 2]]:6: error: expected warning "left must be non-negative, got -15" was not produced
func.func @dont_wrong_severity() -> !sattn.mask {
  // expected-warning@+1 {{left must be non-negative, got -15}}
  %0 = "sattn.window"() {left = -15 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// An expectation without {{...}} is malformed.
// CHECK-LABEL: error: malformed expected diagnostic: missing {{[{][{]}}message{{[}][}]}}
// CHECK-NEXT: -error@+1 left must be non-negative
func.func @dont_missing_braces() {
  // expected-error@+1 left must be non-negative
  return
}

// -----

/// An unclosed {{ is malformed.
// CHECK-LABEL: error: malformed expected diagnostic: unclosed '{{[{][{]}}'
// CHECK-NEXT: -error@+1 {{[{][{]}}left must be non-negative}
func.func @dont_unclosed_braces() {
  // expected-error@+1 {{left must be non-negative}
  return
}

// -----

/// '@' must be followed by +N, -N, above or below.
// CHECK-LABEL: error: malformed expected diagnostic: '@' needs +N, -N, above or below
// CHECK-NEXT: -error@next {{[{][{]}}anything
func.func @dont_bad_at() {
  // expected-error@next {{anything}}
  return
}

// -----

/// '@+' needs a number.
// CHECK-LABEL: error: malformed expected diagnostic: a number must follow '@+' or '@-'
// CHECK-NEXT: -error@+ {{[{][{]}}anything
func.func @dont_at_plus_without_number() {
  // expected-error@+ {{anything}}
  return
}

// -----

/// An offset that leaves the file is reported.
// CHECK-LABEL: error: expected diagnostic points outside the file
// CHECK-NEXT: -error@-100000 {{[{][{]}}anything
func.func @dont_outside_file() {
  // expected-error@-100000 {{anything}}
  return
}

// -----

/// The failing run exits 1.
// EXIT-LABEL: exit=1
