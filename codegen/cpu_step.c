/* sattn.tile_step on the CPU, in vectors of 16 floats (see cpu_step.h).
 *
 * Per step: the key tile is packed, converted to f32, into KT[D][BKP]
 * (transposed) and VP[BKP][D] (BKP = block_k rounded up to 16), so every
 * vector load is contiguous whatever the caller's strides. Per query row:
 *   scores  S[c] = scale * q_i . k_c: for each d, q_i[d] broadcast times
 *           KT[d][16 lanes], KC = BKP/16 accumulators carried over d;
 *           lanes past the tile and (partial tiles) masked pairs get -inf;
 *   softmax m_new = max(m, max S); P = exp(S - m_new) (a polynomial exp,
 *           -inf -> exactly 0); l = l e^(m - m_new) + sum P;
 *   PV      acc_i = acc_i e^(m - m_new) + sum_c P[c] VP[c][:], the row of
 *           acc carried in D/16 vectors over c.
 * The register-blocked micro-kernels of issue 6 replace the row loop. */
#include "cpu_step.h"

#include <math.h>
#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "build.h"
#include "predicate.h"
#include "tile_sched.h"

enum { LANES = 16, GROUP = 8 /* accumulators per d loop */ };

typedef struct vstep {
  MlirValue q, k, v, m, l, acc, bb, h, hk, row0, key0, mask;
  MlirValue KT, VP, S;
  MlirValue n, shift, lk64, h64;
  float scale;
  int64_t D, BKP, KC, DV;
  int64_t map[80]; /* key_map: where key index c is (tile_sched.h) */
  intptr_t nmap;
  MlirType vt;
  /* the current row / chunk group */
  MlirValue i, r, p, qs;
  MlirValue m_new_b;
  int64_t g0, gn;
  bool failed;
} vstep;

static MlirValue idx(ir_builder *b, int64_t v) { return ir_const_index(b, v); }

static MlirValue load_f32(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *ix) {
  MlirValue x = ir_load(b, memref, n, ix);
  return mlirTypeIsAF32(mlirValueGetType(x)) ? x : ir_convert(b, "arith.extf", x, ir_f32(b));
}

/* ---- packing ------------------------------------------------------------------ */

typedef struct pack_ctx {
  vstep *s;
  MlirValue c, j;
} pack_ctx;

static void pack_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  pack_ctx *pc = u;
  vstep *s = pc->s;
  MlirValue src[] = {s->bb, s->hk, pc->j, d};
  MlirValue kt[] = {d, pc->c}, vp[] = {pc->c, d};
  ir_store(b, load_f32(b, s->k, 4, src), s->KT, 2, kt);
  ir_store(b, load_f32(b, s->v, 4, src), s->VP, 2, vp);
}

/* The key of tile column c: key0 + c, or a stripe's gathered column. */
static MlirValue key_at(vstep *s, ir_builder *b, MlirValue c) {
  MlirValue k = ir_binary(b, "arith.addi", s->key0, c);
  if (s->nmap <= 0)
    return k;
  MlirValue j = tile_stripe_map(b, s->map, s->nmap, ir_index_cast(b, k, ir_i64(b)));
  return ir_index_cast(b, j, ir_index(b));
}

static void pack_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  pack_ctx pc = {s, c, key_at(s, b, c)};
  ir_for(b, idx(b, 0), idx(b, s->D), idx(b, 1), 0, NULL, pack_d, &pc);
}

/* ---- exp ------------------------------------------------------------------------- */

/* e^x for x <= 0 (or -inf -> 0) on a vector: 2^t, t = x log2 e, split as
 * n + f with n = round(t), |f| <= 1/2; 2^f by its Taylor polynomial of
 * degree 6 (relative error < 1.2e-7), 2^n by building the exponent. t is
 * clamped at -126 (2^-126 is the smallest normal). */
static MlirValue vexp(vstep *s, ir_builder *b, MlirValue x) {
  static const float c[] = {1.0f, 0.693147180559945f, 0.240226506959101f,
                            0.0555041086648216f, 0.00961812910762848f,
                            0.00133335581464284f, 0.000154035303933816f};
  MlirType vt = s->vt, vi = ir_vec(b, mlirIntegerTypeGet(b->ctx, 32), LANES);
  MlirValue t = ir_binary(b, "arith.mulf", x, ir_splat_f32(b, vt, 1.44269504088896341f));
  t = ir_binary(b, "arith.maximumf", t, ir_splat_f32(b, vt, -126.0f));
  MlirValue nf = ir_unary(b, "math.floor", ir_binary(b, "arith.addf", t, ir_splat_f32(b, vt, 0.5f)));
  MlirValue f = ir_binary(b, "arith.subf", t, nf);
  MlirValue poly = ir_splat_f32(b, vt, c[6]);
  for (int k = 5; k >= 0; k--)
    poly = ir_fma(b, poly, f, ir_splat_f32(b, vt, c[k]));
  MlirValue ni = ir_convert(b, "arith.fptosi", nf, vi);
  MlirValue bits = ir_binary(b, "arith.shli",
                             ir_binary(b, "arith.addi", ni,
                                       ir_broadcast(b, ir_const_int(b, mlirIntegerTypeGet(b->ctx, 32), 127), vi)),
                             ir_broadcast(b, ir_const_int(b, mlirIntegerTypeGet(b->ctx, 32), 23), vi));
  MlirValue r = ir_binary(b, "arith.mulf", poly, ir_convert(b, "arith.bitcast", bits, vt));
  MlirValue ninf = ir_cmpf(b, "oeq", x, ir_splat_f32(b, vt, -INFINITY));
  return ir_select(b, ninf, ir_splat_f32(b, vt, 0.0f), r);
}

/* ---- scores ------------------------------------------------------------------------ */

static void score_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue qi[] = {s->bb, s->h, s->i, d};
  MlirValue qd = ir_binary(b, "arith.mulf", load_f32(b, s->q, 4, qi), s->qs);
  MlirValue qb = ir_broadcast(b, qd, s->vt);
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {d, idx(b, (s->g0 + g) * LANES)};
    y[g] = ir_fma(b, qb, ir_vload(b, s->vt, s->KT, 2, at), it[g]);
  }
}

typedef struct mask_ctx {
  vstep *s;
  MlirValue c;
} mask_ctx;

static void set_ninf(ir_builder *b, MlirValue *out, void *u) {
  mask_ctx *mc = u;
  ir_store(b, ir_const_f32(b, -INFINITY), mc->s->S, 1, &mc->c);
}

/* A partial tile: S[c] = -inf where the mask forbids (p, key0 + c). */
static void mask_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  pred_env env = {s->lk64, s->h64};
  MlirValue j64 = ir_index_cast(b, key_at(s, b, c), ir_i64(b));
  MlirValue ok = predicate_emit(b, s->mask, s->p, j64, &env);
  if (!ok.ptr) {
    s->failed = true;
    return;
  }
  mask_ctx mc = {s, c};
  ir_if(b, ir_binary(b, "arith.xori", ok, ir_const_bool(b, true)), 0, NULL, set_ninf, NULL, &mc);
}

/* ---- the row update ---------------------------------------------------------------- */

static void pv_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue pc = ir_broadcast(b, ir_load(b, s->S, 1, &c), s->vt);
  for (int64_t dv = 0; dv < s->DV; dv++) {
    MlirValue at[] = {c, idx(b, dv * LANES)};
    y[dv] = ir_fma(b, pc, ir_vload(b, s->vt, s->VP, 2, at), it[dv]);
  }
}

typedef struct upd_ctx {
  vstep *s;
  MlirValue mx;
} upd_ctx;

static void update_row(ir_builder *b, MlirValue *out, void *u) {
  upd_ctx *uc = u;
  vstep *s = uc->s;
  MlirValue m_old = ir_load(b, s->m, 1, &s->r);
  MlirValue m_new = ir_binary(b, "arith.maximumf", m_old, uc->mx);
  /* m_old = -inf (the row's first allowed key): corr = 0, acc and l are 0. */
  MlirValue corr = ir_unary(b, "math.exp", ir_binary(b, "arith.subf", m_old, m_new));
  MlirValue mb = ir_broadcast(b, m_new, s->vt);
  MlirValue sum = ir_splat_f32(b, s->vt, 0.0f);
  for (int64_t kc = 0; kc < s->KC; kc++) {
    MlirValue at[] = {idx(b, kc * LANES)};
    MlirValue pv = vexp(s, b, ir_binary(b, "arith.subf", ir_vload(b, s->vt, s->S, 1, at), mb));
    ir_vstore(b, pv, s->S, 1, at);
    sum = ir_binary(b, "arith.addf", sum, pv);
  }
  MlirValue cb = ir_broadcast(b, corr, s->vt);
  MlirValue rows[16];
  for (int64_t dv = 0; dv < s->DV; dv++) {
    MlirValue at[] = {s->r, idx(b, dv * LANES)};
    rows[dv] = ir_binary(b, "arith.mulf", ir_vload(b, s->vt, s->acc, 2, at), cb);
  }
  MlirOperation loop = ir_for(b, idx(b, 0), s->n, idx(b, 1), s->DV, rows, pv_key, s);
  for (int64_t dv = 0; dv < s->DV; dv++) {
    MlirValue at[] = {s->r, idx(b, dv * LANES)};
    ir_vstore(b, mlirOperationGetResult(loop, dv), s->acc, 2, at);
  }
  MlirValue l = ir_binary(b, "arith.addf",
                          ir_binary(b, "arith.mulf", ir_load(b, s->l, 1, &s->r), corr),
                          ir_reduce(b, "add", sum));
  ir_store(b, l, s->l, 1, &s->r);
  ir_store(b, m_new, s->m, 1, &s->r);
}

static void step_row(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  s->i = i;
  s->r = ir_binary(b, "arith.subi", i, s->row0);
  s->p = ir_binary(b, "arith.addi", ir_index_cast(b, i, ir_i64(b)), s->shift);
  s->qs = ir_const_f32(b, s->scale);
  /* Lanes at or past n (outside the tile) are not keys: -inf. */
  MlirType i32 = mlirIntegerTypeGet(b->ctx, 32);
  MlirType vi = ir_vec(b, i32, LANES);
  int32_t lanes[LANES];
  for (int k = 0; k < LANES; k++)
    lanes[k] = k;
  MlirValue iota = ir_const_vec_i32(b, LANES, lanes);
  MlirValue n32 = ir_convert(b, "arith.index_cast", s->n, i32);
  MlirValue ninf = ir_splat_f32(b, s->vt, -INFINITY);
  for (s->g0 = 0; s->g0 < s->KC; s->g0 += GROUP) {
    s->gn = s->KC - s->g0 < GROUP ? s->KC - s->g0 : GROUP;
    MlirValue zeros[GROUP];
    for (int64_t g = 0; g < s->gn; g++)
      zeros[g] = ir_splat_f32(b, s->vt, 0.0f);
    MlirOperation dl = ir_for(b, idx(b, 0), idx(b, s->D), idx(b, 1), s->gn, zeros, score_d, s);
    for (int64_t g = 0; g < s->gn; g++) {
      int64_t col = (s->g0 + g) * LANES;
      MlirValue limit = ir_broadcast(
          b, ir_binary(b, "arith.subi", n32, ir_const_int(b, i32, col)), vi);
      MlirValue valid = ir_cmpi(b, "slt", iota, limit);
      MlirValue at[] = {idx(b, col)};
      ir_vstore(b, ir_select(b, valid, mlirOperationGetResult(dl, g), ninf), s->S, 1, at);
    }
  }
  if (s->mask.ptr)
    ir_for(b, idx(b, 0), s->n, idx(b, 1), 0, NULL, mask_key, s);
  MlirValue mxv = ninf;
  for (int64_t kc = 0; kc < s->KC; kc++) {
    MlirValue at[] = {idx(b, kc * LANES)};
    mxv = ir_binary(b, "arith.maximumf", mxv, ir_vload(b, s->vt, s->S, 1, at));
  }
  upd_ctx uc = {s, ir_reduce(b, "maximumf", mxv)};
  ir_if(b, ir_cmpf(b, "ogt", uc.mx, ir_const_f32(b, -INFINITY)), 0, NULL, update_row, NULL, &uc);
}

int64_t cpu_step_padded_keys(int64_t block_k) { return (block_k + LANES - 1) / LANES * LANES; }

bool cpu_step_lower(ir_builder *b, MlirOperation op, const cpu_step_buffers *buf) {
  vstep s;
  memset(&s, 0, sizeof s);
  MlirValue *fields[] = {&s.q, &s.k, &s.v, &s.m, &s.l, &s.acc, &s.bb, &s.h, &s.hk, &s.row0};
  for (int i = 0; i < 10; i++)
    *fields[i] = mlirOperationGetOperand(op, i);
  MlirValue row1 = mlirOperationGetOperand(op, 10);
  s.key0 = mlirOperationGetOperand(op, 11);
  MlirValue key1 = mlirOperationGetOperand(op, 12);
  MlirValue pos0 = mlirOperationGetOperand(op, 13);
  if (mlirOperationGetNumOperands(op) > 14)
    s.mask = mlirOperationGetOperand(op, 14);
  s.nmap = sattn_get_i64_array(op, "key_map", s.map, 80);
  if (s.nmap > 80)
    return false;
  s.KT = buf->kt;
  s.VP = buf->vp;
  s.S = buf->s;
  s.scale = (float)mlirFloatAttrGetValueDouble(
      mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString("scale")));
  s.D = mlirShapedTypeGetDimSize(mlirValueGetType(s.acc), 1);
  s.BKP = mlirShapedTypeGetDimSize(mlirValueGetType(buf->s), 0);
  s.KC = s.BKP / LANES;
  s.DV = s.D / LANES;
  s.vt = ir_vec(b, ir_f32(b), LANES);
  s.n = ir_binary(b, "arith.subi", key1, s.key0);
  s.lk64 = ir_index_cast(b, ir_dim(b, s.k, 2), ir_i64(b));
  s.shift = pos0;
  s.h64 = ir_index_cast(b, s.h, ir_i64(b));
  ir_for(b, idx(b, 0), s.n, idx(b, 1), 0, NULL, pack_key, &s);
  ir_for(b, s.row0, row1, idx(b, 1), 0, NULL, step_row, &s);
  return !s.failed;
}
