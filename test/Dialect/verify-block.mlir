// sattn-verify: `block` of local, random, topk and blocks must be a power of
// two from 1 to 2^20. IRDL accepts every op here (the last RUN line).
//
// RUN: sattn-opt %s --split-input-file --sattn-verify --verify-diagnostics
// RUN: not sattn-opt %s --split-input-file --sattn-verify 2>&1 | FileCheck %s
// RUN: mlir-opt --irdl-file=%sattn_irdl %s --split-input-file -o %t

/// A block that is not a power of two (48) is rejected.
// CHECK-LABEL: error: 'sattn.local' op block must be a power of two from 1 to 2^20, got 48
// CHECK-NEXT: "sattn.local"() {block = 48 : i64, width = 1 : i64}
func.func @dont_local_block_48() -> !sattn.mask {
  // expected-error@+1 {{'sattn.local' op block must be a power of two from 1 to 2^20, got 48}}
  %0 = "sattn.local"() {block = 48 : i64, width = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A block of 0 is rejected (0 & -1 == 0 must not pass as a power of two).
// CHECK-LABEL: error: 'sattn.local' op block must be a power of two from 1 to 2^20, got 0
// CHECK-NEXT: "sattn.local"() {block = 0 : i64, width = 1 : i64}
func.func @dont_local_block_zero() -> !sattn.mask {
  // expected-error@+1 {{'sattn.local' op block must be a power of two from 1 to 2^20, got 0}}
  %0 = "sattn.local"() {block = 0 : i64, width = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A block of 2^21, a power of two over the limit, is rejected.
// CHECK-LABEL: error: 'sattn.local' op block must be a power of two from 1 to 2^20, got 2097152
// CHECK-NEXT: "sattn.local"() {block = 2097152 : i64, width = 0 : i64}
func.func @dont_local_block_too_large() -> !sattn.mask {
  // expected-error@+1 {{'sattn.local' op block must be a power of two from 1 to 2^20, got 2097152}}
  %0 = "sattn.local"() {block = 2097152 : i64, width = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// A negative power of two (the i64 minimum) is rejected.
// CHECK-LABEL: error: 'sattn.local' op block must be a power of two from 1 to 2^20, got -9223372036854775808
func.func @dont_local_block_int64_min() -> !sattn.mask {
  // expected-error@+1 {{'sattn.local' op block must be a power of two from 1 to 2^20, got -9223372036854775808}}
  %0 = "sattn.local"() {block = -9223372036854775808 : i64, width = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// random checks its block too.
// CHECK-LABEL: error: 'sattn.random' op block must be a power of two from 1 to 2^20, got 96
// CHECK-NEXT: "sattn.random"() {block = 96 : i64, count = 1 : i64, per_head = false, seed = 0 : i64}
func.func @dont_random_block_96() -> !sattn.mask {
  // expected-error@+1 {{'sattn.random' op block must be a power of two from 1 to 2^20, got 96}}
  %0 = "sattn.random"() {block = 96 : i64, count = 1 : i64, per_head = false, seed = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// topk checks its block too.
// CHECK-LABEL: error: 'sattn.topk' op block must be a power of two from 1 to 2^20, got 3
func.func @dont_topk_block_3() -> !sattn.mask {
  %a = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.topk' op block must be a power of two from 1 to 2^20, got 3}}
  %0 = "sattn.topk"(%a) {block = 3 : i64, input = -1 : i64, k = 1 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// blocks checks its block too.
// CHECK-LABEL: error: 'sattn.blocks' op block must be a power of two from 1 to 2^20, got -64
// CHECK-NEXT: "sattn.blocks"() {block = -64 : i64, input = 0 : i64}
func.func @dont_blocks_negative_block() -> !sattn.mask {
  // expected-error@+1 {{'sattn.blocks' op block must be a power of two from 1 to 2^20, got -64}}
  %0 = "sattn.blocks"() {block = -64 : i64, input = 0 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// block must be i64 like every other integer attribute.
// CHECK-LABEL: error: 'sattn.local' op attribute 'block' must be a 64-bit integer (i64)
// CHECK-NOT: must be a power of two
func.func @dont_local_block_i16() -> !sattn.mask {
  // expected-error@+1 {{'sattn.local' op attribute 'block' must be a 64-bit integer (i64)}}
  %0 = "sattn.local"() {block = 64 : i16, width = 1 : i64} : () -> !sattn.mask
  return %0 : !sattn.mask
}
