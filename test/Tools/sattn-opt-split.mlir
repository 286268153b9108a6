// sattn-opt --split-input-file: each '// -----' chunk is its own module,
// outputs are joined with '// -----', a failing chunk does not stop the
// others, and line numbers are those of the whole file.
//
// RUN: sattn-opt %s --split-input-file | FileCheck %s --check-prefix=SPLIT
// RUN: sattn-opt %s --split-input-file -o %t.out
// RUN: FileCheck %s --check-prefix=SPLIT --input-file=%t.out
// RUN: sattn-opt %s | FileCheck %s --check-prefix=WHOLE
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>%t.err | FileCheck %s --check-prefix=CONTINUE
// RUN: FileCheck %s --check-prefix=CONTINUE-DIAG --input-file=%t.err

/// Three chunks print as three modules separated by '// -----' lines.
// SPLIT-LABEL: func.func @split_first()
// SPLIT: {{^}$}}
// SPLIT-EMPTY:
// SPLIT-NEXT: {{^}}// -----
// SPLIT-NEXT: {{^}}module {
// SPLIT-NEXT: func.func @split_second()
// SPLIT: {{^}}// -----
// SPLIT-NEXT: {{^}}module {
// SPLIT-NEXT: func.func @split_third()
// SPLIT-NOT: // -----
func.func @split_first() {
  return
}

// -----

/// Without --split-input-file the markers are comments: one module holds
/// the three functions.
// WHOLE-LABEL: module {
// WHOLE-NEXT: func.func @split_first()
// WHOLE: func.func @split_second()
// WHOLE: func.func @split_third()
// WHOLE-NOT: module
// WHOLE-NOT: // -----
func.func @split_second() -> !sattn.mask {
  %0 = "sattn.stride"() {stride = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A failing middle chunk prints nothing, but the chunks after it are
/// still processed (and the run fails); its error has its line in the
/// whole file.
// CONTINUE-LABEL: func.func @split_first()
// CONTINUE: {{^}}// -----
// CONTINUE-NEXT: {{^}}// -----
// CONTINUE-NEXT: {{^}}module {
// CONTINUE-NEXT: func.func @split_third()
// CONTINUE-NOT: split_second
// CONTINUE-DIAG-LABEL: sattn-opt-split.mlir:
// CONTINUE-DIAG-SAME: [[# @LINE - 16]]:8: error: 'sattn.stride' op stride must be positive, got 0
// CONTINUE-DIAG-NOT: error:
func.func @split_third() {
  return
}
