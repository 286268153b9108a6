// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=lanes=8 | FileCheck %s --check-prefix=AVX2
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu | sattn-opt --split-input-file --pass-pipeline='builtin.module(func.func(arith-expand{include-bf16=true}),convert-scf-to-cf,expand-strided-metadata,lower-affine,convert-vector-to-llvm{enable-x86vector=true},finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' | FileCheck %s --check-prefix=LLVM

// sattn-lower-cpu: the tile ops of sattn-tile's item functions become CPU
// loops (scf, memref, arith, math); the masks they used go with them. The
// inputs are written by hand at the tile level: state allocas, then
// tile_init, tile_step (full, then partial with a mask), tile_finish.

/// f32 (16 lanes, the default): the tile's state lives transposed (query
/// rows in lanes) in allocas at the function entry: QT and AT (D x block_q
/// rounded up to 16), the scores ST (block_k rounded up x 16), M, L and
/// the correction C, and the flag of a packed QT. init stores vectors
/// (-inf, 0) and clears the flag; the first step packs QT = q * scale *
/// log2(e) (padding rows 0). The state is aligned to a cache line. The
/// scores are 6 keys x 1 query vector of accumulators (one QT vector per d
/// shared by the 6 key broadcasts), each block prefetching, per 16 head
/// dims (a cache line), that line of the K and V rows of the next tile's
/// same keys (12 prefetches), the rest key by key; the
/// partial step applies the mask (causal: j <= p) on vectors of query
/// positions; per query vector the max is elementwise over the keys (a
/// compare and a select: one vmaxps), P an exp2 polynomial (rounding by
/// math.roundeven, 2^n applied by vscalefps; with 8 lanes the exponent is
/// built by a shift), L and M updated; PV is
/// 6 head dims x 1 query vector carried over the keys. finish multiplies
/// by 1 / l (0 for an empty row); the lse (m ln 2 + ln l, ln by exponent
/// and a polynomial on vectors, no libm call) goes through C to the rows
/// when asked. No sattn op is left.
// CHECK-LABEL: func.func @f32_item(
// CHECK: %[[QT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[AT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[ST:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[M:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: %[[L:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: %[[C:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: %[[FLAG:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1xi8>
// CHECK: vector.store %{{.*}}, %[[M]]
// CHECK: vector.store %{{.*}}, %[[AT]]
// CHECK: memref.store %{{.*}}, %[[FLAG]]
// CHECK: memref.load %[[FLAG]]
// CHECK: scf.if
// CHECK: arith.constant 0.360673755 : f32
// CHECK: memref.store %{{.*}}, %[[QT]]
// CHECK: %[[SIX:.*]] = arith.constant 6 : index
// CHECK: scf.for {{.*}} step %[[SIX]] {
// CHECK: scf.for %[[LINE:.*]] = %{{.*}} to %{{.*}} step %c16{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-6: memref.prefetch %arg{{[12]}}[%c0, %c0, %{{.*}}, %[[LINE]]], read, locality<3>, data
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.load %[[QT]]
// CHECK-COUNT-6: vector.fma
// CHECK: vector.store %{{.*}}, %[[ST]]
// CHECK: arith.cmpf ogt, {{.*}} : vector<16xf32>
// CHECK: math.roundeven {{.*}} : vector<16xf32>
// CHECK: x86vector.avx512.mask.scalef {{.*}} : vector<16xf32>
// CHECK: vector.store %{{.*}}, %[[C]]
// CHECK: vector.store %{{.*}}, %[[M]]
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.load %[[ST]]
// CHECK: arith.cmpi sle, {{.*}} : vector<16xi64>
// CHECK: arith.shrui {{.*}} : vector<16xi32>
// CHECK: arith.constant dense<0.693147182> : vector<16xf32>
// CHECK: vector.store %{{.*}}, %[[C]]
// CHECK: arith.divf
// CHECK: memref.load %[[C]]
// CHECK-NOT: math.log
// CHECK-NOT: sattn.
/// lanes=8 (AVX2): vectors of 8; a block of 6 keys (or head dims) x 2
/// query vectors: the 16 query rows are exactly one block wide.
// AVX2-LABEL: func.func @f32_item(
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// AVX2: arith.shli {{.*}} : vector<8xi32>
// LLVM-LABEL: llvm.func @f32_item(
// LLVM-NOT: scf.
// LLVM: llvm.func @_mlir_ciface_f32_item(
#m4 = strided<[?, ?, ?, ?], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @f32_item(%q: memref<?x?x?x?xf32, #m4>, %k: memref<?x?x?x?xf32, #m4>, %v: memref<?x?x?x?xf32, #m4>, %o: memref<?x?x?x?xf32, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %mask = "sattn.causal"() : () -> !sattn.mask
  %m = memref.alloca() : memref<8xf32>
  %l = memref.alloca() : memref<8xf32>
  %acc = memref.alloca() : memref<8x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<8xf32>, memref<8xf32>, memref<8x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c0, %c16, %p0, %q, %k, %v) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c16, %c32, %p0, %q, %k, %v, %mask) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, !sattn.mask) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c8, %o) : (memref<?x?x?x?xf32, #m4>, memref<?x?x?xf32, #m3>, i64, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4>) -> ()
  return
}

// -----

/// A unit innermost stride (what sattn-tile's item functions take): the
/// first step packs whole groups of 16 query rows by 16 vector loads, a
/// 16 x 16 transpose in registers (4 stages of 16 shuffles) and 16 vector
/// stores into QT, the rest row by row; finish does the reverse for whole
/// groups of 16 rows (AT times 1 / l, transposed, vector stores into out,
/// each line of the next tile's rows prefetched for writing) and writes
/// their lse, then the rest row by row.
// CHECK-LABEL: func.func @f32_unit_item(
// CHECK: scf.if
// CHECK: vector.load %arg0[{{.*}}] : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>, vector<16xf32>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK: vector.store {{.*}} : memref<16x16xf32>, vector<16xf32>
// CHECK: arith.divf {{.*}} : vector<16xf32>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK: vector.store %{{.*}}, %arg3[{{.*}}] : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>, vector<16xf32>
// CHECK: memref.prefetch %{{.*}}, write, locality<3>, data
// CHECK: memref.store %{{.*}}, %arg4
#m4u = strided<[?, ?, ?, 1], offset: ?>
#m3u = strided<[?, ?, ?], offset: ?>
func.func @f32_unit_item(%q: memref<?x?x?x?xf32, #m4u>, %k: memref<?x?x?x?xf32, #m4u>, %v: memref<?x?x?x?xf32, #m4u>, %o: memref<?x?x?x?xf32, #m4u>, %lse: memref<?x?x?xf32, #m3u>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c16 = arith.constant 16 : index
  %m = memref.alloca() : memref<16xf32>
  %l = memref.alloca() : memref<16xf32>
  %acc = memref.alloca() : memref<16x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<16xf32>, memref<16xf32>, memref<16x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c16, %c0, %c16, %p0, %q, %k, %v) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<16xf32>, memref<16xf32>, memref<16x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c16, %o) : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?xf32, #m3u>, i64, memref<16xf32>, memref<16xf32>, memref<16x16xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4u>) -> ()
  return
}

// -----

/// bf16: loads are widened to f32; the output is rounded to bf16 with
/// integer ops (no arith.truncf, which LLVM may turn into a libcall).
// CHECK-LABEL: func.func @bf16_item(
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: arith.bitcast {{.*}} : f32 to i32
// CHECK: arith.trunci {{.*}} : i32 to i16
// CHECK: arith.bitcast {{.*}} : i16 to bf16
// CHECK-NOT: arith.truncf
// LLVM-LABEL: llvm.func @bf16_item(
#m4 = strided<[?, ?, ?, ?], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %m = memref.alloca() : memref<8xf32>
  %l = memref.alloca() : memref<8xf32>
  %acc = memref.alloca() : memref<8x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<8xf32>, memref<8xf32>, memref<8x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c0, %c16, %p0, %q, %k, %v) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c8, %o) : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?xf32, #m3>, i64, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, memref<?x?x?x?xbf16, #m4>) -> ()
  return
}

// -----

/// random: the partial step calls the runtime's generator, declared once
/// in the module.
// CHECK-LABEL: func.func @random_item(
// CHECK: call @sattn_rt_random_member
// CHECK-LABEL: func.func private @sattn_rt_random_member(i64, i64, i64, i64, i64, i64) -> i8
// CHECK-NOT: func.func private @sattn_rt_random_member
#m4 = strided<[?, ?, ?, ?], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @random_item(%q: memref<?x?x?x?xf32, #m4>, %k: memref<?x?x?x?xf32, #m4>, %v: memref<?x?x?x?xf32, #m4>, %o: memref<?x?x?x?xf32, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %mask = "sattn.random"() {block = 8 : i64, count = 2 : i64, per_head = false, seed = 7 : i64} : () -> !sattn.mask
  %m = memref.alloca() : memref<8xf32>
  %l = memref.alloca() : memref<8xf32>
  %acc = memref.alloca() : memref<8x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<8xf32>, memref<8xf32>, memref<8x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c0, %c16, %p0, %q, %k, %v, %mask) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, !sattn.mask) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c8, %o) : (memref<?x?x?x?xf32, #m4>, memref<?x?x?xf32, #m3>, i64, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4>) -> ()
  return
}

// -----

/// 64 query rows (4 vectors of 16). A tile of at most 32 rows (the last of
/// a sequence, a short residue class) runs its step on 2 query vectors:
/// 6 keys x 2 vectors of accumulators. Otherwise, a partial step whose
/// mask is vectorizable applies the mask first, as 0 or -inf in ST, and
/// carries per query vector the first and one-past-last key with an
/// allowed lane (4 x 2 index values); each block of 6 keys then computes
/// nothing when no vector takes part, 2 vectors from min(first, 2) (12
/// accumulators) when at most 2 do, else all 4 (24), and adds its scores
/// to the mask in ST.
// CHECK-LABEL: func.func @skip_item(
// CHECK: arith.cmpi ule, %{{.*}}, %c32{{.*}} : index
// CHECK-NEXT: scf.if
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (index, index, index, index, index, index, index, index) {
// CHECK: vector.reduction <or>, %{{.*}} : vector<16xi1> into i1
// CHECK: scf.for {{.*}} step %c6 {
// CHECK: scf.if %{{.*}} {
// CHECK: %[[W:.*]] = arith.cmpi ule, %{{.*}}, %c2{{.*}} : index
// CHECK-NEXT: scf.if %[[W]] {
// CHECK: arith.minui %{{.*}}, %c2{{.*}} : index
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: arith.addf
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: arith.addf
// CHECK-NOT: sattn.
#m4u = strided<[?, ?, ?, 1], offset: ?>
#m3u = strided<[?, ?, ?], offset: ?>
func.func @skip_item(%q: memref<?x?x?x?xf32, #m4u>, %k: memref<?x?x?x?xf32, #m4u>, %v: memref<?x?x?x?xf32, #m4u>, %o: memref<?x?x?x?xf32, #m4u>, %lse: memref<?x?x?xf32, #m3u>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %mask = "sattn.causal"() : () -> !sattn.mask
  %m = memref.alloca() : memref<64xf32>
  %l = memref.alloca() : memref<64xf32>
  %acc = memref.alloca() : memref<64x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<64xf32>, memref<64xf32>, memref<64x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c64, %c0, %c64, %p0, %q, %k, %v, %mask) {block_k = 64 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<64xf32>, memref<64xf32>, memref<64x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, !sattn.mask) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c64, %o) : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?xf32, #m3u>, i64, memref<64xf32>, memref<64xf32>, memref<64x16xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4u>) -> ()
  return
}

// -----

/// The same partial step's PV runs over three key segments from the mask's
/// per-vector ranges: pairs of query vectors (0, 1) and (2, 3) get
/// [min lo, max hi); the pair that starts first runs alone (12
/// accumulators, scf.if: which pair) up to where the other starts, both
/// run (24) up to where the first ends, and the pair that ends last runs
/// alone to its end.
// CHECK-LABEL: func.func @pv_segments_item(
// CHECK: %[[LOA:.*]] = arith.minui %[[M:[0-9]+]]#0, %[[M]]#2 : index
// CHECK-NEXT: %[[HIA:.*]] = arith.maxui %[[M]]#1, %[[M]]#3 : index
// CHECK-NEXT: %[[LOB:.*]] = arith.minui %[[M]]#4, %[[M]]#6 : index
// CHECK-NEXT: %[[HIB:.*]] = arith.maxui %[[M]]#5, %[[M]]#7 : index
// CHECK-NEXT: %[[AF:.*]] = arith.cmpi ule, %[[LOA]], %[[LOB]] : index
// CHECK: scf.if %[[AF]] -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: %[[BL:.*]] = arith.cmpi uge, %[[HIB]], %[[HIA]] : index
// CHECK: %[[AL:.*]] = arith.xori %[[BL]], %true
// CHECK: scf.if %[[AL]] -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
#m4u = strided<[?, ?, ?, 1], offset: ?>
#m3u = strided<[?, ?, ?], offset: ?>
func.func @pv_segments_item(%q: memref<?x?x?x?xf32, #m4u>, %k: memref<?x?x?x?xf32, #m4u>, %v: memref<?x?x?x?xf32, #m4u>, %o: memref<?x?x?x?xf32, #m4u>, %lse: memref<?x?x?xf32, #m3u>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %mask = "sattn.causal"() : () -> !sattn.mask
  %m = memref.alloca() : memref<64xf32>
  %l = memref.alloca() : memref<64xf32>
  %acc = memref.alloca() : memref<64x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<64xf32>, memref<64xf32>, memref<64x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c64, %c0, %c64, %p0, %q, %k, %v, %mask) {block_k = 64 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<64xf32>, memref<64xf32>, memref<64x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, !sattn.mask) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c64, %o) : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?xf32, #m3u>, i64, memref<64xf32>, memref<64xf32>, memref<64x16xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4u>) -> ()
  return
}

// -----

/// Next work item's rows (a lattice's next class: q_next, k_next, v_next,
/// out_next are other views than q, k, v, out): the pack prefetches the
/// next item's query rows (row0 + 16 + r of q while q has it, else row r of
/// q_next), the key blocks prefetch the next tile's K and V rows from k/v or,
/// past their end, from k_next/v_next, and the finish prefetches the next
/// item's output rows for writing.
// CHECK-LABEL: func.func @next_item_prefetch(
// CHECK: vector.load %arg0
// CHECK: arith.select %{{.*}}, %arg7, %arg0 : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>
// CHECK: memref.prefetch %{{.*}}, read, locality<3>, data
// CHECK: arith.select %{{.*}}, %arg8, %arg1 : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>
// CHECK: arith.select %{{.*}}, %arg9, %arg2 : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>
// CHECK: vector.store %{{.*}}, %arg3[{{.*}}] : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>, vector<16xf32>
// CHECK: arith.select %{{.*}}, %arg10, %arg3 : memref<?x?x?x?xf32, strided<[?, ?, ?, 1], offset: ?>>
// CHECK: memref.prefetch %{{.*}}, write, locality<3>, data
#m4u = strided<[?, ?, ?, 1], offset: ?>
#m3u = strided<[?, ?, ?], offset: ?>
func.func @next_item_prefetch(%q: memref<?x?x?x?xf32, #m4u>, %k: memref<?x?x?x?xf32, #m4u>, %v: memref<?x?x?x?xf32, #m4u>, %o: memref<?x?x?x?xf32, #m4u>, %lse: memref<?x?x?xf32, #m3u>, %w: i64, %item: i64, %qn: memref<?x?x?x?xf32, #m4u>, %kn: memref<?x?x?x?xf32, #m4u>, %vn: memref<?x?x?x?xf32, #m4u>, %on: memref<?x?x?x?xf32, #m4u>) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c16 = arith.constant 16 : index
  %m = memref.alloca() : memref<16xf32>
  %l = memref.alloca() : memref<16xf32>
  %acc = memref.alloca() : memref<16x16xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<16xf32>, memref<16xf32>, memref<16x16xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c16, %c0, %c16, %p0, %qn, %kn, %vn) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<16xf32>, memref<16xf32>, memref<16x16xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>, memref<?x?x?x?xf32, #m4u>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c16, %on) : (memref<?x?x?x?xf32, #m4u>, memref<?x?x?xf32, #m3u>, i64, memref<16xf32>, memref<16xf32>, memref<16x16xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4u>) -> ()
  return
}
