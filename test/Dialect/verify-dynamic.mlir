// sattn-verify: random count, topk (k, score/input agreement, a static
// `among`), blocks and same input numbers. IRDL accepts every op here (the
// last RUN line).
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// random: a count of 0 draws no block.
// CHECK-LABEL: error: 'sattn.random' op count must be positive, got 0
// CHECK-NEXT: "sattn.random"() {block = 64 : i64, count = 0 : i64, per_head = false, seed = 1 : i64}
func.func @dont_random_zero_count() -> !sattn.mask {
  // expected-error@+1 {{'sattn.random' op count must be positive, got 0}}
  %0 = "sattn.random"() {block = 64 : i64, count = 0 : i64, per_head = false, seed = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// random: the seed is a 64-bit pattern, so it must be i64.
// CHECK-LABEL: error: 'sattn.random' op attribute 'seed' must be a 64-bit integer (i64)
func.func @dont_random_i32_seed() -> !sattn.mask {
  // expected-error@+1 {{'sattn.random' op attribute 'seed' must be a 64-bit integer (i64)}}
  %0 = "sattn.random"() {block = 64 : i64, count = 1 : i64, per_head = true, seed = 1 : i32} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: k = 0 keeps nothing.
// CHECK-LABEL: error: 'sattn.topk' op k must be positive, got 0
// CHECK-NEXT: "sattn.topk"(%{{.*}}) {block = 64 : i64, input = -1 : i64, k = 0 : i64, score = "meankey"}
func.func @dont_topk_zero_k() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op k must be positive, got 0}}
  %0 = "sattn.topk"(%a) {block = 64 : i64, input = -1 : i64, k = 0 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: score = "meankey" reads no input, so input must be -1.
// CHECK-LABEL: error: 'sattn.topk' op score = "meankey" reads no input: input must be -1, got 0
func.func @dont_topk_meankey_with_input() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op score = "meankey" reads no input: input must be -1, got 0}}
  %0 = "sattn.topk"(%a) {block = 64 : i64, input = 0 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: score = "input" needs a dynamic input number >= 0.
// CHECK-LABEL: error: 'sattn.topk' op score = "input" needs a dynamic input number >= 0, got -1
func.func @dont_topk_input_without_number() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op score = "input" needs a dynamic input number >= 0, got -1}}
  %0 = "sattn.topk"(%a) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "input"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: independent errors on one op are all reported.
// CHECK-LABEL: error: 'sattn.topk' op block must be a power of two from 1 to 2^20, got 3
// CHECK: error: 'sattn.topk' op score = "meankey" reads no input: input must be -1, got 2
func.func @dont_topk_two_errors() -> !sattn.mask {
  %a = "sattn.full"() : () -> !sattn.mask
  // expected-error@+2 {{block must be a power of two from 1 to 2^20, got 3}}
  // expected-error@+1 {{score = "meankey" reads no input: input must be -1, got 2}}
  %0 = "sattn.topk"(%a) {block = 3 : i64, input = 2 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: `among` defined by `same` (dynamic) is rejected.
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%same)
func.func @dont_topk_among_same() -> !sattn.mask {
  %same = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%same) {block = 64 : i64, input = 1 : i64, k = 1 : i64, score = "input"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: a dynamic term anywhere under `among` (here a union holding
/// `blocks`) makes it dynamic.
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%union)
func.func @dont_topk_among_union_with_blocks() -> !sattn.mask {
  %causal = "sattn.causal"() : () -> !sattn.mask
  %blocks = "sattn.blocks"() {block = 64 : i64, input = 0 : i64} : () -> !sattn.mask
  %union = "sattn.union"(%causal, %blocks) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%union) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: a dynamic term deep under `among` (the rhs of a difference inside
/// an intersect) is found.
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%inter)
func.func @dont_topk_among_nested_same() -> !sattn.mask {
  %causal = "sattn.causal"() : () -> !sattn.mask
  %same = "sattn.same"() {input = 0 : i64} : () -> !sattn.mask
  %diff = "sattn.difference"(%causal, %same) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %win = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  %inter = "sattn.intersect"(%win, %diff) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%inter) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: `among` may not be another topk; only the outer one is reported.
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%inner)
// CHECK-NOT: error:
func.func @dont_topk_among_topk() -> !sattn.mask {
  %causal = "sattn.causal"() : () -> !sattn.mask
  %inner = "sattn.topk"(%causal) {block = 64 : i64, input = -1 : i64, k = 4 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%inner) {block = 64 : i64, input = -1 : i64, k = 2 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk: a function argument is not known to be static.
// CHECK-LABEL: error: 'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)
// CHECK-NEXT: "sattn.topk"(%arg)
func.func @dont_topk_among_argument(%arg: !sattn.mask) -> !sattn.mask {
  // expected-error@+1 {{'sattn.topk' op 'among' must be a static mask (no topk, blocks or same)}}
  %0 = "sattn.topk"(%arg) {block = 64 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// blocks: the input number must not be negative.
// CHECK-LABEL: error: 'sattn.blocks' op input must be non-negative, got -1
// CHECK-NEXT: "sattn.blocks"() {block = 64 : i64, input = -1 : i64}
func.func @dont_blocks_negative_input() -> !sattn.mask {
  // expected-error@+1 {{'sattn.blocks' op input must be non-negative, got -1}}
  %0 = "sattn.blocks"() {block = 64 : i64, input = -1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// same: the input number must not be negative.
// CHECK-LABEL: error: 'sattn.same' op input must be non-negative, got -2
// CHECK-NEXT: "sattn.same"() {input = -2 : i64}
func.func @dont_same_negative_input() -> !sattn.mask {
  // expected-error@+1 {{'sattn.same' op input must be non-negative, got -2}}
  %0 = "sattn.same"() {input = -2 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}
