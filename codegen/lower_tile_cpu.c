/* The tile ops on the CPU (see lower_tile_cpu.h): init, finish and the
 * walk here; the step and the transposed state in cpu_step.c. Notation as
 * in tile.h. */
#include "lower_tile_cpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cpu_step.h"
#include "ir.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "ops.h"
#include "predicate.h"

static MlirValue idx(ir_builder *b, int64_t v) { return ir_const_index(b, v); }

/* An i32 constant shaped like x (a scalar, or a splat of x's lane count). */
static MlirValue i32_like(ir_builder *b, MlirValue x, int32_t v) {
  MlirType t = mlirValueGetType(x);
  if (!mlirTypeIsAVector(t))
    return ir_const_int(b, mlirIntegerTypeGet(b->ctx, 32), v);
  int32_t vals[16];
  int64_t n = mlirShapedTypeGetDimSize(t, 0);
  for (int64_t i = 0; i < n && i < 16; i++)
    vals[i] = v;
  return ir_const_vec_i32(b, n, vals);
}

/* The type of x with element type e (x a scalar or a 1-D vector). */
static MlirType elem_like(ir_builder *b, MlirValue x, MlirType e) {
  MlirType t = mlirValueGetType(x);
  return mlirTypeIsAVector(t) ? ir_vec(b, e, mlirShapedTypeGetDimSize(t, 0)) : e;
}

/* f32 -> bf16 (a scalar or a vector of them), rounding to nearest even, in
 * integer ops: arith.truncf to bf16 can end up as a call to __truncsfbf2
 * (LLVM promotes a bf16 select to f32), which a JIT process need not have.
 * A NaN gets its low half cleared and its quiet bit set first, so rounding
 * cannot carry it into another value; no select (LLVM would sink one past
 * the bitcast and bring the call back). */
static MlirValue to_bf16(ir_builder *b, MlirValue x) {
  MlirType i32 = elem_like(b, x, mlirIntegerTypeGet(b->ctx, 32));
  MlirType i16 = elem_like(b, x, mlirIntegerTypeGet(b->ctx, 16));
  MlirValue bits = ir_convert(b, "arith.bitcast", x, i32);
  MlirValue nan = ir_extui(b, ir_cmpf(b, "uno", x, x), i32);
  /* NaN: low half cleared (nan << 16) - nan = 0xffff), quiet bit set. */
  MlirValue low = ir_binary(b, "arith.subi",
                            ir_binary(b, "arith.shli", nan, i32_like(b, x, 16)), nan);
  bits = ir_binary(b, "arith.andi", bits, ir_binary(b, "arith.xori", low, i32_like(b, x, -1)));
  bits = ir_binary(b, "arith.ori", bits, ir_binary(b, "arith.shli", nan, i32_like(b, x, 22)));
  MlirValue lsb = ir_binary(b, "arith.andi",
                            ir_binary(b, "arith.shrui", bits, i32_like(b, x, 16)),
                            i32_like(b, x, 1));
  MlirValue rounded = ir_binary(b, "arith.addi", bits,
                                ir_binary(b, "arith.addi", lsb, i32_like(b, x, 0x7fff)));
  MlirValue hi = ir_convert(b, "arith.trunci",
                            ir_binary(b, "arith.shrui", rounded, i32_like(b, x, 16)), i16);
  return ir_convert(b, "arith.bitcast", hi, elem_like(b, x, mlirBF16TypeGet(b->ctx)));
}

/* x (f32, scalar or vector) narrowed to element type elem. */
static MlirValue narrow(ir_builder *b, MlirValue x, MlirType elem) {
  if (mlirTypeIsABF16(elem))
    return to_bf16(b, x);
  if (!mlirTypeIsAF32(elem))
    return ir_convert(b, "arith.truncf", x, elem_like(b, x, elem));
  return x;
}

/* A store narrowed to the memref's element type. */
static void store_from_f32(ir_builder *b, MlirValue x, MlirValue memref, intptr_t n,
                           const MlirValue *ix) {
  ir_store(b, narrow(b, x, mlirShapedTypeGetElementType(mlirValueGetType(memref))), memref, n, ix);
}

/* ---- tile_init -------------------------------------------------------------------- */

typedef struct init_ctx {
  const cpu_state *st;
  MlirType vt;
  int64_t W, BQP;
} init_ctx;

static void init_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  init_ctx *c = u;
  for (int64_t g = 0; g < c->BQP; g += c->W) {
    MlirValue at[] = {d, idx(b, g)};
    ir_vstore(b, ir_splat_f32(b, c->vt, 0.0f), c->st->at, 2, at);
  }
}

/* M = -inf, L = 0, AT = 0, in vectors; the queries are packed by the
 * first step. */
static void lower_init(ir_builder *b, const cpu_state *st) {
  MlirType at_t = mlirValueGetType(st->at);
  init_ctx c = {st, ir_vec(b, ir_f32(b), st->t.lanes), st->t.lanes, mlirShapedTypeGetDimSize(at_t, 1)};
  for (int64_t g = 0; g < c.BQP; g += c.W) {
    MlirValue at = idx(b, g);
    ir_vstore(b, ir_splat_f32(b, c.vt, -INFINITY), st->m, 1, &at);
    ir_vstore(b, ir_splat_f32(b, c.vt, 0.0f), st->l, 1, &at);
  }
  ir_for(b, idx(b, 0), idx(b, mlirShapedTypeGetDimSize(at_t, 0)), idx(b, 1), 0, NULL, init_d, &c);
  MlirValue z = idx(b, 0);
  ir_store(b, ir_const_int(b, ir_i8(b), 0), st->flag, 1, &z);
}

/* ---- tile_finish ---------------------------------------------------------------------- */

typedef struct fin_gen {
  MlirValue out, lse, write_lse, bb, h, row0;
  const cpu_state *st;
  MlirValue i, r, lv, inv;
  MlirValue i1; /* the end of the vector groups' rows */
  int64_t D;
  MlirValue out_next; /* holds the next work item's rows (prefetched) */
  int64_t BQ;
} fin_gen;

static void write_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  fin_gen *f = u;
  MlirValue ai[] = {d, f->r};
  MlirValue val = ir_binary(b, "arith.mulf", ir_load(b, f->st->at, 2, ai), f->inv);
  MlirValue oi[] = {f->bb, f->h, f->i, d};
  store_from_f32(b, val, f->out, 4, oi);
}

/* The lse of every row of the tile, as vectors, into C (free at finish):
 * lse = m ln 2 + ln l with m in base-2 units (cpu_step.c), -inf for a row
 * with no allowed key (l = 0). ln l by exponent and mantissa: l = 2^e x,
 * x in [sqrt(1/2), sqrt(2)), ln x = t - t^2/2 + t^3 P(t) with t = x - 1
 * (Cephes logf's polynomial, 1e-7 relative); so lse = (m + e) ln 2 +
 * ln x. math.log became one libm call per row, a sixth of the time of a
 * residue-class part whose tiles are small. */
static void lse_vectors(ir_builder *b, const cpu_state *st) {
  static const float P[] = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f,
                            -1.2420140846e-1f, 1.4249322787e-1f, -1.6668057665e-1f,
                            2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};
  int64_t W = st->t.lanes, BQP = mlirShapedTypeGetDimSize(mlirValueGetType(st->l), 0);
  MlirType vt = ir_vec(b, ir_f32(b), W), vi = ir_vec(b, mlirIntegerTypeGet(b->ctx, 32), W);
  for (int64_t g = 0; g < BQP; g += W) {
    MlirValue at = idx(b, g);
    MlirValue l = ir_vload(b, vt, st->l, 1, &at), m = ir_vload(b, vt, st->m, 1, &at);
    MlirValue pos = ir_cmpf(b, "ogt", l, ir_splat_f32(b, vt, 0.0f));
    MlirValue bits = ir_convert(b, "arith.bitcast", ir_select(b, pos, l, ir_splat_f32(b, vt, 1.0f)), vi);
    MlirValue e = ir_binary(b, "arith.shrui", bits, i32_like(b, bits, 23));
    MlirValue mant = ir_binary(b, "arith.andi", bits, i32_like(b, bits, 0x007fffff));
    MlirValue x = ir_convert(b, "arith.bitcast",
                             ir_binary(b, "arith.ori", mant, i32_like(b, bits, 0x3f800000)), vt);
    MlirValue ef = ir_binary(b, "arith.subf", ir_convert(b, "arith.sitofp", e, vt),
                             ir_splat_f32(b, vt, 127.0f));
    MlirValue big = ir_cmpf(b, "ogt", x, ir_splat_f32(b, vt, 1.41421356f));
    x = ir_select(b, big, ir_binary(b, "arith.mulf", x, ir_splat_f32(b, vt, 0.5f)), x);
    ef = ir_select(b, big, ir_binary(b, "arith.addf", ef, ir_splat_f32(b, vt, 1.0f)), ef);
    MlirValue t = ir_binary(b, "arith.subf", x, ir_splat_f32(b, vt, 1.0f));
    MlirValue z = ir_binary(b, "arith.mulf", t, t);
    MlirValue poly = ir_splat_f32(b, vt, P[0]);
    for (int k = 1; k < 9; k++)
      poly = ir_fma(b, poly, t, ir_splat_f32(b, vt, P[k]));
    MlirValue y = ir_binary(b, "arith.mulf", ir_binary(b, "arith.mulf", t, z), poly);
    y = ir_fma(b, z, ir_splat_f32(b, vt, -0.5f), y);
    MlirValue lnx = ir_binary(b, "arith.addf", t, y);
    MlirValue lse = ir_fma(b, ir_binary(b, "arith.addf", m, ef), ir_splat_f32(b, vt, 0.693147180559945f), lnx);
    ir_vstore(b, ir_select(b, pos, lse, ir_splat_f32(b, vt, -INFINITY)), st->corr, 1, &at);
  }
}

/* Row i's lse, from C (lse_vectors). */
static void write_lse(ir_builder *b, MlirValue *out, void *u) {
  fin_gen *f = u;
  MlirValue li[] = {f->bb, f->h, f->i};
  ir_store(b, ir_load(b, f->st->corr, 1, &f->r), f->lse, 3, li);
}

static void finish_row(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  fin_gen *f = u;
  f->i = i;
  f->r = ir_binary(b, "arith.subi", i, f->row0);
  f->lv = ir_load(b, f->st->l, 1, &f->r);
  /* acc / l as acc * (1 / l), one division per row; a row with no allowed
   * key (l = 0) gives 0, never NaN. */
  MlirValue pos = ir_cmpf(b, "ogt", f->lv, ir_const_f32(b, 0.0f));
  MlirValue safe_l = ir_select(b, pos, f->lv, ir_const_f32(b, 1.0f));
  f->inv = ir_select(b, pos, ir_binary(b, "arith.divf", ir_const_f32(b, 1.0f), safe_l),
                     ir_const_f32(b, 0.0f));
  ir_for(b, idx(b, 0), idx(b, f->D), idx(b, 1), 0, NULL, write_d, f);
  MlirValue wl = ir_cmpi(b, "ne", f->write_lse, ir_const_int(b, ir_i64(b), 0));
  ir_if(b, wl, 0, NULL, write_lse, NULL, f);
}

/* Rows r .. r+W-1 of the tile (whole), W of them at once: AT[d][r..]
 * times 1 / l (0 for an empty row) as vectors over the rows, transposed
 * in registers into row vectors, narrowed and stored with unit stride. The
 * row-by-row loop (finish_row) read and wrote one element at a time. */
static void finish_group_block(ir_builder *b, MlirValue d0, const MlirValue *it, MlirValue *y,
                               void *u) {
  fin_gen *f = u;
  int64_t W = f->st->t.lanes;
  MlirValue v[16];
  for (int64_t j = 0; j < W; j++) {
    MlirValue at[] = {ir_binary(b, "arith.addi", d0, idx(b, j)), f->r};
    v[j] = ir_binary(b, "arith.mulf", ir_vload(b, mlirValueGetType(f->inv), f->st->at, 2, at), f->inv);
  }
  cpu_step_transpose(b, v, W);
  MlirType elem = mlirShapedTypeGetElementType(mlirValueGetType(f->out));
  for (int64_t i = 0; i < W; i++) {
    MlirValue row = ir_binary(b, "arith.addi", f->row0, ir_binary(b, "arith.addi", f->r, idx(b, i)));
    MlirValue oi[] = {f->bb, f->h, row, d0};
    ir_vstore(b, narrow(b, v[i], elem), f->out, 4, oi);
    prefetch_next_row(b, f->out, f->out_next, f->bb, f->h, f->row0, f->BQ,
                      ir_binary(b, "arith.addi", f->r, idx(b, i)), d0, true);
  }
}

static void finish_group(ir_builder *b, MlirValue r, const MlirValue *it, MlirValue *y, void *u) {
  fin_gen *f = u;
  int64_t W = f->st->t.lanes;
  MlirType vt = ir_vec(b, ir_f32(b), W);
  f->r = r;
  MlirValue l = ir_vload(b, vt, f->st->l, 1, &r);
  MlirValue pos = ir_cmpf(b, "ogt", l, ir_splat_f32(b, vt, 0.0f));
  MlirValue one = ir_splat_f32(b, vt, 1.0f);
  f->inv = ir_select(b, pos, ir_binary(b, "arith.divf", one, ir_select(b, pos, l, one)),
                     ir_splat_f32(b, vt, 0.0f));
  ir_for(b, idx(b, 0), idx(b, f->D), idx(b, W), 0, NULL, finish_group_block, f);
}

/* The lse of row i (the rows of the vector groups). */
static void lse_row(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  fin_gen *f = u;
  f->i = i;
  f->r = ir_binary(b, "arith.subi", i, f->row0);
  write_lse(b, NULL, f);
}

static void lse_rows(ir_builder *b, MlirValue *out, void *u) {
  fin_gen *f = u;
  ir_for(b, f->row0, f->i1, idx(b, 1), 0, NULL, lse_row, f);
}

static void lower_finish(ir_builder *b, MlirOperation op, const cpu_state *st) {
  fin_gen f;
  memset(&f, 0, sizeof f);
  MlirValue *fields[] = {&f.out, &f.lse, &f.write_lse};
  for (int i = 0; i < 3; i++)
    *fields[i] = mlirOperationGetOperand(op, i);
  f.bb = mlirOperationGetOperand(op, 6);
  f.h = mlirOperationGetOperand(op, 7);
  f.row0 = mlirOperationGetOperand(op, 8);
  f.out_next = mlirOperationGetOperand(op, 10);
  f.BQ = mlirShapedTypeGetDimSize(mlirValueGetType(mlirOperationGetOperand(op, 5)), 0);
  f.st = st;
  f.D = mlirShapedTypeGetDimSize(mlirValueGetType(st->at), 0);
  MlirValue row1 = mlirOperationGetOperand(op, 9);
  lse_vectors(b, st);
  if (!ir_unit_inner_stride(f.out)) {
    ir_for(b, f.row0, row1, idx(b, 1), 0, NULL, finish_row, &f);
    return;
  }
  /* whole groups of W rows as vectors, then the rest row by row */
  MlirValue W = idx(b, st->t.lanes);
  MlirValue nr = ir_binary(b, "arith.subi", row1, f.row0);
  MlirValue whole = ir_binary(b, "arith.muli", ir_binary(b, "arith.divui", nr, W), W);
  ir_for(b, idx(b, 0), whole, W, 0, NULL, finish_group, &f);
  f.i1 = ir_binary(b, "arith.addi", f.row0, whole);
  MlirValue wl = ir_cmpi(b, "ne", f.write_lse, ir_const_int(b, ir_i64(b), 0));
  ir_if(b, wl, 0, NULL, lse_rows, NULL, &f);
  ir_for(b, f.i1, row1, idx(b, 1), 0, NULL, finish_row, &f);
}

/* ---- the walk --------------------------------------------------------------------------- */

typedef struct op_list {
  MlirOperation *ops;
  size_t n, cap;
  bool oom;
} op_list;

static MlirWalkResult collect_sattn(MlirOperation op, void *user) {
  op_list *l = user;
  if (sattn_op_get_kind(op) == SATTN_NOT_SATTN)
    return MlirWalkResultAdvance;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    MlirOperation *grown = realloc(l->ops, cap * sizeof *grown);
    if (!grown) {
      l->oom = true;
      return MlirWalkResultInterrupt;
    }
    l->ops = grown;
    l->cap = cap;
  }
  l->ops[l->n++] = op;
  return MlirWalkResultAdvance;
}

/* Whether the tiles of `func` take the bf16 dot product (cpu_step_dot.h):
 * a bf16dot target and q, k, v (its first arguments) bf16 with unit inner
 * stride, as the kernels' arguments are (the 32-bit pair loads need it). */
static bool dot_state(MlirOperation func, cpu_target t) {
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  if (!t.bf16dot || mlirBlockGetNumArguments(entry) < 3)
    return false;
  for (intptr_t i = 0; i < 3; i++) {
    MlirValue a = mlirBlockGetArgument(entry, i);
    MlirType at = mlirValueGetType(a);
    if (!mlirTypeIsAMemRef(at) || !mlirTypeIsABF16(mlirShapedTypeGetElementType(at)) ||
        !ir_unit_inner_stride(a))
      return false;
  }
  return true;
}

/* The transposed state of the tile whose acc is `acc` (cpu_step.h), as
 * allocas at the entry of `func`; bk the largest block_k of its steps. */
static cpu_state alloc_state(MlirOperation func, MlirValue acc, int64_t bk, cpu_target t) {
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirContext ctx = mlirOperationGetContext(func);
  ir_builder b = {ctx, entry, mlirValueGetLocation(acc), mlirBlockGetFirstOperation(entry)};
  MlirType f32 = mlirF32TypeGet(ctx), acc_t = mlirValueGetType(acc);
  int64_t bqp = cpu_step_padded_rows(mlirShapedTypeGetDimSize(acc_t, 0));
  int64_t D = mlirShapedTypeGetDimSize(acc_t, 1), bkp = cpu_step_padded_keys(bk);
  int64_t dq[] = {D, bqp}, kq[] = {bkp, bqp}, q[] = {bqp}, one[] = {1};
  MlirAttribute none = mlirAttributeGetNull();
  MlirType dq_t = mlirMemRefTypeGet(f32, 2, dq, none, none), q_t = mlirMemRefTypeGet(f32, 1, q, none, none);
  cpu_state st;
  memset(&st, 0, sizeof st);
  st.t = t;
  st.qt = ir_alloca(&b, dq_t);
  st.at = ir_alloca(&b, dq_t);
  st.st = ir_alloca(&b, mlirMemRefTypeGet(f32, 2, kq, none, none));
  st.m = ir_alloca(&b, q_t);
  st.l = ir_alloca(&b, q_t);
  st.corr = ir_alloca(&b, q_t);
  st.flag = ir_alloca(&b, mlirMemRefTypeGet(ir_i8(&b), 1, one, none, none));
  /* the queries' pair layout for AMX: bf16 items (q, the first argument)
   * with whole pairs of query vectors */
  MlirType arg0_t = mlirValueGetType(mlirBlockGetArgument(entry, 0));
  bool bf16 = mlirTypeIsAMemRef(arg0_t) && mlirTypeIsABF16(mlirShapedTypeGetElementType(arg0_t));
  MlirType bf = mlirBF16TypeGet(ctx);
  int64_t pairs[] = {D / 2, 2 * bqp};
  if (t.amx && bf16 && D % 32 == 0 && bqp % 32 == 0)
    st.qtv = ir_alloca(&b, mlirMemRefTypeGet(bf, 2, pairs, none, none));
  if (dot_state(func, t)) {
    int64_t kpairs[] = {bkp / 2, 2 * bqp}, vpairs[] = {bkp / 2, 2 * D};
    st.qtv = ir_alloca(&b, mlirMemRefTypeGet(bf, 2, pairs, none, none));
    st.pp = ir_alloca(&b, mlirMemRefTypeGet(bf, 2, kpairs, none, none));
    st.vp = ir_alloca(&b, mlirMemRefTypeGet(bf, 2, vpairs, none, none));
  }
  return st;
}

static MlirOperation parent_func(MlirOperation op) {
  MlirOperation f = mlirOperationGetParentOperation(op);
  while (!mlirOperationIsNull(f) &&
         !mlirStringRefEqual(mlirIdentifierStr(mlirOperationGetName(f)),
                             mlirStringRefCreateFromCString("func.func")))
    f = mlirOperationGetParentOperation(f);
  return f;
}

/* The acc operand of a tile op (init 2, step 5, finish 5). */
static MlirValue acc_of(MlirOperation op) {
  return mlirOperationGetOperand(op, sattn_op_get_kind(op) == SATTN_TILE_INIT ? 2 : 5);
}

/* The state of a tile lives on the stack of the thread running the item
 * function: bounded well under the usual 8 MiB thread stacks. */
enum { STATE_MAX_BYTES = 2 << 20 };

static bool is_tile_op(sattn_op_kind k) {
  return k == SATTN_TILE_INIT || k == SATTN_TILE_STEP || k == SATTN_TILE_FINISH;
}

typedef struct state_entry {
  MlirOperation first; /* its first tile op, for errors */
  MlirValue acc;
  int64_t bk;
  cpu_state st;
  bool made;
} state_entry;

/* The entry of `acc` among the first n (n when there is none). */
static size_t state_index(const state_entry *states, size_t n, MlirValue acc) {
  size_t e = 0;
  while (e < n && !mlirValueEqual(states[e].acc, acc))
    e++;
  return e;
}

bool lower_tile_cpu(MlirOperation root, cpu_target t) {
  op_list l = {NULL, 0, 0, false};
  mlirOperationWalk(root, collect_sattn, &l, MlirWalkPreOrder);
  bool ok = !l.oom;
  if (l.oom)
    mlirEmitError(mlirOperationGetLocation(root), "sattn-lower-cpu: out of memory");
  /* Check first: nothing is changed when the input is not at the tile level. */
  for (size_t i = 0; ok && i < l.n; i++) {
    sattn_op_kind k = sattn_op_get_kind(l.ops[i]);
    if (k == SATTN_ATTENTION || k == SATTN_BLOCKED_ATTENTION ||
        (k >= SATTN_KEYS_ALL && k <= SATTN_GROUP_SCHEDULE) || k == SATTN_STRIPE) {
      mlirEmitError(mlirOperationGetLocation(l.ops[i]),
                    "sattn-lower-cpu expects tiled loops: run sattn-blockify and "
                    "sattn-tile first");
      ok = false;
    }
  }
  /* random calls the runtime's generator: declare it once per module. */
  bool random = false;
  for (size_t i = 0; i < l.n; i++)
    random |= sattn_op_get_kind(l.ops[i]) == SATTN_RANDOM;
  MlirStringRef rn = mlirIdentifierStr(mlirOperationGetName(root));
  if (ok && random && rn.length == 14 && !memcmp(rn.data, "builtin.module", 14))
    predicate_declare_runtime(mlirOperationGetContext(root), mlirModuleFromOperation(root));
  /* One transposed state per acc (a query tile of sattn-tile), sized by
   * the largest block_k of its steps. */
  state_entry *states = calloc(l.n ? l.n : 1, sizeof *states);
  size_t nstates = 0;
  if (!states) {
    mlirEmitError(mlirOperationGetLocation(root), "sattn-lower-cpu: out of memory");
    ok = false;
  }
  for (size_t i = 0; ok && i < l.n; i++) {
    MlirOperation op = l.ops[i];
    sattn_op_kind k = sattn_op_get_kind(op);
    if (!is_tile_op(k))
      continue;
    MlirValue acc = acc_of(op);
    MlirType acc_t = mlirValueGetType(acc);
    if (mlirOperationIsNull(parent_func(op)) || !mlirTypeIsAMemRef(acc_t) ||
        mlirShapedTypeGetRank(acc_t) != 2 || !mlirShapedTypeHasStaticShape(acc_t) ||
        mlirShapedTypeGetDimSize(acc_t, 1) % 16) {
      mlirEmitError(mlirOperationGetLocation(op),
                    "the tile ops must be inside a func.func, with an acc of "
                    "memref<BQ x D x f32> and D a multiple of 16");
      ok = false;
      break;
    }
    size_t e = state_index(states, nstates, acc);
    if (e == nstates) {
      memset(&states[e], 0, sizeof states[e]);
      states[e].acc = acc;
      states[e].first = op;
      states[e].bk = 16;
      nstates++;
    }
    int64_t bk = 0;
    if (k == SATTN_TILE_STEP && sattn_get_int_attr(op, "block_k", &bk) && bk > states[e].bk)
      states[e].bk = bk;
  }
  for (size_t e = 0; ok && e < nstates; e++) {
    MlirType acc_t = mlirValueGetType(states[e].acc);
    int64_t bqp = cpu_step_padded_rows(mlirShapedTypeGetDimSize(acc_t, 0));
    int64_t D = mlirShapedTypeGetDimSize(acc_t, 1), bkp = cpu_step_padded_keys(states[e].bk);
    int64_t bytes = 4 * bqp * (2 * D + bkp + 3);
    if (dot_state(parent_func(states[e].first), t)) /* qtv, pp, vp */
      bytes += 2 * (bqp * (D + bkp) + bkp * D);
    if (bytes > STATE_MAX_BYTES) {
      char msg[256];
      snprintf(msg, sizeof msg,
               "the CPU state of a %lld x %lld tile at head_dim %lld takes %lld bytes of "
               "stack (at most %d): use smaller --block-q / --block-k",
               (long long)mlirShapedTypeGetDimSize(acc_t, 0), (long long)states[e].bk,
               (long long)D, (long long)bytes, STATE_MAX_BYTES);
      mlirEmitError(mlirOperationGetLocation(states[e].first), msg);
      ok = false;
    }
  }
  for (size_t i = 0; ok && i < l.n; i++) {
    MlirOperation op = l.ops[i];
    sattn_op_kind k = sattn_op_get_kind(op);
    if (!is_tile_op(k))
      continue;
    size_t e = state_index(states, nstates, acc_of(op));
    if (!states[e].made) {
      states[e].st = alloc_state(parent_func(op), states[e].acc, states[e].bk, t);
      states[e].made = true;
    }
    ir_builder b = {mlirOperationGetContext(op), mlirOperationGetBlock(op),
                    mlirOperationGetLocation(op), op};
    if (k == SATTN_TILE_INIT) {
      lower_init(&b, &states[e].st);
    } else if (k == SATTN_TILE_STEP) {
      ok = cpu_step_lower(&b, op, &states[e].st);
      if (!ok)
        mlirEmitError(mlirOperationGetLocation(op),
                      "the CPU back end cannot run this pattern: its partial tiles need "
                      "an element predicate");
    } else {
      lower_finish(&b, op, &states[e].st);
    }
  }
  free(states);
  /* The tile ops are gone; the masks (used by them only) go after them. */
  for (size_t i = 0; ok && i < l.n; i++) {
    sattn_op_kind k = sattn_op_get_kind(l.ops[i]);
    if (is_tile_op(k)) {
      mlirOperationRemoveFromParent(l.ops[i]);
      mlirOperationDestroy(l.ops[i]);
      l.ops[i] = (MlirOperation){NULL};
    }
  }
  /* Consumers before producers; a mask still used elsewhere stays. */
  for (size_t i = l.n; ok && i-- > 0;) {
    MlirOperation op = l.ops[i];
    if (!op.ptr || (mlirOperationGetNumResults(op) == 1 &&
                    !mlirOpOperandIsNull(mlirValueGetFirstUse(mlirOperationGetResult(op, 0)))))
      continue;
    mlirOperationRemoveFromParent(op);
    mlirOperationDestroy(op);
  }
  free(l.ops);
  return ok;
}
