// sattn-verify: a dynamic term must not reach topk's `among` through an op
// that is not a sattn op either: a call to a function that returns a
// dynamic mask, or a region that yields one. (A block argument already
// counts as not static; the result of a call or of an scf.if is no more
// known to be static.)
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 >%t.out | FileCheck %s

/// `among` from a call to a named pattern that is `same` (dynamic).
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%called)
func.func private @dynamic_pattern() -> !sattn.mask {
  %0 = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}
func.func @dont_topk_among_call() -> !sattn.mask {
  %called = func.call @dynamic_pattern() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%called) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// `among` yielded by an scf.if whose then-branch is `blocks` (dynamic);
/// the condition is a constant, so no operand of the scf.if is dynamic.
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%chosen)
func.func @dont_topk_among_region() -> !sattn.mask {
  %cond = arith.constant true
  %chosen = scf.if %cond -> !sattn.mask {
    %b = "sattn.blocks"() {block = 64 : i64, input = 0 : i64} : () -> !sattn.mask
    scf.yield %b : !sattn.mask
  } else {
    %c = "sattn.causal"() : () -> !sattn.mask
    scf.yield %c : !sattn.mask
  }
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%chosen) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}
