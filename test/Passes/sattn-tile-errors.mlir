// RUN: sattn-opt %s --split-input-file --verify-diagnostics --sattn-tile
// RUN: not sattn-opt %s --sattn-tile=block-q=8 2>&1 | FileCheck %s --check-prefix=OPTION

// OPTION: sattn-opt: error: invalid pass pipeline: sattn-tile: unknown option 'block-q'

/// sattn-tile needs the block schedule: a plain attention is refused.
func.func @not_blockified(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{sattn-tile needs the block schedule: run sattn-blockify first}}
  %1 = "sattn.attention"(%q, %k, %v, %0) {groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %1 : tensor<?x?x?x16xf32>
}

// -----

/// Schedule values are checked like the attention: block sizes in range.
func.func @bad_block(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.keys_all"() : () -> !sattn.keys
  %2 = "sattn.group_schedule"(%0, %1) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  // expected-error@+1 {{'sattn.blocked_attention' op block_q = 0 is out of [1, 4096]}}
  %3 = "sattn.blocked_attention"(%q, %k, %v, %2) {block_k = 16 : i64, block_q = 0 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}

// -----

/// A keys_range anchor must be one of the four names.
func.func @bad_anchor(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{from and to must each be "zero", "first", "last" or "end"}}
  %1 = "sattn.keys_range"() {align = 1 : i64, from = "middle", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
  %2 = "sattn.group_schedule"(%0, %1) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %3 = "sattn.blocked_attention"(%q, %k, %v, %2) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}

// -----

/// keys_periodic: the count is at most the period.
func.func @bad_periodic(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  // expected-error@+1 {{'sattn.keys_periodic' op count = 9 is out of [1, 8]}}
  %1 = "sattn.keys_periodic"() {anchor = "zero", count = 9 : i64, offset = 0 : i64, period = 8 : i64} : () -> !sattn.keys
  %2 = "sattn.group_schedule"(%0, %1) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %3 = "sattn.blocked_attention"(%q, %k, %v, %2) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}

// -----

/// A schedule operand must come from sattn.group_schedule.
func.func @bad_schedule(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>, %s: !sattn.schedule) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  // expected-error@+1 {{each schedule operand must come from sattn.group_schedule}}
  %3 = "sattn.blocked_attention"(%q, %k, %v, %s) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}
