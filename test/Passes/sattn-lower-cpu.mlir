// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu | FileCheck %s
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu=lanes=8 | FileCheck %s --check-prefix=AVX2
// RUN: sattn-opt %s --split-input-file --sattn-lower-cpu | sattn-opt --split-input-file --pass-pipeline='builtin.module(func.func(arith-expand{include-bf16=true}),convert-scf-to-cf,expand-strided-metadata,lower-affine,convert-vector-to-llvm,finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)' | FileCheck %s --check-prefix=LLVM

// sattn-lower-cpu: the tile ops of sattn-tile's item functions become CPU
// loops (scf, memref, arith, math); the masks they used go with them. The
// inputs are written by hand at the tile level: state allocas, then
// tile_init, tile_step (full, then partial with a mask), tile_finish.

/// f32 (16 lanes, the default): init stores -inf / 0; a step packs the key
/// tile, transposed, into KT (D x block_k rounded up to 16) and V into VP,
/// with the scores S and the scaled queries QP of a row group (4 rows):
/// allocas at the function entry. Per group of 4 rows: QP = q * scale *
/// log2(e); the scores are a 4 x 1 register block (one KT vector per d,
/// shared by the 4 rows' broadcasts); per row the max is a reduction, P an
/// exp2 polynomial (floor, FMAs, the exponent built by a shift) with the
/// correction 2^(m - m_new) as a vector; PV a 4 x 1 block carried over the
/// keys. The rows after the last whole group go one by one. The partial
/// step evaluates the mask (causal: j <= p) per key. finish divides by the
/// sum (0 for an empty row) and writes the lse (m ln 2 + log l) when asked.
/// No sattn op is left.
// CHECK-LABEL: func.func @f32_item(
// CHECK: %[[KT:.*]] = memref.alloca() : memref<16x16xf32>
// CHECK: %[[VP:.*]] = memref.alloca() : memref<16x16xf32>
// CHECK: %[[S:.*]] = memref.alloca() : memref<4x16xf32>
// CHECK: %[[QP:.*]] = memref.alloca() : memref<4x16xf32>
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: memref.store %{{.*}}, %[[KT]][%{{.*}}, %{{.*}}] : memref<16x16xf32>
// CHECK: memref.store %{{.*}}, %[[VP]][%{{.*}}, %{{.*}}] : memref<16x16xf32>
// CHECK: %[[FOUR:.*]] = arith.constant 4 : index
// CHECK: scf.for {{.*}} step %[[FOUR]] {
// CHECK: arith.constant 0.360673755 : f32
// CHECK: memref.store %{{.*}}, %[[QP]]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.load %[[KT]]
// CHECK-COUNT-4: vector.fma
// CHECK: vector.store %{{.*}}, %[[S]]
// CHECK: vector.reduction <maximumf>
// CHECK: math.floor %{{.*}} : vector<16xf32>
// CHECK: arith.shli
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.load %[[VP]]
// CHECK: scf.for {{.*}} step %c1
// CHECK: arith.cmpi sle
// CHECK: arith.divf
// CHECK: math.log
// CHECK: arith.constant 0.693147182 : f32
// CHECK-NOT: sattn.
/// lanes=8 (AVX2): the same steps in vectors of 8; the 16 keys are two
/// vectors, so the score block is 4 rows x 2 vectors (8 accumulators), and
/// so is the PV block (16 head dims).
// AVX2-LABEL: func.func @f32_item(
// AVX2: memref.alloca() : memref<4x16xf32>
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2-COUNT-8: vector.fma {{.*}} : vector<8xf32>
// AVX2: math.floor %{{.*}} : vector<8xf32>
// AVX2: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2: vector.load {{.*}} vector<8xf32>
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
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c0, %c16, %p0) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64) -> ()
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c16, %c32, %p0, %mask) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64, !sattn.mask) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c8) : (memref<?x?x?x?xf32, #m4>, memref<?x?x?xf32, #m3>, i64, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index) -> ()
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
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c0, %c16, %p0) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<?x?x?x?xbf16, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c8) : (memref<?x?x?x?xbf16, #m4>, memref<?x?x?xf32, #m3>, i64, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index) -> ()
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
  "sattn.tile_step"(%q, %k, %v, %m, %l, %acc, %c0, %c0, %c0, %c0, %c8, %c0, %c16, %p0, %mask) {block_k = 16 : i64, key_map = array<i64>, scale = 2.500000e-01 : f64} : (memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<?x?x?x?xf32, #m4>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index, index, index, index, i64, !sattn.mask) -> ()
  "sattn.tile_finish"(%o, %lse, %w, %m, %l, %acc, %c0, %c0, %c0, %c8) : (memref<?x?x?x?xf32, #m4>, memref<?x?x?xf32, #m3>, i64, memref<8xf32>, memref<8xf32>, memref<8x16xf32>, index, index, index, index) -> ()
  return
}
