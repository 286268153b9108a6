// C[16x16 f32] += A[16x32 bf16] * B (K=32 logical, stored VNNI as 16x32 bf16)
func.func @amx_mm(%A: memref<16x32xbf16>, %B: memref<16x32xbf16>, %C: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %a = amx.tile_load %A[%c0, %c0] : memref<16x32xbf16> into !amx.tile<16x32xbf16>
  %b = amx.tile_load %B[%c0, %c0] : memref<16x32xbf16> into !amx.tile<16x32xbf16>
  %c = amx.tile_load %C[%c0, %c0] : memref<16x16xf32> into !amx.tile<16x16xf32>
  %d = amx.tile_mulf %a, %b, %c : !amx.tile<16x32xbf16>, !amx.tile<16x32xbf16>, !amx.tile<16x16xf32>
  amx.tile_store %C[%c0, %c0], %d : memref<16x16xf32>, !amx.tile<16x16xf32>
  return
}
