func.func @s(%A: memref<?x?xbf16>, %B: memref<?xbf16>, %C: memref<?x?xf32, strided<[?, 1], offset: ?>>, %st: index) {
  %c0 = arith.constant 0 : index
  %a = amx.tile_load %A[%c0, %c0], %st : memref<?x?xbf16> into !amx.tile<16x32xbf16>
  %z = amx.tile_zero : !amx.tile<16x16xf32>
  amx.tile_store %C[%c0, %c0], %z : memref<?x?xf32, strided<[?, 1], offset: ?>>, !amx.tile<16x16xf32>
  return
}
func.func @one_d(%B: memref<?xbf16>, %st: index) {
  %c0 = arith.constant 0 : index
  %b = amx.tile_load %B[%c0], %st : memref<?xbf16> into !amx.tile<16x32xbf16>
  return
}
