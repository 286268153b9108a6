// RUN: sattn-opt %s --split-input-file --sattn-tile | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-tile | sattn-opt --split-input-file --sattn-lower-cpu | FileCheck %s --check-prefix=LOWER

// sattn-tile: the block-schedule level (sattn-blockify's output, here for
// block-q=8 block-k=16) becomes one item function per kernel with the loop
// over its key tiles, and two private helpers per head group: next (the
// next key tile to visit) and class (full, empty) of a key tile.

/// A causal kernel: the helpers (next(p0, p1, Lk, J, head), class(p0, p1,
/// j0, j1, Lk, head)), then the item function: work item ->
/// (b, h, query tile, key split); state in allocas (8 rows, 8 x 16 acc);
/// a while loop over key tiles from next(the split's first key) while J is
/// below the split's end; a full tile folds in without the mask, a
/// non-empty partial one with it; finish writes the rows (into the partial
/// buffers when the keys are split). The kernel func is gone.
// CHECK-LABEL: func.func private @causal_next_0(
// CHECK-SAME: %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64) -> i64
// CHECK: arith.floordivsi
// CHECK-LABEL: func.func private @causal_class_0(
// CHECK-SAME: -> (i1, i1)
// CHECK-LABEL: func.func @causal_item(
// CHECK-SAME: memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>
// CHECK-SAME: memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64,
// CHECK-SAME: %{{.*}}: memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>, %{{.*}}: memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: %[[MASK:.*]] = "sattn.causal"()
// CHECK: arith.constant 8 : index
// CHECK: %[[M:.*]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK: %[[L:.*]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK: %[[ACC:.*]] = memref.alloca() {alignment = 64 : i64} : memref<8x16xf32>
// CHECK: "sattn.tile_init"(%[[M]], %[[L]], %[[ACC]])
// CHECK: %[[J0:.*]] = call @causal_next_0(
// CHECK: %[[JLO:.*]] = arith.addi %[[J0]],
// CHECK: %[[JHI:.*]] = arith.minsi
// CHECK: %[[J1:.*]] = call @causal_next_0({{.*}}, %[[JLO]], %{{.*}})
// CHECK: scf.while (%[[J:.*]] = %[[J1]]) : (i64) -> i64
// CHECK: arith.cmpi slt, %[[J]], %[[JHI]]
// CHECK: %[[CLS:.*]]:2 = func.call @causal_class_0(
// CHECK: scf.if %[[CLS]]#0 {
// CHECK: "sattn.tile_step"(%arg0, %arg1, %arg2, %[[M]], %[[L]], %[[ACC]], {{[^!]*}}) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64}
// CHECK: } else {
// CHECK: "sattn.tile_step"({{.*}}, %[[MASK]]) {block_k = 16 : i64
// CHECK: func.call @causal_next_0(
// CHECK: scf.yield
// CHECK: arith.cmpi ugt
// CHECK: "sattn.tile_finish"(%arg8, %arg9, %{{.*}}, %[[M]], %[[L]], %[[ACC]],
// CHECK: } else {
// CHECK: "sattn.tile_finish"(%arg3, %arg4, %arg5, %[[M]], %[[L]], %[[ACC]],
// CHECK-NOT: func.func @causal(
// CHECK-NOT: sattn.blocked_attention
// LOWER-LABEL: func.func @causal_item(
// LOWER-NOT: sattn.
// LOWER: return
func.func @causal(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
  %2 = "sattn.group_schedule"(%0, %1) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %3 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %2) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}

// -----

/// Head groups: one pair of helpers per group, and each group's tile loop
/// under a test of the head (heads [0, 2) and [2, ...)).
// CHECK-LABEL: func.func private @groups_next_0(
// CHECK-LABEL: func.func private @groups_class_0(
// CHECK-LABEL: func.func private @groups_next_1(
// CHECK-LABEL: func.func private @groups_class_1(
// CHECK-LABEL: func.func @groups_item(
// CHECK: %[[C:.*]] = "sattn.causal"()
// CHECK: %[[W:.*]] = "sattn.window"()
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: scf.if
// CHECK: call @groups_next_0(
// CHECK: "sattn.tile_step"({{.*}}, %[[C]])
// CHECK: arith.cmpi sge
// CHECK: scf.if
// CHECK: call @groups_next_1(
// CHECK: "sattn.tile_step"({{.*}}, %[[W]])
// CHECK: "sattn.tile_finish"
func.func @groups(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  %2 = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
  %3 = "sattn.group_schedule"(%0, %2) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %4 = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 4 : i64, lo = -4 : i64, to = "last"} : () -> !sattn.keys
  %5 = "sattn.group_schedule"(%1, %4) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %6 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %3, %5) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, 2, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %6 : tensor<?x?x?x16xf32>
}

// -----

/// An intersection of key sets: next runs to a fixpoint, the latest of the
/// children's next tiles until they agree (a while loop in the helper).
// CHECK-LABEL: func.func private @strided_next_0(
// CHECK: scf.while
// CHECK: arith.maxsi
// CHECK: arith.cmpi ne
// CHECK: scf.yield
// CHECK: return
// CHECK-LABEL: func.func private @strided_class_0(
// CHECK-LABEL: func.func @strided_item(
func.func @strided(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.stride"() {stride = 128 : i64} : () -> !sattn.mask
  %2 = "sattn.intersect"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
  %4 = "sattn.keys_periodic"() {anchor = "first", count = 8 : i64, offset = 0 : i64, period = 128 : i64} : () -> !sattn.keys
  %5 = "sattn.keys_intersect"(%3, %4) : (!sattn.keys, !sattn.keys) -> !sattn.keys
  %6 = "sattn.group_schedule"(%2, %5) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %7 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %6) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %7 : tensor<?x?x?x16xf32>
}

// -----

/// Global columns and rows: next takes the nearest of the window's range
/// and the global columns, or every tile for a query tile holding a global
/// row; named patterns are removed with the kernels.
// CHECK-LABEL: func.func private @longformer_next_0(
// CHECK: arith.minsi
// CHECK-LABEL: func.func private @longformer_class_0(
// CHECK-LABEL: func.func @longformer_item(
// CHECK-NOT: func.func @pattern.
func.func @longformer(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  %1 = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 4 : i64, lo = -4 : i64, to = "last"} : () -> !sattn.keys
  %4 = "sattn.keys_columns"() {ranges = array<i64: 0, 1>} : () -> !sattn.keys
  %5 = "sattn.keys_rows"() {ranges = array<i64: 0, 1>} : () -> !sattn.keys
  %6 = "sattn.keys_union"(%3, %4, %5) : (!sattn.keys, !sattn.keys, !sattn.keys) -> !sattn.keys
  %7 = "sattn.group_schedule"(%2, %6) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %8 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %7) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %8 : tensor<?x?x?x16xf32>
}
func.func @pattern.unused() -> !sattn.mask attributes {sattn.pattern} {
  %0 = "sattn.full"() : () -> !sattn.mask
  return %0 : !sattn.mask
}

// -----

/// Stripes: after the range tiles, the group's stripe (the global column)
/// runs in gathered key tiles: a scf.for over the gathered columns (their
/// count below Lk, in closed form), each tile classified by its own helper
/// @NAME_sclass_G_S over the span of its columns, and folded in with the
/// key map of its columns ([1, 0, 1]: the range [0, 1)) and, when partial,
/// the stripe's mask.
// CHECK-LABEL: func.func private @lfs_sclass_0_0(
// CHECK-LABEL: func.func @lfs_item(
// CHECK: scf.while
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16
// CHECK: func.call @lfs_sclass_0_0(
// CHECK: "sattn.tile_step"({{[^!]*}}) {block_k = 16 : i64, key_map = array<i64: 1, 0, 1>,
// CHECK: "sattn.tile_step"({{.*}}) {block_k = 16 : i64, key_map = array<i64: 1, 0, 1>,
// CHECK: "sattn.tile_finish"
func.func @lfs(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.window"() {left = 4 : i64, right = 4 : i64} : () -> !sattn.mask
  %1 = "sattn.global"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
  %2 = "sattn.union"(%0, %1) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %3 = "sattn.columns"() {ranges = array<i64: 0, 1>} : () -> !sattn.mask
  %4 = "sattn.keys_range"() {align = 1 : i64, from = "first", hi = 4 : i64, lo = -4 : i64, to = "last"} : () -> !sattn.keys
  %5 = "sattn.keys_rows"() {ranges = array<i64: 0, 1>} : () -> !sattn.keys
  %6 = "sattn.keys_union"(%4, %5) : (!sattn.keys, !sattn.keys) -> !sattn.keys
  %7 = "sattn.difference"(%2, %3) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %8 = "sattn.full"() : () -> !sattn.mask
  %9 = "sattn.union"(%0, %8) : (!sattn.mask, !sattn.mask) -> !sattn.mask
  %10 = "sattn.keys_columns"() {ranges = array<i64: 0, 1>} : () -> !sattn.keys
  %11 = "sattn.stripe_schedule"(%2, %9, %10) : (!sattn.mask, !sattn.mask, !sattn.keys) -> !sattn.stripe
  %12 = "sattn.group_schedule"(%7, %6, %11) : (!sattn.mask, !sattn.keys, !sattn.stripe) -> !sattn.schedule
  %13 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %12) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %13 : tensor<?x?x?x16xf32>
}

// -----

/// random: next and class ask the runtime's generator for the drawn key
/// blocks of the tile's query blocks (a loop over them), declared once.
// CHECK-LABEL: func.func private @sattn_rt_random_next(i64, i64, i64, i64, i64, i64) -> i64
// CHECK-LABEL: func.func private @rnd_next_0(
// CHECK: scf.for
// CHECK: call @sattn_rt_random_next(
// CHECK-LABEL: func.func private @rnd_class_0(
// CHECK: call @sattn_rt_random_next(
func.func @rnd(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.random"() {block = 16 : i64, count = 2 : i64, per_head = false, seed = 3 : i64} : () -> !sattn.mask
  %1 = "sattn.keys_random"() {block = 16 : i64, count = 2 : i64, per_head = false, seed = 3 : i64} : () -> !sattn.keys
  %2 = "sattn.group_schedule"(%0, %1) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %3 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %2) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 1 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}

// -----

/// A lattice (lattice = 4): each residue class runs on strided views of
/// q, k, v, out, and the next class's views (class c + 1 when it exists,
/// else c's again: arith.select) go to tile_step (q_next, k_next, v_next)
/// and tile_finish (out_next), for the CPU step to prefetch the next work
/// item's rows, which lie 4 rows apart where no hardware prefetcher looks.
// CHECK-LABEL: func.func @lat_item(
// CHECK: %[[NROW:[0-9]+]] = arith.select %[[HAS:[0-9]+]], %{{[0-9]+}}, %{{[0-9]+}} : index
// CHECK: %[[NKEY:[0-9]+]] = arith.select %[[HAS]], %{{[0-9]+}}, %{{[0-9]+}} : index
// CHECK: %[[Q:subview[_0-9]*]] = memref.subview %arg0[0, 0, %[[ROW:[0-9]+]], 0]
// CHECK: %[[K:subview[_0-9]*]] = memref.subview %arg1[0, 0, %[[KEY:[0-9]+]], 0]
// CHECK: %[[V:subview[_0-9]*]] = memref.subview %arg2[0, 0, %[[KEY]], 0]
// CHECK: %[[QN:subview[_0-9]*]] = memref.subview %arg0[0, 0, %[[NROW]], 0]
// CHECK: %[[ON:subview[_0-9]*]] = memref.subview %arg3[0, 0, %[[NROW]], 0]
// CHECK: %[[KN:subview[_0-9]*]] = memref.subview %arg1[0, 0, %[[NKEY]], 0]
// CHECK: %[[VN:subview[_0-9]*]] = memref.subview %arg2[0, 0, %[[NKEY]], 0]
// CHECK: "sattn.tile_step"(%[[Q]], %[[K]], %[[V]], {{[^!]*}}, %[[QN]], %[[KN]], %[[VN]]) {block_k = 16
// CHECK: "sattn.tile_step"(%[[Q]], %[[K]], %[[V]], {{.*}}, %[[QN]], %[[KN]], %[[VN]], %{{[0-9]+}}) {block_k = 16
// CHECK: "sattn.tile_finish"(%[[OS:subview[_0-9]*]], {{.*}}, %[[OS]]) :
// CHECK: "sattn.tile_finish"(%{{subview[_0-9]*}}, {{.*}}, %[[ON]]) :
func.func @lat(%arg0: tensor<?x?x?x16xf32>, %arg1: tensor<?x?x?x16xf32>, %arg2: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> attributes {sattn.kernel} {
  %0 = "sattn.causal"() : () -> !sattn.mask
  %1 = "sattn.keys_range"() {align = 1 : i64, from = "zero", hi = 0 : i64, lo = 0 : i64, to = "last"} : () -> !sattn.keys
  %2 = "sattn.group_schedule"(%0, %1) : (!sattn.mask, !sattn.keys) -> !sattn.schedule
  %3 = "sattn.blocked_attention"(%arg0, %arg1, %arg2, %2) {block_k = 16 : i64, block_q = 8 : i64, groups = array<i64: 0, -1>, lattice = 4 : i64, scale = 2.500000e-01 : f64} : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, !sattn.schedule) -> tensor<?x?x?x16xf32>
  return %3 : tensor<?x?x?x16xf32>
}
