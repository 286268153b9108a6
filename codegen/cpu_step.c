/* sattn.tile_step on the CPU: register-blocked micro-kernels (see
 * cpu_step.h and cpu_target.h for the vector width W and the block of
 * ROWS x COLS accumulators).
 *
 * Per step: the key tile is packed, converted to f32, into KT[D][BKP]
 * (transposed) and VP[BKP][D] (BKP = block_k rounded up to 16), so every
 * vector load is contiguous whatever the caller's strides. The query rows
 * go in groups of ROWS (the rest one by one); per group:
 *   Q       QP[r][:] = q_r * scale * log2(e): scores in base-2 units, so
 *           the softmax needs exp2 only;
 *   QK^T    S[r][c] = QP[r] . k_c: a chunk of COLS key vectors of KT is
 *           loaded once per d and used by every row of the group (broadcast
 *           of QP[r][d]); lanes past the tile and (partial tiles) masked
 *           pairs get -inf;
 *   softmax per row: m_new = max(m, max S), P = 2^(S - m_new) by a
 *           polynomial (-inf -> exactly 0), l = l 2^(m - m_new) + sum P;
 *   PV      acc[r][:] = acc[r][:] 2^(m - m_new) + sum_c P[r][c] VP[c][:]: a
 *           chunk of COLS head-dim vectors of VP is loaded once per key and
 *           used by every row, the group's acc chunk carried in registers.
 * m is kept in base-2 units; tile_finish converts the lse. */
#include "cpu_step.h"

#include <math.h>
#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "build.h"
#include "predicate.h"
#include "tile_sched.h"

enum { PAD = 16 /* key padding of the buffers, any W */, MAXACC = 32 };

typedef struct vstep {
  MlirValue q, k, v, m, l, acc, bb, h, hk, row0, key0, mask;
  MlirValue KT, VP, S, QP;
  MlirValue n, shift, lk64, h64;
  float qscale;
  int64_t D, BKP, W, KC, DV;
  cpu_target t;
  int64_t map[80]; /* key_map: where key index c is (tile_sched.h) */
  intptr_t nmap;
  MlirType vt;
  /* the current row group: rows i .. i + R - 1 */
  MlirValue i;
  int64_t R, cols;
  int64_t g0, gn; /* the current chunk of vectors */
  int64_t r;      /* the current row of the group (mask) */
  MlirValue corr[MAXACC];
  bool failed;
} vstep;

static MlirValue idx(ir_builder *b, int64_t v) { return ir_const_index(b, v); }

static MlirValue load_f32(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *ix) {
  MlirValue x = ir_load(b, memref, n, ix);
  return mlirTypeIsAF32(mlirValueGetType(x)) ? x : ir_convert(b, "arith.extf", x, ir_f32(b));
}

static MlirValue extract0(ir_builder *b, MlirValue v) {
  int64_t pos = 0;
  MlirNamedAttribute a = ir_named(b->ctx, "static_position", mlirDenseI64ArrayGet(b->ctx, 1, &pos));
  MlirType f32 = ir_f32(b);
  return mlirOperationGetResult(ir_op(b, "vector.extract", 1, &a, 1, &v, 1, &f32), 0);
}

/* Chunk g of `total` vectors cut into ceil(total / cols) chunks of sizes
 * differing by at most one (8 = 3 + 3 + 2, never 3 + 3 + 1 + 1). */
static int64_t chunks(int64_t total, int64_t cols) { return (total + cols - 1) / cols; }
static void chunk_at(int64_t total, int64_t cols, int64_t g, int64_t *first, int64_t *size) {
  int64_t nch = chunks(total, cols), base = total / nch, extra = total % nch;
  *first = g * base + (g < extra ? g : extra);
  *size = base + (g < extra ? 1 : 0);
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

static void pack_q_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue qs = ir_const_f32(b, s->qscale);
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue row = ir_binary(b, "arith.addi", s->i, idx(b, r));
    MlirValue src[] = {s->bb, s->h, row, d}, dst[] = {idx(b, r), d};
    ir_store(b, ir_binary(b, "arith.mulf", load_f32(b, s->q, 4, src), qs), s->QP, 2, dst);
  }
}

/* ---- exp2 ------------------------------------------------------------------------- */

/* 2^x for x <= 0 (or -inf -> exactly 0) on a vector: x = n + f with
 * n = round(x), |f| <= 1/2; 2^f by its Taylor polynomial of degree 6
 * (relative error < 1.2e-7), 2^n by building the exponent. x is clamped at
 * -127, where the exponent field is 0: the result is then 0 exactly. */
static MlirValue vexp2(vstep *s, ir_builder *b, MlirValue x) {
  static const float c[] = {1.0f, 0.693147180559945f, 0.240226506959101f,
                            0.0555041086648216f, 0.00961812910762848f,
                            0.00133335581464284f, 0.000154035303933816f};
  MlirType vt = s->vt, i32 = mlirIntegerTypeGet(b->ctx, 32), vi = ir_vec(b, i32, s->W);
  MlirValue t = ir_binary(b, "arith.maximumf", x, ir_splat_f32(b, vt, -127.0f));
  MlirValue nf = ir_unary(b, "math.floor", ir_binary(b, "arith.addf", t, ir_splat_f32(b, vt, 0.5f)));
  MlirValue f = ir_binary(b, "arith.subf", t, nf);
  MlirValue poly = ir_splat_f32(b, vt, c[6]);
  for (int k = 5; k >= 0; k--)
    poly = ir_fma(b, poly, f, ir_splat_f32(b, vt, c[k]));
  MlirValue ni = ir_convert(b, "arith.fptosi", nf, vi);
  MlirValue bits = ir_binary(b, "arith.shli",
                             ir_binary(b, "arith.addi", ni, ir_broadcast(b, ir_const_int(b, i32, 127), vi)),
                             ir_broadcast(b, ir_const_int(b, i32, 23), vi));
  return ir_binary(b, "arith.mulf", poly, ir_convert(b, "arith.bitcast", bits, vt));
}

/* ---- QK^T ------------------------------------------------------------------------- */

static void score_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue kv[MAXACC];
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {d, idx(b, (s->g0 + g) * s->W)};
    kv[g] = ir_vload(b, s->vt, s->KT, 2, at);
  }
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue at[] = {idx(b, r), d};
    MlirValue qb = ir_broadcast(b, ir_load(b, s->QP, 2, at), s->vt);
    for (int64_t g = 0; g < s->gn; g++)
      y[r * s->gn + g] = ir_fma(b, qb, kv[g], it[r * s->gn + g]);
  }
}

/* S[r][:] for the group: chunk by chunk of key vectors; lanes at or past
 * n (outside the tile) get -inf. */
static void scores(vstep *s, ir_builder *b) {
  MlirType i32 = mlirIntegerTypeGet(b->ctx, 32), vi = ir_vec(b, i32, s->W);
  int32_t lanes[16];
  for (int k = 0; k < 16; k++)
    lanes[k] = k;
  MlirValue iota = ir_const_vec_i32(b, s->W, lanes);
  MlirValue n32 = ir_convert(b, "arith.index_cast", s->n, i32);
  MlirValue ninf = ir_splat_f32(b, s->vt, -INFINITY);
  for (int64_t ch = 0; ch < chunks(s->KC, s->cols); ch++) {
    chunk_at(s->KC, s->cols, ch, &s->g0, &s->gn);
    MlirValue zeros[MAXACC];
    for (int64_t a = 0; a < s->R * s->gn; a++)
      zeros[a] = ir_splat_f32(b, s->vt, 0.0f);
    MlirOperation dl = ir_for(b, idx(b, 0), idx(b, s->D), idx(b, 1), s->R * s->gn, zeros, score_d, s);
    for (int64_t g = 0; g < s->gn; g++) {
      int64_t col = (s->g0 + g) * s->W;
      MlirValue limit = ir_broadcast(b, ir_binary(b, "arith.subi", n32, ir_const_int(b, i32, col)), vi);
      MlirValue valid = ir_cmpi(b, "slt", iota, limit);
      for (int64_t r = 0; r < s->R; r++) {
        MlirValue at[] = {idx(b, r), idx(b, col)};
        ir_vstore(b, ir_select(b, valid, mlirOperationGetResult(dl, r * s->gn + g), ninf), s->S, 2, at);
      }
    }
  }
}

/* ---- the mask of a partial tile ---------------------------------------------------- */

typedef struct mask_ctx {
  vstep *s;
  MlirValue c;
} mask_ctx;

static void set_ninf(ir_builder *b, MlirValue *out, void *u) {
  mask_ctx *mc = u;
  MlirValue at[] = {idx(b, mc->s->r), mc->c};
  ir_store(b, ir_const_f32(b, -INFINITY), mc->s->S, 2, at);
}

/* S[r][c] = -inf where the mask forbids (p_r, key0 + c). */
static void mask_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  pred_env env = {s->lk64, s->h64};
  MlirValue row = ir_binary(b, "arith.addi", s->i, idx(b, s->r));
  MlirValue p = ir_binary(b, "arith.addi", ir_index_cast(b, row, ir_i64(b)), s->shift);
  MlirValue j64 = ir_index_cast(b, key_at(s, b, c), ir_i64(b));
  MlirValue ok = predicate_emit(b, s->mask, p, j64, &env);
  if (!ok.ptr) {
    s->failed = true;
    return;
  }
  mask_ctx mc = {s, c};
  ir_if(b, ir_binary(b, "arith.xori", ok, ir_const_bool(b, true)), 0, NULL, set_ninf, NULL, &mc);
}

/* ---- softmax ------------------------------------------------------------------------ */

/* Row r of the group: P = 2^(S - m_new) in S, l and m updated, the
 * correction 2^(m - m_new) of acc left in s->corr[r] (a vector). A row
 * with no allowed key yet has m_new = -inf: it uses 0 in its place, so
 * P = 0 and the correction 0 (acc and l are 0 then). */
static void softmax_row(vstep *s, ir_builder *b, int64_t r) {
  MlirValue rr = ir_binary(b, "arith.subi", ir_binary(b, "arith.addi", s->i, idx(b, r)), s->row0);
  MlirValue ninf = ir_splat_f32(b, s->vt, -INFINITY);
  MlirValue mxv = ninf;
  for (int64_t kc = 0; kc < s->KC; kc++) {
    MlirValue at[] = {idx(b, r), idx(b, kc * s->W)};
    mxv = ir_binary(b, "arith.maximumf", mxv, ir_vload(b, s->vt, s->S, 2, at));
  }
  MlirValue m_old = ir_load(b, s->m, 1, &rr);
  MlirValue m_new = ir_binary(b, "arith.maximumf", m_old, ir_reduce(b, "maximumf", mxv));
  MlirValue none = ir_cmpf(b, "oeq", m_new, ir_const_f32(b, -INFINITY));
  MlirValue m_use = ir_select(b, none, ir_const_f32(b, 0.0f), m_new);
  MlirValue mb = ir_broadcast(b, m_use, s->vt);
  MlirValue sum = ir_splat_f32(b, s->vt, 0.0f);
  for (int64_t kc = 0; kc < s->KC; kc++) {
    MlirValue at[] = {idx(b, r), idx(b, kc * s->W)};
    MlirValue pv = vexp2(s, b, ir_binary(b, "arith.subf", ir_vload(b, s->vt, s->S, 2, at), mb));
    ir_vstore(b, pv, s->S, 2, at);
    sum = ir_binary(b, "arith.addf", sum, pv);
  }
  s->corr[r] = vexp2(s, b, ir_broadcast(b, ir_binary(b, "arith.subf", m_old, m_use), s->vt));
  MlirValue l = ir_binary(b, "arith.addf",
                          ir_binary(b, "arith.mulf", ir_load(b, s->l, 1, &rr), extract0(b, s->corr[r])),
                          ir_reduce(b, "add", sum));
  ir_store(b, l, s->l, 1, &rr);
  ir_store(b, m_new, s->m, 1, &rr);
}

/* ---- PV ------------------------------------------------------------------------------ */

static void pv_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue vv[MAXACC];
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {c, idx(b, (s->g0 + g) * s->W)};
    vv[g] = ir_vload(b, s->vt, s->VP, 2, at);
  }
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue at[] = {idx(b, r), c};
    MlirValue pb = ir_broadcast(b, ir_load(b, s->S, 2, at), s->vt);
    for (int64_t g = 0; g < s->gn; g++)
      y[r * s->gn + g] = ir_fma(b, pb, vv[g], it[r * s->gn + g]);
  }
}

static void pv(vstep *s, ir_builder *b) {
  for (int64_t ch = 0; ch < chunks(s->DV, s->cols); ch++) {
    chunk_at(s->DV, s->cols, ch, &s->g0, &s->gn);
    MlirValue init[MAXACC], at[MAXACC][2];
    for (int64_t r = 0; r < s->R; r++) {
      MlirValue rr = ir_binary(b, "arith.subi", ir_binary(b, "arith.addi", s->i, idx(b, r)), s->row0);
      for (int64_t g = 0; g < s->gn; g++) {
        MlirValue *a = at[r * s->gn + g];
        a[0] = rr;
        a[1] = idx(b, (s->g0 + g) * s->W);
        init[r * s->gn + g] = ir_binary(b, "arith.mulf", ir_vload(b, s->vt, s->acc, 2, a), s->corr[r]);
      }
    }
    MlirOperation loop = ir_for(b, idx(b, 0), s->n, idx(b, 1), s->R * s->gn, init, pv_key, s);
    for (int64_t a = 0; a < s->R * s->gn; a++)
      ir_vstore(b, mlirOperationGetResult(loop, a), s->acc, 2, at[a]);
  }
}

/* ---- a group of rows ----------------------------------------------------------------- */

static void step_group(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  s->i = i;
  ir_for(b, idx(b, 0), idx(b, s->D), idx(b, 1), 0, NULL, pack_q_d, s);
  scores(s, b);
  /* (a mask without an element predicate fails once, at its first row) */
  for (s->r = 0; s->mask.ptr && !s->failed && s->r < s->R; s->r++)
    ir_for(b, idx(b, 0), s->n, idx(b, 1), 0, NULL, mask_key, s);
  for (int64_t r = 0; r < s->R; r++)
    softmax_row(s, b, r);
  pv(s, b);
}

int64_t cpu_step_padded_keys(int64_t block_k) { return (block_k + PAD - 1) / PAD * PAD; }

bool cpu_step_lower(ir_builder *b, MlirOperation op, const cpu_step_buffers *buf, cpu_target t) {
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
  s.QP = buf->qp;
  s.t = t;
  s.W = t.lanes;
  s.qscale = (float)(mlirFloatAttrGetValueDouble(mlirOperationGetAttributeByName(
                         op, mlirStringRefCreateFromCString("scale"))) *
                     1.4426950408889634);
  s.D = mlirShapedTypeGetDimSize(mlirValueGetType(s.acc), 1);
  s.BKP = mlirShapedTypeGetDimSize(mlirValueGetType(buf->s), 1);
  s.KC = s.BKP / s.W;
  s.DV = s.D / s.W;
  s.vt = ir_vec(b, ir_f32(b), s.W);
  s.n = ir_binary(b, "arith.subi", key1, s.key0);
  s.lk64 = ir_index_cast(b, ir_dim(b, s.k, 2), ir_i64(b));
  s.shift = pos0;
  s.h64 = ir_index_cast(b, s.h, ir_i64(b));
  ir_for(b, idx(b, 0), s.n, idx(b, 1), 0, NULL, pack_key, &s);
  /* Whole groups of t.rows rows, then the rest one by one (one row can
   * carry twice the vectors: no other row shares the loads). */
  MlirValue R = idx(b, t.rows);
  MlirValue nrows = ir_binary(b, "arith.subi", row1, s.row0);
  MlirValue split = ir_binary(b, "arith.addi", s.row0,
                              ir_binary(b, "arith.muli", ir_binary(b, "arith.divui", nrows, R), R));
  s.R = t.rows;
  s.cols = t.cols;
  ir_for(b, s.row0, split, R, 0, NULL, step_group, &s);
  if (s.failed)
    return false;
  s.R = 1;
  s.cols = 2 * t.cols;
  ir_for(b, split, row1, idx(b, 1), 0, NULL, step_group, &s);
  return !s.failed;
}
