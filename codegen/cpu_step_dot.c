/* The AVX512-BF16 pieces of a bf16 step (see cpu_step_dot.h) and
 * vscalefps: the upstream x86vector dialect's ops, built generically (no
 * typed C builders), lowered by convert-vector-to-llvm
 * {enable-x86vector=true} to vdpbf16ps, vcvtneps2bf16 and vscalefps. */
#include "cpu_step_dot.h"

#include "mlir-c/BuiltinTypes.h"

static MlirType bf16_vec(ir_builder *b, int64_t n) { return ir_vec(b, mlirBF16TypeGet(b->ctx), n); }

static void load_x86vector(ir_builder *b) {
  mlirContextGetOrLoadDialect(b->ctx, mlirStringRefCreateFromCString("x86vector"));
}

MlirValue cpu_dot(ir_builder *b, MlirValue acc, MlirValue a, MlirValue bv) {
  load_x86vector(b);
  MlirValue ops[] = {acc, a, bv};
  MlirType t = mlirValueGetType(acc);
  return mlirOperationGetResult(ir_op(b, "x86vector.avx512.dot", 0, NULL, 3, ops, 1, &t), 0);
}

MlirValue cpu_scalef(ir_builder *b, MlirValue a, MlirValue n) {
  load_x86vector(b);
  /* LLVM 22 passes the op's operands in order to
   * llvm.x86.avx512.mask.scalef.ps.512(a, b, passthru, mask, rounding):
   * the op's "src" is the intrinsic's a, its "a" the exponents */
  MlirValue ops[] = {a, n, a, ir_const_int(b, mlirIntegerTypeGet(b->ctx, 16), -1),
                     ir_const_int(b, mlirIntegerTypeGet(b->ctx, 32), 4 /* current rounding */)};
  MlirType t = mlirValueGetType(a);
  return mlirOperationGetResult(ir_op(b, "x86vector.avx512.mask.scalef", 0, NULL, 5, ops, 1, &t), 0);
}

MlirValue cpu_dot_pair(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *idx) {
  MlirType i32 = mlirIntegerTypeGet(b->ctx, 32);
  MlirValue two = ir_vload(b, bf16_vec(b, 2), memref, n, idx);
  MlirValue one = ir_convert(b, "vector.bitcast", two, ir_vec(b, i32, 1));
  MlirValue all = ir_broadcast(b, one, ir_vec(b, i32, 16));
  return ir_convert(b, "vector.bitcast", all, bf16_vec(b, 32));
}

/* Lane 2q + j of the result: lane q of x (j = 0) or y (j = 1); `half`
 * picks the first (0) or second (1) 16 lanes of each source (n = 32 each)
 * or, with 16-lane sources, the only ones. */
static MlirValue interleave(ir_builder *b, MlirValue x, MlirValue y, int64_t n, int half) {
  int64_t mask[32];
  for (int64_t q = 0; q < 16; q++)
    mask[2 * q] = 16 * half + q, mask[2 * q + 1] = n + 16 * half + q;
  return ir_shuffle(b, x, y, 32, mask);
}

MlirValue cpu_dot_pack_p(ir_builder *b, MlirValue p0, MlirValue p1) {
  load_x86vector(b);
  MlirType t = bf16_vec(b, 16);
  MlirValue h[2];
  MlirValue p[2] = {p0, p1};
  for (int j = 0; j < 2; j++)
    h[j] = mlirOperationGetResult(
        ir_op(b, "x86vector.avx512.cvt.packed.f32_to_bf16", 0, NULL, 1, &p[j], 1, &t), 0);
  return interleave(b, h[0], h[1], 16, 0);
}

void cpu_dot_pack_v(ir_builder *b, MlirValue v, MlirValue bb, MlirValue hk, MlirValue key0,
                    MlirValue key1, MlirValue vp, MlirValue i, int64_t D) {
  /* 32 head dims per load where D allows (two 16-bit interleaves of two
   * rows), else 16 */
  int64_t w = D % 32 == 0 ? 32 : 16;
  for (int64_t d = 0; d < D; d += w) {
    MlirValue d0 = ir_const_index(b, d);
    MlirValue a0[] = {bb, hk, key0, d0}, a1[] = {bb, hk, key1, d0};
    MlirValue x = ir_vload(b, bf16_vec(b, w), v, 4, a0);
    MlirValue y = ir_vload(b, bf16_vec(b, w), v, 4, a1);
    for (int half = 0; half < w / 16; half++) {
      MlirValue at[] = {i, ir_const_index(b, 2 * d + 32 * half)};
      ir_vstore(b, interleave(b, x, y, w, half), vp, 2, at);
    }
  }
}
