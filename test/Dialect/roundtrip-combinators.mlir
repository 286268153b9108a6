// Combinators: union, intersect (variadic), difference (lhs, rhs). Each op,
// written in the generic form, parses, prints back identically, re-parses,
// and loads in upstream mlir-opt from the IRDL file alone.
//
// RUN: sattn-opt %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file | sattn-opt - --split-input-file | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file | FileCheck %s
// RUN: sattn-opt %s --split-input-file -o %t.once
// RUN: sattn-opt %t.once --split-input-file -o %t.twice
// RUN: diff %t.once %t.twice
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t.upstream
// RUN: diff %t.once %t.upstream

/// union of two masks keeps its operand order.
// CHECK-LABEL: func.func @union_two()
// CHECK-NEXT: %[[WIN:.*]] = "sattn.window"() {left = 256 : i64, right = 256 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[GLOB:.*]] = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
// CHECK-NEXT: %[[MASK:.*]] = "sattn.union"(%[[WIN]], %[[GLOB]]) : (!sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @union_two() -> !sattn.mask {
  %0 = "sattn.window"() {left = 256 : i64, right = 256 : i64} : () -> !sattn.mask
  %1 = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// union is variadic: three operands stay one op (BigBird-like).
// CHECK-LABEL: func.func @union_three()
// CHECK-NEXT: %[[WIN:.*]] = "sattn.window"
// CHECK-NEXT: %[[GLOB:.*]] = "sattn.global"
// CHECK-NEXT: %[[RAND:.*]] = "sattn.random"
// CHECK-NEXT: %[[MASK:.*]] = "sattn.union"(%[[WIN]], %[[GLOB]], %[[RAND]]) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @union_three() -> !sattn.mask {
  %0 = "sattn.window"() {left = 192 : i64, right = 192 : i64} : () -> !sattn.mask
  %1 = "sattn.global"() {ranges = array<i64: 0, 128>} : () -> !sattn.mask
  %2 = "sattn.random"() {block = 64 : i64, count = 3 : i64, per_head = true, seed = 0 : i64} : () -> !sattn.mask
  %3 = "sattn.union"(%0, %1, %2) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  return %3 : !sattn.mask
}

// -----

/// intersect of two masks (Mistral-like sliding window over causal).
// CHECK-LABEL: func.func @intersect_two()
// CHECK-NEXT: %[[CAUSAL:.*]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[WIN:.*]] = "sattn.window"() {left = 4096 : i64, right = 0 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[MASK:.*]] = "sattn.intersect"(%[[CAUSAL]], %[[WIN]]) : (!sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @intersect_two() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.window"() {left = 4096 : i64, right = 0 : i64} : () -> !sattn.mask
  %2 = "sattn.intersect"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// difference keeps lhs first and rhs second (it is not commutative).
// CHECK-LABEL: func.func @difference()
// CHECK-NEXT: %[[LHS:.*]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[RHS:.*]] = "sattn.stride"() {stride = 2 : i64} : () -> !sattn.mask
// CHECK-NEXT: %[[MASK:.*]] = "sattn.difference"(%[[LHS]], %[[RHS]]) : (!sattn.mask, !sattn.mask) -> !sattn.mask
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @difference() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.stride"() {stride = 2 : i64} : () -> !sattn.mask
  %2 = "sattn.difference"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %2 : !sattn.mask
}

// -----

/// Combinators nest, and one value may feed several of them.
// CHECK-LABEL: func.func @nested_shared()
// CHECK-NEXT: %[[CAUSAL:.*]] = "sattn.causal"()
// CHECK-NEXT: %[[WIN:.*]] = "sattn.window"()
// CHECK-NEXT: %[[INTER:.*]] = "sattn.intersect"(%[[CAUSAL]], %[[WIN]])
// CHECK-NEXT: %[[UNION:.*]] = "sattn.union"(%[[INTER]], %[[CAUSAL]], %[[INTER]])
// CHECK-NEXT: %[[MASK:.*]] = "sattn.difference"(%[[UNION]], %[[WIN]])
// CHECK-NEXT: return %[[MASK]] : !sattn.mask
func.func @nested_shared() -> !sattn.mask {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.window"() {left = 8 : i64, right = 8 : i64} : () -> !sattn.mask
  %2 = "sattn.intersect"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.union"(%2, %0, %2) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  %4 = "sattn.difference"(%3, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  return %4 : !sattn.mask
}
