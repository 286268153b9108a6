// sattn-opt runs upstream passes given as flags (with options) or as a
// --pass-pipeline (with options and nested pass managers). The input below
// has a dead op (canonicalize removes it) and two identical adds (cse
// merges them).
//
// RUN: sattn-opt %s | FileCheck %s --check-prefix=NONE
// RUN: sattn-opt %s --pass-pipeline='builtin.module()' | FileCheck %s --check-prefix=NONE
// RUN: sattn-opt %s --canonicalize=max-iterations=2 | FileCheck %s --check-prefix=CANON
// RUN: sattn-opt %s --pass-pipeline='builtin.module(canonicalize{max-iterations=2})' | FileCheck %s --check-prefix=CANON
// RUN: sattn-opt %s --pass-pipeline='builtin.module(func.func(cse,canonicalize))' | FileCheck %s --check-prefix=NESTED
// RUN: sattn-opt %s --pass-pipeline=' builtin.module ( func.func ( cse , canonicalize ) ) ' | FileCheck %s --check-prefix=NESTED
// RUN: sattn-opt %s --sattn-verify --cse --canonicalize | FileCheck %s --check-prefix=NESTED
// RUN: sattn-opt %s --pass-pipeline='builtin.module(sattn-verify{})' | FileCheck %s --check-prefix=NONE

/// With no pass (also an empty pipeline, or sattn-verify with empty
/// options), the input prints unchanged: the dead op and both adds stay.
// NONE-LABEL: func.func @dup(
// NONE-NEXT: arith.constant 1 : i32
// NONE-NEXT: arith.addi
// NONE-NEXT: arith.addi
// NONE-NEXT: arith.subi
// NONE-NEXT: arith.muli

// -----

/// --canonicalize=max-iterations=2 (and its pipeline form with {...})
/// runs canonicalize: the dead op goes, both adds stay (it does not CSE).
// CANON-LABEL: func.func @dup(
// CANON-NEXT: arith.constant 1 : i32
// CANON-NEXT: arith.addi
// CANON-NEXT: arith.addi
// CANON-NEXT: arith.muli
// CANON-NOT: arith.subi

// -----

/// A nested pipeline builtin.module(func.func(cse,canonicalize)) runs both
/// passes on the function (whitespace around names and parentheses is
/// allowed; the flag form gives the same result).
// NESTED-LABEL: func.func @dup(
// NESTED-NEXT: %[[C1:.*]] = arith.constant 1 : i32
// NESTED-NEXT: %[[SUM:.*]] = arith.addi %{{.*}}, %[[C1]] : i32
// NESTED-NEXT: %[[PROD:.*]] = arith.muli %[[SUM]], %[[SUM]] : i32
// NESTED-NEXT: return %[[PROD]] : i32
// NESTED-NOT: arith.subi

func.func @dup(%a: i32) -> i32 {
  %c = arith.constant 1 : i32
  %x = arith.addi %a, %c : i32
  %y = arith.addi %a, %c : i32
  %dead = arith.subi %a, %c : i32
  %z = arith.muli %x, %y : i32
  return %z : i32
}
