/* QK^T on AMX tiles (see cpu_step_amx.h). The ops are the upstream `amx`
 * dialect's, built generically (it has no typed C builders); LLVM places
 * the tile configuration (ldtilecfg) itself. No tile value crosses a loop
 * iteration: the head-dim loop is unrolled (D / 32 <= 8 steps). */
#include "cpu_step_amx.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"

static MlirType tile_type(ir_builder *b, const char *text) {
  mlirContextGetOrLoadDialect(b->ctx, mlirStringRefCreateFromCString("amx"));
  return mlirTypeParseGet(b->ctx, mlirStringRefCreateFromCString(text));
}

static MlirNamedAttribute segments(ir_builder *b, int n, const int32_t *sizes) {
  return ir_named(b->ctx, "operandSegmentSizes", mlirDenseI32ArrayGet(b->ctx, n, sizes));
}

/* amx.tile_load base[idx...] (row stride: the memref's, in elements) */
static MlirValue tile_load(ir_builder *b, MlirType t, MlirValue base, intptr_t n,
                           const MlirValue *idx) {
  MlirValue ops[5] = {base};
  for (intptr_t i = 0; i < n; i++)
    ops[1 + i] = idx[i];
  int32_t seg[] = {1, (int32_t)n, 0};
  MlirNamedAttribute a = segments(b, 3, seg);
  return mlirOperationGetResult(ir_op(b, "amx.tile_load", 1, &a, 1 + n, ops, 1, &t), 0);
}

static void tile_store(ir_builder *b, MlirValue base, intptr_t n, const MlirValue *idx,
                       MlirValue v) {
  MlirValue ops[6] = {base};
  for (intptr_t i = 0; i < n; i++)
    ops[1 + i] = idx[i];
  ops[1 + n] = v;
  int32_t seg[] = {1, (int32_t)n, 1, 0};
  MlirNamedAttribute a = segments(b, 4, seg);
  ir_op(b, "amx.tile_store", 1, &a, 2 + n, ops, 0, NULL);
}

static MlirValue idx(ir_builder *b, int64_t v) { return ir_const_index(b, v); }

typedef struct pair_ctx {
  MlirValue qt, qtv;
  int64_t BQP;
} pair_ctx;

/* Row i of QTV from rows 2i and 2i + 1 of QT: the high halves of the f32
 * bits (exact for widened bf16), interleaved query by query. */
static void pack_pair_row(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  pair_ctx *p = u;
  MlirType v16f = ir_vec(b, ir_f32(b), 16), v16i = ir_vec(b, mlirIntegerTypeGet(b->ctx, 32), 16);
  MlirType v16s = ir_vec(b, mlirIntegerTypeGet(b->ctx, 16), 16);
  MlirType v32b = ir_vec(b, mlirBF16TypeGet(b->ctx), 32);
  MlirValue d0 = ir_binary(b, "arith.muli", i, idx(b, 2));
  MlirValue d1 = ir_binary(b, "arith.addi", d0, idx(b, 1));
  int64_t mask[32];
  for (int64_t n = 0; n < 16; n++)
    mask[2 * n] = n, mask[2 * n + 1] = 16 + n;
  MlirValue sixteen = ir_broadcast(b, ir_const_int(b, mlirIntegerTypeGet(b->ctx, 32), 16), v16i);
  for (int64_t g = 0; g < p->BQP / 16; g++) {
    MlirValue half[2];
    MlirValue ds[2] = {d0, d1};
    for (int h = 0; h < 2; h++) {
      MlirValue at[] = {ds[h], idx(b, 16 * g)};
      MlirValue x = ir_convert(b, "arith.bitcast", ir_vload(b, v16f, p->qt, 2, at), v16i);
      half[h] = ir_convert(b, "arith.trunci", ir_binary(b, "arith.shrui", x, sixteen), v16s);
    }
    MlirValue both = ir_shuffle(b, half[0], half[1], 32, mask);
    MlirValue at[] = {i, idx(b, 32 * g)};
    ir_vstore(b, ir_convert(b, "arith.bitcast", both, v32b), p->qtv, 2, at);
  }
}

void cpu_amx_pack_pairs(ir_builder *b, MlirValue qt, MlirValue qtv, int64_t D, int64_t BQP) {
  pair_ctx p = {qt, qtv, BQP};
  ir_for(b, idx(b, 0), idx(b, D / 2), idx(b, 1), 0, NULL, pack_pair_row, &p);
}

void cpu_amx_scores(ir_builder *b, MlirValue k, MlirValue bb, MlirValue hk, MlirValue key,
                    MlirValue c, MlirValue qtv, MlirValue st, int64_t D, int64_t ncols) {
  MlirType ab = tile_type(b, "!amx.tile<16x32xbf16>"), cf = tile_type(b, "!amx.tile<16x16xf32>");
  MlirValue key16 = ir_binary(b, "arith.addi", key, idx(b, 16));
  MlirValue c16 = ir_binary(b, "arith.addi", c, idx(b, 16));
  for (int64_t qb = 0; qb < ncols; qb++) {
    MlirValue acc[4];
    for (int a = 0; a < 4; a++)
      acc[a] = mlirOperationGetResult(ir_op(b, "amx.tile_zero", 0, NULL, 0, NULL, 1, &cf), 0);
    for (int64_t dc = 0; dc < D / 32; dc++) {
      MlirValue k0[] = {bb, hk, key, idx(b, 32 * dc)}, k1[] = {bb, hk, key16, idx(b, 32 * dc)};
      MlirValue q0[] = {idx(b, 16 * dc), idx(b, 64 * qb)}, q1[] = {idx(b, 16 * dc), idx(b, 64 * qb + 32)};
      MlirValue A[2] = {tile_load(b, ab, k, 4, k0), tile_load(b, ab, k, 4, k1)};
      MlirValue B[2] = {tile_load(b, ab, qtv, 2, q0), tile_load(b, ab, qtv, 2, q1)};
      for (int a = 0; a < 4; a++) {
        MlirValue ops[] = {A[a / 2], B[a % 2], acc[a]};
        acc[a] = mlirOperationGetResult(ir_op(b, "amx.tile_mulf", 0, NULL, 3, ops, 1, &cf), 0);
      }
    }
    for (int a = 0; a < 4; a++) {
      MlirValue at[] = {a / 2 ? c16 : c, idx(b, 32 * qb + 16 * (a % 2))};
      tile_store(b, st, 2, at, acc[a]);
    }
  }
}
