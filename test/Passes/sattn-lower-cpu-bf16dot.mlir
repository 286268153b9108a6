// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=bf16dot=1 | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=bf16dot=1 | sattn-opt --split-input-file --pass-pipeline='builtin.module(func.func(arith-expand{include-bf16=true}),convert-scf-to-cf,expand-strided-metadata,lower-affine,convert-vector-to-llvm{enable-x86vector=true},finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' | FileCheck %s --check-prefix=LLVM
// RUN: not sattn-opt %s --split-input-file "--sattn-lower-cpu=lanes=8 bf16dot=1" 2>&1 | FileCheck %s --check-prefix=ERR-LANES
// RUN: not sattn-opt %s --split-input-file "--sattn-lower-cpu=amx=1 bf16dot=1" 2>&1 | FileCheck %s --check-prefix=ERR-AMX

// sattn-lower-cpu{bf16dot=1}: bf16 steps take QK^T and PV on the
// AVX512-BF16 dot product (vdpbf16ps), pairs along each contraction. The
// drivers set it on AMD Zen hosts with AVX512-BF16 (SATTN_CPU_BF16DOT=0
// turns it off).

// ERR-LANES: sattn-lower-cpu: bf16dot=1 needs lanes=16
// ERR-AMX: sattn-lower-cpu: amx=1 and bf16dot=1 exclude each other

/// A bf16 tile of 64 rows, d = 64, 64 keys: three bf16 pair buffers
/// beside the f32 state: QTV (head-dim pairs per query, 32 x 2 * 64), PP
/// (the weights in key pairs, 32 x 2 * 64) and VP (V's rows in key pairs,
/// 32 x 2 * 64). QK^T broadcasts K's pairs (two bf16 as one i32) against
/// QTV rows; the scores stay unscaled: the softmax scales them by
/// scale * log2(e) = 0.1803 in the FMA before its exp2, converts the
/// weights of two keys to bf16 and interleaves them; PV broadcasts VP's
/// pairs against PP rows.
// CHECK-LABEL: func.func @bf16_dot_item(
// CHECK-DAG: memref.alloca() {alignment = 64 : i64} : memref<32x128xbf16>
// CHECK: vector.bitcast {{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK: arith.constant dense<0.180336878> : vector<16xf32>
// CHECK: x86vector.avx512.cvt.packed.f32_to_bf16 {{.*}} : vector<16xf32> -> vector<16xbf16>
// CHECK: vector.shuffle {{.*}} [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xbf16>, vector<16xbf16>
// CHECK: vector.shuffle {{.*}} [0, 32, 1, 33, 2, 34, 3, 35, 4, 36, 5, 37, 6, 38, 7, 39, 8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47] : vector<32xbf16>, vector<32xbf16>
// CHECK: x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK-NOT: sattn.
// LLVM-LABEL: llvm.func @bf16_dot_item(
// LLVM: llvm.x86.avx512bf16.dpbf16ps.512
// LLVM: llvm.x86.avx512bf16.cvtneps2bf16.512
#m4 = strided<[?, ?, ?, 1], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_dot_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %m = memref.alloca() : memref<64xf32>
  %l = memref.alloca() : memref<64xf32>
  %acc = memref.alloca() : memref<64x64xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<64xf32>, memref<64xf32>, memref<64x64xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c64, %c0, %c64, %p0, %q, %k, %v) {block_k = 64 : i64, key_map = array<i64>, scale = 1.250000e-01 : f64} : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c64, %o) : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?xf32, #m3>, i64, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, memref<?x?x?x?xbf16, #m4>) -> ()
  return
}

// -----

/// The softmax keeps its maximum M lazily (a tile of 64 rows: one chunk
/// of 4 query vectors). Where every row has an M, one loop guesses that
/// M stays: it writes P = 2^(ST * scale - M) and carries the scores'
/// maxima beside the sums; a lane voids the guess if its maximum rises
/// above M by more than 8 (base 2). With no M yet (the tile's first
/// step), a pass of maxima instead, the guess void. A void guess moves M
/// in the lanes that rose and computes P again; one that holds keeps M
/// with the correction 1.
/// The step has no mask: its scores are finite, an odd step's padding row
/// holds -1e30 (weight 0) rather than -inf, and the exp2 of the weights
/// needs no clamp.
/// When every chunk kept its M, PV takes the accumulators without the
/// correction (a block of 6 head dims x 4 query vectors: 24).
// CHECK-LABEL: func.func @bf16_lazy_max_item(
// CHECK: arith.constant dense<-1.000000e+30> : vector<16xf32>
// CHECK: %[[NOM:.*]] = vector.reduction <or>, %{{.*}} : vector<16xi1> into i1
// CHECK: %[[G:.*]]:9 = scf.if %{{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, i1) {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: arith.constant dense<8.000000e+00> : vector<16xf32>
// CHECK: arith.cmpf ogt
// CHECK: vector.reduction <or>
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: %[[VOID:.*]] = arith.constant true
// CHECK: scf.yield {{.*}}, %[[VOID]] :
// CHECK: scf.if %[[G]]#8 -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: } else {
// CHECK-COUNT-4: arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-NEXT: scf.yield %[[G]]#0, %[[G]]#1, %[[G]]#2, %[[G]]#3, {{.*}} : vector<16xf32>
// CHECK: %[[MOVED:.*]] = arith.ori
// CHECK: %[[KEPT:.*]] = arith.xori %[[MOVED]], %true
// CHECK: scf.if %[[KEPT]] -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NOT: arith.mulf
// CHECK: } else {
// CHECK: arith.mulf
#m4 = strided<[?, ?, ?, 1], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_lazy_max_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %m = memref.alloca() : memref<64xf32>
  %l = memref.alloca() : memref<64xf32>
  %acc = memref.alloca() : memref<64x64xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<64xf32>, memref<64xf32>, memref<64x64xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c64, %c0, %c64, %p0, %q, %k, %v) {block_k = 64 : i64, key_map = array<i64>, scale = 1.250000e-01 : f64} : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c64, %o) : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?xf32, #m3>, i64, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, memref<?x?x?x?xbf16, #m4>) -> ()
  return
}


// -----

/// f32 steps stay on FMAs (no pair buffers, QT scaled as it is packed).
// CHECK-LABEL: func.func @f32_dot_item(
// CHECK-NOT: x86vector.avx512.dot
// CHECK-NOT: xbf16>
// CHECK: return
// LLVM-LABEL: llvm.func @f32_dot_item(
#m4 = strided<[?, ?, ?, 1], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @f32_dot_item(%q: memref<?x?x?x?xf32, #m4>, %k: memref<?x?x?x?xf32, #m4>, %v: memref<?x?x?x?xf32, #m4>, %o: memref<?x?x?x?xf32, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %m = memref.alloca() : memref<64xf32>
  %l = memref.alloca() : memref<64xf32>
  %acc = memref.alloca() : memref<64x64xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<64xf32>, memref<64xf32>, memref<64x64xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c64, %c0, %c64, %p0, %q, %k, %v) {block_k = 64 : i64, key_map = array<i64>, scale = 1.250000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c64, %o) : (memref<?x?x?x?xf32, #m4>, memref<?x?x?xf32, #m3>, i64, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, memref<?x?x?x?xf32, #m4>) -> ()
  return
}

// -----

/// K and V without a unit innermost stride: no 32-bit pair loads, so the
/// item widens bf16 on FMAs as without bf16dot.
// CHECK-LABEL: func.func @bf16_strided_dot_item(
// CHECK-NOT: x86vector.avx512.dot
// CHECK: return
// LLVM-LABEL: llvm.func @bf16_strided_dot_item(
#m4 = strided<[?, ?, ?, ?], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_strided_dot_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %m = memref.alloca() : memref<64xf32>
  %l = memref.alloca() : memref<64xf32>
  %acc = memref.alloca() : memref<64x64xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<64xf32>, memref<64xf32>, memref<64x64xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c64, %c0, %c64, %p0, %q, %k, %v) {block_k = 64 : i64, key_map = array<i64>, scale = 1.250000e-01 : f64} : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c64, %o) : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?xf32, #m3>, i64, memref<64xf32>, memref<64xf32>, memref<64x64xf32>, index, index, index, index, memref<?x?x?x?xbf16, #m4>) -> ()
  return
}
