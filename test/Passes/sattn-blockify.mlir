// sattn-blockify: each sattn.attention becomes a sattn.blocked_attention
// whose head groups carry a group_schedule (the mask and, in closed form,
// the keys a query tile [p0, p1] may attend: sattn.keys_* ops).
//
// RUN: sattn-opt %s --split-input-file --sattn-blockify | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-blockify='block-q=8 block-k=16' | FileCheck %s --check-prefix=SMALL
// RUN: sattn-opt %s --split-input-file --pass-pipeline='builtin.module(sattn-blockify{block-q=8 block-k=16})' | FileCheck %s --check-prefix=SMALL

/// causal: a query tile [p0, p1] sees keys [0, p1] (keys_range from
/// "zero" to "last"); the attention becomes a blocked_attention of the
/// same q, k, v with the default tiles (block_q = 32, block_k = 64), the
/// groups and the scale, and its result is returned; no sattn.attention
/// is left. With block-q=8 block-k=16 the tile sizes follow the options.
// CHECK-LABEL: func.func @causal(
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<?x?x?x16xf32>, %[[K:[a-z0-9]+]]: tensor<?x?x?x16xf32>, %[[V:[a-z0-9]+]]: tensor<?x?x?x16xf32>
// CHECK-NEXT: %[[M:[0-9]+]] = "sattn.causal"() : () -> !sattn.mask
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: %[[S:[0-9]+]] = "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// CHECK-NEXT: %[[B:[0-9]+]] = "sattn.blocked_attention"(%[[Q]], %[[K]], %[[V]], %[[S]]) {block_k = 64 : i64, block_q = 32 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
// CHECK-NEXT: return %[[B]] : tensor<?x?x?x16xf32>
// CHECK-NOT: "sattn.attention"
// SMALL-LABEL: func.func @causal(
// SMALL: "sattn.blocked_attention"({{.*}}) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64}
func.func @causal(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.causal"() : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// window(3, 5): keys [p0 - 3, p1 + 5].
// CHECK-LABEL: func.func @window(
// CHECK: %[[M:[0-9]+]] = "sattn.window"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 5 : i64, lo = -3 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @window(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.window"() {left = 3 : i64, right = 5 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// local(width 1, block 16): whole blocks of 16 around the tile, [(p0/16 - 1) 16,
/// (p1/16 + 2) 16): lo = -16, hi = 31 with both anchors aligned to 16.
// CHECK-LABEL: func.func @local(
// CHECK: %[[M:[0-9]+]] = "sattn.local"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 16 : i64, from = "first", hi = 31 : i64, lo = -16 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @local(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.local"() {block = 16 : i64, width = 1 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// (Each of these four cases is intersected with summary(1, 1), every
/// key: a term that depends on the residue class keeps the contiguous
/// tiling, so the keys of the term itself show.)
/// dilated(4, 2): dilation 2 <= block_q, so only the range [p0 - 8, p1 + 8]
/// (no periodic key set).
// CHECK-LABEL: func.func @dilated_narrow(
// CHECK: %[[M:[0-9]+]] = "sattn.dilated"(
// CHECK: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 8 : i64, lo = -8 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%{{[0-9]+}}, %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @dilated_narrow(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.dilated"() {dilation = 2 : i64, radius = 4 : i64} : () -> !sattn.mask
  %all = "sattn.summary"() {count = 1 : i64, stride = 1 : i64} : () -> !sattn.mask
  %m2 = "sattn.intersect"(%m, %all) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m2) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// dilated(2, 64): dilation 64 > block_q, so the range [p0 - 128, p1 + 128]
/// is intersected with the residues of the tile's rows mod 64 (block_q = 32
/// of them, anchored at p0; 8 with block-q=8).
// CHECK-LABEL: func.func @dilated_wide(
// CHECK: %[[M:[0-9]+]] = "sattn.dilated"(
// CHECK: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 128 : i64, lo = -128 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: %[[P:[0-9]+]] = "sattn.keys_periodic"() {anchor = "first", count = 32 : i64, offset = 0 : i64, period = 64 : i64} : () -> !sattn.keys
// CHECK-NEXT: %[[I:[0-9]+]] = "sattn.keys_intersect"(%[[R]], %[[P]]) : (!sattn.keys, !sattn.keys) -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%{{[0-9]+}}, %[[I]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// SMALL-LABEL: func.func @dilated_wide(
// SMALL: "sattn.keys_periodic"() {anchor = "first", count = 8 : i64, offset = 0 : i64, period = 64 : i64} : () -> !sattn.keys
func.func @dilated_wide(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.dilated"() {dilation = 64 : i64, radius = 2 : i64} : () -> !sattn.mask
  %all = "sattn.summary"() {count = 1 : i64, stride = 1 : i64} : () -> !sattn.mask
  %m2 = "sattn.intersect"(%m, %all) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m2) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// stride(16) with block_q = 32: every residue mod 16 occurs in a tile, so
/// every key (keys_all); with block-q=8 only the 8 residues p0..p0+7 mod 16.
// CHECK-LABEL: func.func @stride_short(
// CHECK: %[[M:[0-9]+]] = "sattn.stride"(
// CHECK: %[[R:[0-9]+]] = "sattn.keys_all"() : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%{{[0-9]+}}, %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// SMALL-LABEL: func.func @stride_short(
// SMALL: %[[M:[0-9]+]] = "sattn.stride"(
// SMALL: %[[R:[0-9]+]] = "sattn.keys_periodic"() {anchor = "first", count = 8 : i64, offset = 0 : i64, period = 16 : i64} : () -> !sattn.keys
// SMALL-NEXT: "sattn.group_schedule"(%{{[0-9]+}}, %[[R]])
func.func @stride_short(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.stride"() {stride = 16 : i64} : () -> !sattn.mask
  %all = "sattn.summary"() {count = 1 : i64, stride = 1 : i64} : () -> !sattn.mask
  %m2 = "sattn.intersect"(%m, %all) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m2) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// stride(128) > block_q: the block_q residues p0..p0+31 mod 128.
// CHECK-LABEL: func.func @stride_long(
// CHECK: %[[M:[0-9]+]] = "sattn.stride"(
// CHECK: %[[R:[0-9]+]] = "sattn.keys_periodic"() {anchor = "first", count = 32 : i64, offset = 0 : i64, period = 128 : i64} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%{{[0-9]+}}, %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @stride_long(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.stride"() {stride = 128 : i64} : () -> !sattn.mask
  %all = "sattn.summary"() {count = 1 : i64, stride = 1 : i64} : () -> !sattn.mask
  %m2 = "sattn.intersect"(%m, %all) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m2) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// summary(64, 4): its columns (j mod 64 >= 60) become a stripe: gathered
/// key tiles over keys_periodic (anchored at zero), classified with the
/// summary term true (full) and decided per pair by the mask; the range
/// segment keeps the mask minus those columns (nothing) and no key (the
/// empty range [1, 0]).
// CHECK-LABEL: func.func @summary(
// CHECK: %[[M:[0-9]+]] = "sattn.summary"(
// CHECK-NEXT: %[[E:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 1 : i64, to = "zero"}
// CHECK-NEXT: %[[D:[0-9]+]] = "sattn.difference"(%[[M]], %[[M]])
// CHECK-NEXT: %[[F:[0-9]+]] = "sattn.full"()
// CHECK-NEXT: %[[P:[0-9]+]] = "sattn.keys_periodic"() {anchor = "zero", count = 4 : i64, offset = 60 : i64, period = 64 : i64} : () -> !sattn.keys
// CHECK-NEXT: %[[S:[0-9]+]] = "sattn.stripe_schedule"(%[[M]], %[[F]], %[[P]]) : (!sattn.mask, !sattn.mask, !sattn.keys) -> !sattn.stripe
// CHECK-NEXT: "sattn.group_schedule"(%[[D]], %[[E]], %[[S]]) : (!sattn.mask, !sattn.keys, !sattn.stripe) -> !sattn.schedule
func.func @summary(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.summary"() {count = 4 : i64, stride = 64 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// summary(4, 4): count = stride, so every key.
// CHECK-LABEL: func.func @summary_all(
// CHECK: %[[M:[0-9]+]] = "sattn.summary"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_all"() : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @summary_all(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.summary"() {count = 4 : i64, stride = 4 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// global [0, 1), [2, 3): the global columns become a stripe (keys_columns,
/// classified with the global term true); the range segment keeps the
/// mask minus those columns (sattn.columns) and, as keys, every key for a
/// tile meeting the global rows (keys_rows).
// CHECK-LABEL: func.func @global(
// CHECK: %[[M:[0-9]+]] = "sattn.global"() {ranges = array<i64: 0, 1, 2, 3>} : () -> !sattn.mask
// CHECK-NEXT: %[[C:[0-9]+]] = "sattn.columns"() {ranges = array<i64: 0, 1, 2, 3>} : () -> !sattn.mask
// CHECK-NEXT: %[[W:[0-9]+]] = "sattn.keys_rows"() {ranges = array<i64: 0, 1, 2, 3>} : () -> !sattn.keys
// CHECK-NEXT: %[[D:[0-9]+]] = "sattn.difference"(%[[M]], %[[C]])
// CHECK-NEXT: %[[F:[0-9]+]] = "sattn.full"()
// CHECK-NEXT: %[[K:[0-9]+]] = "sattn.keys_columns"() {ranges = array<i64: 0, 1, 2, 3>} : () -> !sattn.keys
// CHECK-NEXT: %[[S:[0-9]+]] = "sattn.stripe_schedule"(%[[M]], %[[F]], %[[K]])
// CHECK-NEXT: "sattn.group_schedule"(%[[D]], %[[W]], %[[S]]) : (!sattn.mask, !sattn.keys, !sattn.stripe) -> !sattn.schedule
func.func @global(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.global"() {ranges = array<i64: 0, 1, 2, 3>} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// random blocks: the key blocks drawn for the tile's query blocks
/// (keys_random, the same attributes; the kernel calls the runtime's
/// generator).
// CHECK-LABEL: func.func @random(
// CHECK: %[[M:[0-9]+]] = "sattn.random"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_random"() {block = 8 : i64, count = 2 : i64, per_head = false, seed = 7 : i64} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @random(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.random"() {block = 8 : i64, count = 2 : i64, per_head = false, seed = 7 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// full: every key.
// CHECK-LABEL: func.func @full(
// CHECK: %[[M:[0-9]+]] = "sattn.full"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_all"() : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @full(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.full"() : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// causal | full | window: `all` absorbs the union, so the schedule holds
/// a single keys_all and the other terms' key sets are dropped.
// CHECK-LABEL: func.func @union_full(
// CHECK-NOT: "sattn.keys_
// CHECK: %[[M:[0-9]+]] = "sattn.union"(
// CHECK-NEXT: %[[A:[0-9]+]] = "sattn.keys_all"() : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[A]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// CHECK-NOT: "sattn.keys_
func.func @union_full(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.full"() : () -> !sattn.mask
  %c = "sattn.window"() {left = 3 : i64, right = 5 : i64} : () -> !sattn.mask
  %m = "sattn.union"(%a, %b, %c) : (!sattn.mask, !sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// (causal | window) | (stride(128) | summary(64, 4)): nested unions flatten
/// into one keys_union of the leaves' key sets, but the summary's columns
/// are a stripe, so its keys are not in the union; no inner keys_union is
/// left.
// CHECK-LABEL: func.func @union_nested(
// CHECK-NOT: "sattn.keys_
// CHECK: %[[AB:[0-9]+]] = "sattn.union"(
// CHECK-NEXT: %[[CD:[0-9]+]] = "sattn.union"(
// CHECK-NEXT: %[[M:[0-9]+]] = "sattn.union"(%[[AB]], %[[CD]])
// CHECK-NEXT: %[[K0:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: %[[K1:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 5 : i64, lo = -3 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: %[[K2:[0-9]+]] = "sattn.keys_periodic"() {anchor = "first", count = 32 : i64, offset = 0 : i64, period = 128 : i64} : () -> !sattn.keys
// CHECK-NEXT: %[[U:[0-9]+]] = "sattn.keys_union"(%[[K0]], %[[K1]], %[[K2]]) : (!sattn.keys, !sattn.keys, !sattn.keys) -> !sattn.keys
// CHECK-NEXT: %[[D:[0-9]+]] = "sattn.difference"(%[[M]], %{{[0-9]+}})
// CHECK: "sattn.keys_periodic"() {anchor = "zero", count = 4 : i64, offset = 60 : i64, period = 64 : i64}
// CHECK-NEXT: %[[S:[0-9]+]] = "sattn.stripe_schedule"(%[[M]],
// CHECK-NEXT: "sattn.group_schedule"(%[[D]], %[[U]], %[[S]])
// CHECK-NOT: "sattn.keys_union"
func.func @union_nested(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.window"() {left = 3 : i64, right = 5 : i64} : () -> !sattn.mask
  %c = "sattn.stride"() {stride = 128 : i64} : () -> !sattn.mask
  %d = "sattn.summary"() {count = 4 : i64, stride = 64 : i64} : () -> !sattn.mask
  %ab = "sattn.union"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %cd = "sattn.union"(%c, %d) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %m = "sattn.union"(%ab, %cd) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// causal & stride(4): stride(4) gives every key, which drops out of the
/// intersection, leaving only the causal range (no keys_intersect).
// CHECK-LABEL: func.func @intersect(
// CHECK-NOT: "sattn.keys_
// CHECK: %[[M:[0-9]+]] = "sattn.intersect"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// CHECK-NOT: "sattn.keys_
func.func @intersect(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.stride"() {stride = 4 : i64} : () -> !sattn.mask
  %m = "sattn.intersect"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// window - causal: a difference visits the keys of its left side only
/// (no causal range is built).
// CHECK-LABEL: func.func @difference(
// CHECK-NOT: "sattn.keys_
// CHECK: %[[M:[0-9]+]] = "sattn.difference"(
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 5 : i64, lo = -3 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// CHECK-NOT: "sattn.keys_
func.func @difference(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.window"() {left = 3 : i64, right = 5 : i64} : () -> !sattn.mask
  %b = "sattn.causal"() : () -> !sattn.mask
  %m = "sattn.difference"(%a, %b) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// topk(among = window(3, 5)): the candidates are the keys of `among`, so
/// the window's range; the schedule's mask is the topk.
// CHECK-LABEL: func.func @topk(
// CHECK: %[[W:[0-9]+]] = "sattn.window"(
// CHECK-NEXT: %[[M:[0-9]+]] = "sattn.topk"(%[[W]])
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 5 : i64, lo = -3 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: "sattn.group_schedule"(%[[M]], %[[R]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
func.func @topk(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.window"() {left = 3 : i64, right = 5 : i64} : () -> !sattn.mask
  %m = "sattn.topk"(%a) {block = 64 : i64, input = -1 : i64, k = 8 : i64, score = "meankey"} : (!sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// Two head groups (heads [0, 2) causal, [2, end) stride(128)): one
/// group_schedule per group, each with its own mask and keys, both passed
/// to blocked_attention in group order with the groups attribute kept.
// CHECK-LABEL: func.func @groups(
// CHECK: %[[A:[0-9]+]] = "sattn.causal"()
// CHECK-NEXT: %[[B:[0-9]+]] = "sattn.stride"()
// CHECK-NEXT: %[[RA:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
// CHECK-NEXT: %[[SA:[0-9]+]] = "sattn.group_schedule"(%[[A]], %[[RA]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// CHECK-NEXT: %[[RB:[0-9]+]] = "sattn.keys_periodic"() {anchor = "first", count = 32 : i64, offset = 0 : i64, period = 128 : i64} : () -> !sattn.keys
// CHECK-NEXT: %[[SB:[0-9]+]] = "sattn.group_schedule"(%[[B]], %[[RB]]) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
// CHECK-NEXT: "sattn.blocked_attention"(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %[[SA]], %[[SB]]) {block_k = 64 : i64, block_q = 32 : i64, groups = array<i64: 0, 2, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule, !sattn.schedule) -> tensor<?x?x?x16xf32>
func.func @groups(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %a = "sattn.causal"() : () -> !sattn.mask
  %b = "sattn.stride"() {stride = 128 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %a, %b) {groups = array<i64: 0, 2, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// With the optional log-sum-exp result, blocked_attention has both
/// results and the function returns them.
// CHECK-LABEL: func.func @lse(
// CHECK-SAME: -> (tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
// CHECK: %[[B:[0-9]+]]:2 = "sattn.blocked_attention"({{.*}}) {{.*}} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> (tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
// CHECK-NEXT: return %[[B]]#0, %[[B]]#1 : tensor<?x?x?x16xf32>, tensor<?x?x?xf32>
// CHECK-NOT: "sattn.attention"
func.func @lse(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> (tensor<?x?x?x16xf32>, tensor<?x?x?xf32>) attributes {sattn.kernel} {
  %m = "sattn.causal"() : () -> !sattn.mask
  %out, %lse = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> (tensor<?x?x?x16xf32>, tensor<?x?x?xf32>)
  return %out, %lse : tensor<?x?x?x16xf32>, tensor<?x?x?xf32>
}

// -----

/// causal & stride(64): every allowed pair has p = j (mod 64), so the
/// attention splits into 64 residue classes (lattice = 64); in compressed
/// positions the mask is causal & full and a tile sees keys [0, p1].
// CHECK-LABEL: func.func @lattice_stride(
// CHECK-NOT: "sattn.stride"
// CHECK: %[[C:[0-9]+]] = "sattn.causal"()
// CHECK-NEXT: %[[F:[0-9]+]] = "sattn.full"()
// CHECK-NEXT: %[[I:[0-9]+]] = "sattn.intersect"(%[[C]], %[[F]])
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"}
// CHECK-NEXT: %[[S:[0-9]+]] = "sattn.group_schedule"(%[[I]], %[[R]])
// CHECK-NEXT: "sattn.blocked_attention"({{.*}}, %[[S]]) {block_k = 64 : i64, block_q = 32 : i64, groups = array<i64: 0, -1>, lattice = 64 : i64,
func.func @lattice_stride(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %c = "sattn.causal"() : () -> !sattn.mask
  %s = "sattn.stride"() {stride = 64 : i64} : () -> !sattn.mask
  %m = "sattn.intersect"(%c, %s) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// dilated(128, 4): lattice 4, and in a class the mask is the window of
/// radius 128 (|p - j| <= 512 with p - j = 4 (p' - j')); the original
/// dilated op is gone.
// CHECK-LABEL: func.func @lattice_dilated(
// CHECK-NOT: "sattn.dilated"
// CHECK: %[[W:[0-9]+]] = "sattn.window"() {left = 128 : i64, right = 128 : i64}
// CHECK-NEXT: %[[R:[0-9]+]] = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 128 : i64, lo = -128 : i64, to = "last"}
// CHECK-NEXT: "sattn.group_schedule"(%[[W]], %[[R]])
// CHECK-NEXT: "sattn.blocked_attention"({{.*}}lattice = 4 : i64,
func.func @lattice_dilated(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %m = "sattn.dilated"() {dilation = 4 : i64, radius = 128 : i64} : () -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}

// -----

/// stride(64) | global(0): the global token's row and column are off the
/// lattice, so no residue classes (lattice = 1) and the stride's keys are
/// the residues of the tile's rows.
// CHECK-LABEL: func.func @no_lattice(
// CHECK: "sattn.keys_periodic"() {anchor = "first", count = 32 : i64, offset = 0 : i64, period = 64 : i64}
// CHECK: "sattn.blocked_attention"({{.*}}lattice = 1 : i64,
func.func @no_lattice(%q: tensor<?x?x?x16xf32>, %k: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %s = "sattn.stride"() {stride = 64 : i64} : () -> !sattn.mask
  %g = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
  %m = "sattn.union"(%s, %g) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %out = "sattn.attention"(%q, %k, %v, %m) {groups = array<i64: 0, -1>, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.mask) -> tensor<?x?x?x16xf32>
  return %out : tensor<?x?x?x16xf32>
}
