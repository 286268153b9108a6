// Dynamic terms: topk, blocks, same. Each op, written in the generic form,
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

/// topk scored by mean keys reads no input (-1) and takes `among` as its
/// operand.
// CHECK-LABEL: func.func @topk_meankey()
// CHECK-NEXT: %[[AMONG:.*]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[MASK:.*]] = "sattn.topk"(%[[AMONG]]) {block = 64 : i64, input = -1 : i64, k = 8 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @topk_meankey() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.topk"(%0) {block = 64 : i64, input = -1 : i64, k = 8 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %1 : !sattn.mask
}

// -----

/// topk scored by the caller names its dynamic input; `among` may be any
/// static combination.
// CHECK-LABEL: func.func @topk_input()
// CHECK-NEXT: %[[WIN:.*]] = "sattn.window"() {left = 512 : i64, right = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[GLOB:.*]] = "sattn.global"() {ranges = array<i64: 0, 64>} : () -> !sattn.mask
// CHECK-NEXT: %[[AMONG:.*]] = "sattn.union"(%[[WIN]], %[[GLOB]]) : (!sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: %[[MASK:.*]] = "sattn.topk"(%[[AMONG]]) {block = 32 : i64, input = 2 : i64, k = 4 : i64, score = "input"} : (!sattn.mask) -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @topk_input() -> !sattn.mask {
  %0 = "sattn.window"() {left = 512 : i64, right = 0 : i64} : () -> !sattn.mask
  %1 = "sattn.global"() {ranges = array<i64: 0, 64>} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.topk"(%2) {block = 32 : i64, input = 2 : i64, k = 4 : i64, score = "input"} : (!sattn.mask) -> !sattn.mask
  return %3 : !sattn.mask
}

// -----

/// blocks keeps its block size and input number.
// CHECK-LABEL: func.func @blocks()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.blocks"() {block = 128 : i64, input = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @blocks() -> !sattn.mask {
  %0 = "sattn.blocks"() {block = 128 : i64, input = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// same keeps its input number.
// CHECK-LABEL: func.func @same()
// CHECK-NEXT: %[[MASK:.*]] = "sattn.same"() {input = 1 : i64} : () -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @same() -> !sattn.mask {
  %0 = "sattn.same"() {input = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Structurally, IRDL lets `among` be any mask value, even a function
/// argument (sattn-verify, not the parser, requires a static one).
// CHECK-LABEL: func.func @topk_among_argument(
// CHECK-SAME: %[[ARG:.*]]: !sattn.mask
// CHECK-NEXT: "sattn.topk"(%[[ARG]]) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"}
func.func @topk_among_argument(%arg0: !sattn.mask) -> !sattn.mask {
  %0 = "sattn.topk"(%arg0) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}
