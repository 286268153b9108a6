// Block-level terms: local and random. Each op, written in the generic form,
// parses, prints back identically, re-parses, and loads in upstream mlir-opt
// from the IRDL file alone.
//
// RUN: sattn-opt %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file | sattn-opt - --split-input-file | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file -o %t.once
// RUN: sattn-opt %t.once --split-input-file -o %t.twice
// RUN: diff %t.once %t.twice
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t.upstream
// RUN: diff %t.once %t.upstream

/// local keeps block and width.
// CHECK-LABEL: func.func @local()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.local"() {block = 64 : i64, width = 1 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @local() -> !sattn.mask {
  %0 = "sattn.local"() {block = 64 : i64, width = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// The smallest local: width 0 (own block only) over blocks of 1.
// CHECK-LABEL: func.func @local_smallest()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.local"() {block = 1 : i64, width = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @local_smallest() -> !sattn.mask {
  %0 = "sattn.local"() {block = 1 : i64, width = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// random shared by all heads: per_head = false prints as the bool false.
// CHECK-LABEL: func.func @random_shared()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.random"() {block = 64 : i64, count = 3 : i64, per_head = false, seed = 42 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @random_shared() -> !sattn.mask {
  %0 = "sattn.random"() {block = 64 : i64, count = 3 : i64, per_head = false, seed = 42 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// random per head; a seed with the top bit set is kept as its i64 pattern.
// CHECK-LABEL: func.func @random_per_head_high_seed()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.random"() {block = 128 : i64, count = 1 : i64, per_head = true, seed = -7046029254386353131 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @random_per_head_high_seed() -> !sattn.mask {
  %0 = "sattn.random"() {block = 128 : i64, count = 1 : i64, per_head = true, seed = -7046029254386353131 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Two random terms with different seeds stay two ops (no CSE without a
/// pass, no merging).
// CHECK-LABEL: func.func @two_randoms()
// CHECK-NEXT: "sattn.random"() {block = 64 : i64, count = 2 : i64, per_head = false, seed = 1 : i64}
// CHECK-NEXT: "sattn.random"() {block = 64 : i64, count = 2 : i64, per_head = false, seed = 2 : i64}
// CHECK-NEXT: return
func.func @two_randoms() {
  %0 = "sattn.random"() {block = 64 : i64, count = 2 : i64, per_head = false, seed = 1 : i64} : () -> !sattn.mask
  %1 = "sattn.random"() {block = 64 : i64, count = 2 : i64, per_head = false, seed = 2 : i64} : () -> !sattn.mask
  return
}
