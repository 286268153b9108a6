// C[16x16] = sum_k A[16, k*32:(k+1)*32] * Bvnni[k*16:(k+1)*16, 0:32]; K = 32*%nk
func.func @amx_loop(%A: memref<16x?xbf16>, %B: memref<?x32xbf16>, %C: memref<16x16xf32>, %nk: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %z = amx.tile_zero : !amx.tile<16x16xf32>
  %r = scf.for %k = %c0 to %nk step %c1 iter_args(%acc = %z) -> (!amx.tile<16x16xf32>) {
    %ka = arith.muli %k, %c32 : index
    %kb = arith.muli %k, %c16 : index
    %a = amx.tile_load %A[%c0, %ka] : memref<16x?xbf16> into !amx.tile<16x32xbf16>
    %b = amx.tile_load %B[%kb, %c0] : memref<?x32xbf16> into !amx.tile<16x32xbf16>
    %d = amx.tile_mulf %a, %b, %acc : !amx.tile<16x32xbf16>, !amx.tile<16x32xbf16>, !amx.tile<16x16xf32>
    scf.yield %d : !amx.tile<16x16xf32>
  }
  amx.tile_store %C[%c0, %c0], %r : memref<16x16xf32>, !amx.tile<16x16xf32>
  return
}
