// sattn-opt input and output: stdin, unreadable inputs, -o, and atomic
// output (a failing run never leaves a new, partial or clobbered file).
// The input holds a valid function and one that only sattn-verify rejects.
//
// RUN: sattn-opt - < %s | FileCheck %s --check-prefix=STDIN
// RUN: sattn-opt < %s | FileCheck %s --check-prefix=STDIN
// RUN: not sattn-opt - --sattn-verify < %s 2>&1 | FileCheck %s --check-prefix=STDIN-DIAG
//
// RUN: rm -f %t.missing.mlir
// RUN: sh -c 'sattn-opt %t.missing.mlir; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=MISSING -DFILE=%t.missing.mlir
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: sh -c 'sattn-opt %t.dir; echo "exit=$?"' 2>&1 | FileCheck %s --check-prefix=DIRECTORY -DDIR=%t.dir
//
// RUN: rm -f %t.out
// RUN: sattn-opt %s -o %t.out | count 0
// RUN: FileCheck %s --check-prefix=OUTFILE --input-file=%t.out
// RUN: rm -f %t.out
// RUN: not sattn-opt %s --sattn-verify -o %t.out 2>&1 | FileCheck %s --check-prefix=FAIL-NO-FILE
// RUN: not test -e %t.out
//
// RUN: rm -rf %t.nodir
// RUN: not sattn-opt %s -o %t.nodir/sub/out.mlir 2>&1 | FileCheck %s --check-prefix=NODIR -DPATH=%t.nodir/sub/out.mlir
// RUN: not test -e %t.nodir
//
// RUN: rm -rf %t.fail && mkdir %t.fail
// RUN: not sattn-opt %s --sattn-verify -o %t.fail/out.mlir 2>&1 | FileCheck %s --check-prefix=FAIL-NO-FILE
// RUN: not test -e %t.fail/out.mlir
// RUN: ls %t.fail | count 0
//
// RUN: rm -rf %t.split && mkdir %t.split
// RUN: not sattn-opt %s --split-input-file --sattn-verify -o %t.split/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-PARTIAL
// RUN: not test -e %t.split/out.mlir
// RUN: ls %t.split | count 0
//
// RUN: rm -rf %t.keep && mkdir %t.keep
// RUN: sattn-opt %s --split-input-file -o %t.keep/out.mlir
// RUN: not sattn-opt %s --sattn-verify -o %t.keep/out.mlir 2>&1 | FileCheck %s --check-prefix=FAIL-NO-FILE
// RUN: FileCheck %s --check-prefix=KEEP --input-file=%t.keep/out.mlir
// RUN: ls %t.keep | count 1

/// Input from stdin, as '-' or with no file at all, is read whole.
// STDIN-LABEL: func.func @io_good()
// STDIN: func.func @io_bad_left()

// -----

/// Diagnostics on stdin input name it <stdin>, with the line and column.
// STDIN-DIAG-LABEL: <stdin>:
// STDIN-DIAG-SAME: [[# @LINE + 60]]:8: error: 'sattn.window' op left must be non-negative, got -1

// -----

/// A missing input: the message names the file and the reason, exit 1.
// MISSING-LABEL: sattn-opt: error: cannot open '
// MISSING-SAME: [[FILE]]': No such file or directory
// MISSING-NEXT: exit=1

// -----

/// A directory as input is refused with a message, exit 1.
// DIRECTORY-LABEL: sattn-opt: error: cannot read '
// DIRECTORY-SAME: [[DIR]]': it is a directory
// DIRECTORY-NEXT: exit=1

// -----

/// -o FILE writes the whole output to FILE, nothing to stdout.
// OUTFILE-LABEL: module {
// OUTFILE-NEXT: func.func @io_good()
// OUTFILE: func.func @io_bad_left()
// OUTFILE: {{^}$}}

// -----

/// -o into a directory that does not exist fails with a message naming the
/// path, and creates nothing.
// NODIR-LABEL: sattn-opt: error: cannot write '
// NODIR-SAME: [[PATH]]': No such file or directory

// -----

/// A failing run with -o leaves no output file and no temporary file.
// FAIL-NO-FILE-LABEL: error: 'sattn.window' op left must be non-negative, got -1

// -----

/// With --split-input-file, a later failing chunk does not leave the
/// earlier chunks' output behind.
// NO-PARTIAL-LABEL: error: 'sattn.window' op left must be non-negative, got -1
// NO-PARTIAL-NOT: error:

// -----

/// A failing run does not clobber the output of an earlier good run.
// KEEP-LABEL: func.func @io_good()
// KEEP: // -----
// KEEP: func.func @io_bad_left()

// -----

func.func @io_good() -> !sattn.mask {
  %0 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

func.func @io_bad_left() -> !sattn.mask {
  %0 = "sattn.window"() {left = -1 : i64, right = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}
