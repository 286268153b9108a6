// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=amx=1 | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=amx=1 | sattn-opt --split-input-file --pass-pipeline='builtin.module(func.func(arith-expand{include-bf16=true}),convert-scf-to-cf,expand-strided-metadata,lower-affine,convert-vector-to-llvm{enable-amx=true enable-x86vector=true},finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' | FileCheck %s --check-prefix=LLVM
// RUN: not sattn-opt %s --split-input-file "--sattn-lower-cpu=lanes=8 amx=1" 2>&1 | FileCheck %s --check-prefix=ERR

// sattn-lower-cpu{amx=1}: bf16 steps compute QK^T on Intel AMX tiles
// (tdpbf16ps). The drivers set it on a host with AMX-TILE and AMX-BF16
// (SATTN_CPU_AMX=0 turns it off).

// ERR: sattn-lower-cpu: amx=1 needs lanes=16

/// A bf16 tile of 64 rows (4 query vectors), d = 64, keys with unit
/// stride: the queries are packed as QT (f32, not scaled) and then into
/// QTV, bf16 pairs of head dims per query (the high halves of QT's bits,
/// interleaved): memref<D/2 x 2 BQ x bf16>. Per 32 keys and 32 queries, 4
/// accumulators of 16 x 16 are zeroed, K rows (16 keys x 32 dims) and QTV
/// rows (16 dim pairs x 16 queries) loaded, 4 tdpbf16ps per 32 head dims,
/// the accumulators stored to ST; then ST is scaled by scale * log2(e)
/// (0.125 * 1.4427 = 0.1803), which QT no longer carries.
// CHECK-LABEL: func.func @bf16_amx_item(
// CHECK: %[[QTV:.*]] = memref.alloca() {alignment = 64 : i64} : memref<32x128xbf16>
// CHECK: arith.shrui {{.*}} : vector<16xi32>
// CHECK: vector.shuffle {{.*}} [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xi16>, vector<16xi16>
// CHECK: %[[PAIRS:.*]] = arith.bitcast {{.*}} : vector<32xi16> to vector<32xbf16>
// CHECK: vector.store %[[PAIRS]], %[[QTV]]
// CHECK: amx.tile_zero : !amx.tile<16x16xf32>
// CHECK: amx.tile_load %arg1[{{.*}}] : memref<?x?x?x?xbf16, strided<[?, ?, ?, 1], offset: ?>> into !amx.tile<16x32xbf16>
// CHECK: amx.tile_load %[[QTV]][{{.*}}] : memref<32x128xbf16> into !amx.tile<16x32xbf16>
// CHECK: amx.tile_mulf {{.*}} : !amx.tile<16x32xbf16>, !amx.tile<16x32xbf16>, !amx.tile<16x16xf32>
// CHECK: amx.tile_store {{.*}} : memref<64x64xf32>, !amx.tile<16x16xf32>
// CHECK: arith.constant dense<0.180336878> : vector<16xf32>
// CHECK-NOT: sattn.
// LLVM-LABEL: llvm.func @bf16_amx_item(
// LLVM: llvm.x86.tilezero.internal
// LLVM: llvm.x86.tileloadd64.internal
// LLVM: llvm.x86.tdpbf16ps.internal
// LLVM: llvm.x86.tilestored64.internal
#m4 = strided<[?, ?, ?, 1], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_amx_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
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

/// f32 steps stay on vectors (no QTV, QT scaled as it is packed).
// CHECK-LABEL: func.func @f32_amx_item(
// CHECK-NOT: amx.
// CHECK-NOT: xbf16>
// CHECK: return
// LLVM-LABEL: llvm.func @f32_amx_item(
#m4 = strided<[?, ?, ?, 1], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @f32_amx_item(%q: memref<?x?x?x?xf32, #m4>, %k: memref<?x?x?x?xf32, #m4>, %v: memref<?x?x?x?xf32, #m4>, %o: memref<?x?x?x?xf32, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
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

/// K without a unit innermost stride: no tile can load its rows, so the
/// scores come from vectors (QT unscaled all the same) and are scaled.
// CHECK-LABEL: func.func @bf16_strided_item(
// CHECK-NOT: amx.tile_mulf
// CHECK: arith.constant dense<0.180336878> : vector<16xf32>
// CHECK-NOT: amx.tile_mulf
// CHECK: return
// LLVM-LABEL: llvm.func @bf16_strided_item(
#m4 = strided<[?, ?, ?, ?], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_strided_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
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

/// One query vector (a 16-row tile): no pair of them for the 32-query
/// tiles; vectors only.
// CHECK-LABEL: func.func @bf16_one_vector_item(
// CHECK-NOT: amx.
// CHECK: return
// LLVM-LABEL: llvm.func @bf16_one_vector_item(
#m4 = strided<[?, ?, ?, 1], offset: ?>
#m3 = strided<[?, ?, ?], offset: ?>
func.func @bf16_one_vector_item(%q: memref<?x?x?x?xbf16, #m4>, %k: memref<?x?x?x?xbf16, #m4>, %v: memref<?x?x?x?xbf16, #m4>, %o: memref<?x?x?x?xbf16, #m4>, %lse: memref<?x?x?xf32, #m3>, %w: i64, %item: i64) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %p0 = arith.constant 0 : i64
  %c64 = arith.constant 64 : index
  %c16 = arith.constant 16 : index
  %m = memref.alloca() : memref<16xf32>
  %l = memref.alloca() : memref<16xf32>
  %acc = memref.alloca() : memref<16x64xf32>
  "sattn.tile_init"(%m, %l, %acc) : (memref<16xf32>, memref<16xf32>, memref<16x64xf32>) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c16, %c0, %c64, %p0, %q, %k, %v) {block_k = 64 : i64, key_map = array<i64>, scale = 1.250000e-01 : f64} : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<16xf32>, memref<16xf32>, memref<16x64xf32>, index, index, index, index, index, index, index, i64, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c16, %o) : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?xf32, #m3>, i64, memref<16xf32>, memref<16xf32>, memref<16x64xf32>, index, index, index, index, memref<?x?x?x?xbf16, #m4>) -> ()
  return
}
