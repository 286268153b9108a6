// sattn-opt --verify-diagnostics accepts every expectation form that
// mlir-opt has: @+N, @-N, @above, @below, the same line, several on one
// line, and note expectations; notes that no comment names are not checked.
// The second RUN line shows the diagnostics themselves (without the
// checker), so that the expectations cannot pass vacuously.
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics | FileCheck %s --check-prefix=OUT
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 >%t.out | FileCheck %s

/// @+1 names the next line.
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -1
// CHECK-NEXT: "sattn.window"() {left = -1 : i64, right = 0 : i64}
func.func @plus_one() -> !sattn.mask {
  // expected-error@+1 {{left must be non-negative, got -1}}
  %0 = "sattn.window"() {left = -1 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// @above names the line before the comment.
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -2
func.func @above() -> !sattn.mask {
  %0 = "sattn.window"() {left = -2 : i64, right = 0 : i64} : () -> !sattn.mask
  // expected-error@above {{left must be non-negative, got -2}}
  return %0 : !sattn.mask
}

// -----

/// @below names the line after the comment.
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -3
func.func @below() -> !sattn.mask {
  // expected-error@below {{left must be non-negative, got -3}}
  %0 = "sattn.window"() {left = -3 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// @-N names the line N above the comment, across blank lines.
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -4
func.func @minus_n() -> !sattn.mask {
  %0 = "sattn.window"() {left = -4 : i64, right = 0 : i64} : () -> !sattn.mask


  // expected-error@-3 {{left must be non-negative, got -4}}
  return %0 : !sattn.mask
}

// -----

/// A comment at the end of the op's own line names that line.
// CHECK-LABEL: error: 'sattn.stride' op stride must be positive, got 0
func.func @same_line() -> !sattn.mask {
  %0 = "sattn.stride"() {stride = 0 : i64} : () -> !sattn.mask // expected-error {{stride must be positive, got 0}}
  return %0 : !sattn.mask
}

// -----

/// Two diagnostics on one line need two expectations (@+2 and @+1 here).
// CHECK-LABEL: error: 'sattn.window' op left must be non-negative, got -5
// CHECK: error: 'sattn.window' op right must be non-negative, got -6
func.func @two_on_one_line() -> !sattn.mask {
  // expected-error@+2 {{left must be non-negative, got -5}}
  // expected-error@+1 {{right must be non-negative, got -6}}
  %0 = "sattn.window"() {left = -5 : i64, right = -6 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A note expectation matches a note on another line than its error.
// CHECK-LABEL: error: operand #0 does not dominate this use
// CHECK: note: operand defined here
func.func @note() -> !sattn.mask {
  // expected-error@+1 {{operand #0 does not dominate this use}}
  %0 = "sattn.union"(%1, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-note@+1 {{operand defined here}}
  %1 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Notes that no comment names are not checked (the error alone is
/// expected here).
// CHECK-LABEL: error: operand #1 does not dominate this use
// CHECK: note: operand defined here
func.func @unexpected_note_ignored() -> !sattn.mask {
  %a = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{operand #1 does not dominate this use}}
  %0 = "sattn.union"(%a, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %1 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A structural (IRDL) error at parse time is matched too.
// CHECK-LABEL: error: 'sattn.local' op attribute "width" is expected but not provided
func.func @structural() -> !sattn.mask {
  // expected-error@+1 {{attribute "width" is expected but not provided}}
  %0 = "sattn.local"() {block = 64 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A chunk without diagnostics or expectations passes and is printed;
/// failing chunks print nothing.
// OUT-LABEL: func.func @no_diagnostics()
// OUT-NOT: func.func
// CHECK-NOT: no_diagnostics
func.func @no_diagnostics() -> !sattn.mask {
  %0 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}
