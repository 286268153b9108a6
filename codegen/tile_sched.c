/* Closed-form schedule arithmetic (see tile_sched.h).
 *
 * Offsets are at most 2^40 (sattn-verify) and positions below 2^40 in
 * practice, so p +- offset never overflows i64. floordivsi rounds toward
 * minus infinity, as positions p < 0 (Lq > Lk) need. */
#include "tile_sched.h"

#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "memo.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/Diagnostics.h"

enum { MAX_DEPTH = 4000, MAX_VISITS = 1000000 };

static MlirValue c64(ir_builder *b, int64_t v) { return ir_const_int(b, ir_i64(b), v); }
static MlirValue add(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.addi", x, y);
}
static MlirValue addc(ir_builder *b, MlirValue x, int64_t y) { return add(b, x, c64(b, y)); }
static MlirValue sub(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.subi", x, y);
}
static MlirValue mul(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.muli", x, y);
}
static MlirValue fdiv(ir_builder *b, MlirValue x, int64_t d) {
  return ir_binary(b, "arith.floordivsi", x, c64(b, d));
}
static MlirValue fmod_(ir_builder *b, MlirValue x, int64_t d) {
  return sub(b, x, mul(b, fdiv(b, x, d), c64(b, d)));
}
static MlirValue smin(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.minsi", x, y);
}
static MlirValue smax(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.maxsi", x, y);
}
static MlirValue and_(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.andi", x, y);
}
static MlirValue or_(ir_builder *b, MlirValue x, MlirValue y) {
  return ir_binary(b, "arith.ori", x, y);
}
static MlirValue not_(ir_builder *b, MlirValue x) {
  return ir_binary(b, "arith.xori", x, ir_const_bool(b, true));
}

static int64_t attr(MlirOperation op, const char *name) {
  int64_t v = 0;
  sattn_get_int_attr(op, name, &v);
  return v;
}

static bool str_is(MlirOperation op, const char *name, const char *want) {
  MlirStringRef s;
  return sattn_get_string_attr(op, name, &s) && s.length == strlen(want) &&
         memcmp(s.data, want, s.length) == 0;
}

/* The (start, end) pairs of an array<i64> attribute; caller frees. */
static int64_t *ranges_of(MlirOperation op, intptr_t *n) {
  intptr_t len = sattn_get_i64_array(op, "ranges", NULL, 0);
  *n = len > 0 ? len / 2 : 0;
  int64_t *r = malloc((size_t)(len > 0 ? len : 1) * sizeof *r);
  if (r && len > 0)
    sattn_get_i64_array(op, "ranges", r, len);
  if (!r)
    *n = 0;
  return r;
}

static bool guard(ir_builder *b, tile_pos *t, MlirValue v, int depth) {
  if (mlirValueIsAOpResult(v) && depth <= MAX_DEPTH && ++t->visits <= MAX_VISITS)
    return true;
  if (!t->failed)
    mlirEmitError(mlirValueIsAOpResult(v) ? mlirOperationGetLocation(mlirOpResultGetOwner(v))
                                          : b->loc,
                  "the schedule is nested too deeply (or not built from sattn ops)");
  t->failed = true;
  return false;
}

/* ---- next key tile ---------------------------------------------------------- */

/* An anchor of keys_range: 0, p0 or p1 rounded down to `align`, Lk - 1. */
static MlirValue anchor(ir_builder *b, tile_pos *t, MlirOperation op, const char *which,
                        int64_t align) {
  if (str_is(op, which, "first") || str_is(op, which, "last")) {
    MlirValue p = str_is(op, which, "first") ? t->p0 : t->p1;
    return align > 1 ? mul(b, fdiv(b, p, align), c64(b, align)) : p;
  }
  if (str_is(op, which, "end"))
    return addc(b, t->lk, -1);
  return c64(b, 0);
}

/* The first key >= J of [lo, hi] (clipped to [0, Lk)), or Lk. */
static MlirValue next_in(ir_builder *b, tile_pos *t, MlirValue J, MlirValue lo, MlirValue hi) {
  lo = smax(b, lo, c64(b, 0));
  hi = smin(b, hi, addc(b, t->lk, -1));
  MlirValue none = or_(b, ir_cmpi(b, "sgt", J, hi), ir_cmpi(b, "sgt", lo, hi));
  return ir_select(b, none, t->lk, smax(b, J, lo));
}

static MlirValue next_tile_at(ir_builder *b, MlirValue keys, tile_pos *t, MlirValue J,
                              int depth);

typedef struct fix_ctx {
  ir_builder *outer;
  MlirOperation op;
  tile_pos *t;
  int depth;
} fix_ctx;

static MlirValue fix_cond(ir_builder *b, const MlirValue *vals, void *user) {
  return vals[1];
}

/* One round of the intersection: the latest of the children's next tiles. */
static void fix_body(ir_builder *b, const MlirValue *vals, MlirValue *yields, void *user) {
  fix_ctx *c = user;
  MlirValue J = vals[0], nJ = J;
  for (intptr_t k = 0; k < mlirOperationGetNumOperands(c->op); k++)
    nJ = smax(b, nJ, next_tile_at(b, mlirOperationGetOperand(c->op, k), c->t, J,
                                  c->depth + 1));
  yields[0] = nJ;
  yields[1] = and_(b, ir_cmpi(b, "ne", nJ, J), ir_cmpi(b, "slt", nJ, c->t->lk));
}

/* ---- random: the drawn key blocks of the tile's query blocks ------------------- */

typedef struct rnd_ctx {
  MlirOperation op;
  tile_pos *t;
  MlirValue qb0, kb_from, kb_to, nkb, blk; /* i64 */
  MlirValue J;
  int mode; /* 0: next key >= J; 1: any drawn block in [kb_from, kb_to] */
} rnd_ctx;

/* The arguments of the runtime's generator for query block qb. */
static MlirValue rnd_call(ir_builder *b, rnd_ctx *r, MlirValue qb, MlirValue kb) {
  MlirAttribute ph = mlirOperationGetAttributeByName(r->op, mlirStringRefCreateFromCString("per_head"));
  bool by_head = !mlirAttributeIsNull(ph) && mlirBoolAttrGetValue(ph);
  MlirValue args[] = {c64(b, attr(r->op, "seed")), qb, by_head ? r->t->head : c64(b, 0),
                      c64(b, attr(r->op, "count")), r->nkb, kb};
  return ir_call(b, "sattn_rt_random_next", 6, args, ir_i64(b));
}

static void rnd_body(ir_builder *b, MlirValue iv, const MlirValue *it, MlirValue *y, void *u) {
  rnd_ctx *r = u;
  MlirValue qb = add(b, r->qb0, ir_index_cast(b, iv, ir_i64(b)));
  MlirValue kb = rnd_call(b, r, qb, r->kb_from);
  if (r->mode == 0) {
    MlirValue cand = ir_select(b, ir_cmpi(b, "slt", kb, r->nkb), smax(b, r->J, mul(b, kb, r->blk)),
                               r->t->lk);
    y[0] = smin(b, it[0], cand);
  } else {
    y[0] = or_(b, it[0], ir_cmpi(b, "sle", kb, r->kb_to));
  }
}

/* Over the query blocks p0 / block .. p1 / block: the first drawn key >= J
 * (mode 0), or whether a drawn block lies in [kb_from, kb_to] (mode 1). */
static MlirValue rnd_over_qblocks(ir_builder *b, rnd_ctx *r, MlirValue init) {
  int64_t blk = attr(r->op, "block");
  r->blk = c64(b, blk);
  r->qb0 = fdiv(b, r->t->p0, blk);
  MlirValue n = addc(b, sub(b, fdiv(b, r->t->p1, blk), r->qb0), 1);
  r->nkb = ir_binary(b, "arith.ceildivsi", r->t->lk, r->blk);
  MlirOperation loop = ir_for(b, ir_const_index(b, 0), ir_index_cast(b, n, ir_index(b)),
                              ir_const_index(b, 1), 1, &init, rnd_body, r);
  return mlirOperationGetResult(loop, 0);
}

static MlirValue random_next(ir_builder *b, MlirOperation op, tile_pos *t, MlirValue J) {
  rnd_ctx r = {op, t, {NULL}, {NULL}, {NULL}, {NULL}, {NULL}, J, 0};
  r.kb_from = fdiv(b, J, attr(op, "block"));
  return rnd_over_qblocks(b, &r, t->lk);
}

/* The first candidate key >= J (not aligned), or a value >= Lk. */
static MlirValue next_key(ir_builder *b, MlirOperation op, tile_pos *t, MlirValue J,
                          int depth) {
  switch (sattn_op_get_kind(op)) {
  case SATTN_KEYS_ALL:
    return J;
  case SATTN_KEYS_RANGE: {
    int64_t align = attr(op, "align");
    MlirValue lo = addc(b, anchor(b, t, op, "from", align), attr(op, "lo"));
    MlirValue hi = addc(b, anchor(b, t, op, "to", align), attr(op, "hi"));
    return next_in(b, t, J, lo, hi);
  }
  case SATTN_KEYS_COLUMNS: {
    intptr_t n;
    int64_t *r = ranges_of(op, &n);
    MlirValue best = t->lk;
    for (intptr_t i = 0; i < n; i++)
      best = smin(b, best, next_in(b, t, J, c64(b, r[2 * i]), c64(b, r[2 * i + 1] - 1)));
    free(r);
    return best;
  }
  case SATTN_KEYS_ROWS: {
    intptr_t n;
    int64_t *r = ranges_of(op, &n);
    MlirValue meets = ir_const_bool(b, false);
    for (intptr_t i = 0; i < n; i++)
      meets = or_(b, meets, and_(b, ir_cmpi(b, "slt", t->p0, c64(b, r[2 * i + 1])),
                                 ir_cmpi(b, "sge", t->p1, c64(b, r[2 * i]))));
    free(r);
    return ir_select(b, meets, J, t->lk);
  }
  case SATTN_KEYS_PERIODIC: {
    int64_t period = attr(op, "period"), count = attr(op, "count");
    MlirValue base = addc(b, str_is(op, "anchor", "first") ? t->p0 : c64(b, 0),
                          attr(op, "offset"));
    MlirValue r = fmod_(b, sub(b, J, base), period);
    MlirValue in = ir_cmpi(b, "slt", r, c64(b, count));
    return ir_select(b, in, J, add(b, J, sub(b, c64(b, period), r)));
  }
  case SATTN_KEYS_RANDOM:
    return random_next(b, op, t, J);
  case SATTN_KEYS_UNION: {
    MlirValue best = t->lk;
    for (intptr_t k = 0; k < mlirOperationGetNumOperands(op); k++)
      best = smin(b, best, next_tile_at(b, mlirOperationGetOperand(op, k), t, J, depth + 1));
    return best;
  }
  case SATTN_KEYS_INTERSECT: {
    /* Fixpoint: each child's next tile is >= J and no tile before it is in
     * that child, so the latest of them is a lower bound; stop when all
     * children agree (or past the end). */
    fix_ctx c = {b, op, t, depth};
    MlirValue inits[] = {J, ir_cmpi(b, "slt", J, t->lk)};
    MlirOperation loop = ir_while(b, 2, inits, fix_cond, fix_body, &c);
    return mlirOperationGetResult(loop, 0);
  }
  default:
    if (!t->failed)
      mlirEmitError(mlirOperationGetLocation(op), "expected a sattn.keys_* op");
    t->failed = true;
    return J;
  }
}

static MlirValue next_tile_at(ir_builder *b, MlirValue keys, tile_pos *t, MlirValue J,
                              int depth) {
  if (!guard(b, t, keys, depth))
    return t->lk;
  MlirValue x = next_key(b, mlirOpResultGetOwner(keys), t, J, depth);
  MlirValue past = ir_cmpi(b, "sge", x, t->lk);
  MlirValue aligned = mul(b, fdiv(b, x, t->block_k), c64(b, t->block_k));
  return ir_select(b, past, t->lk, aligned);
}

MlirValue tile_next(ir_builder *b, MlirValue keys, tile_pos *t, MlirValue J) {
  return next_tile_at(b, keys, t, J, 0);
}

/* ---- full / partial / empty --------------------------------------------------- */

typedef struct class_ctx {
  ir_builder *b;
  tile_pos *t;
  MlirValue j0, j1;
  memo full, empty; /* op -> i1, per flag */
} class_ctx;

/* Whether [lo, hi] holds no multiple of d: floor(hi / d) d < lo. */
static MlirValue no_multiple(ir_builder *b, MlirValue lo, MlirValue hi, int64_t d) {
  return ir_cmpi(b, "slt", mul(b, fdiv(b, hi, d), c64(b, d)), lo);
}

static void classify_at(class_ctx *c, MlirValue mask, MlirValue *F, MlirValue *E, int depth);

/* Window [p - a, p + b]: the flags for the whole rectangle. */
static void window_flags(class_ctx *c, int64_t a, int64_t bb, MlirValue *F, MlirValue *E) {
  ir_builder *b = c->b;
  tile_pos *t = c->t;
  *F = and_(b, ir_cmpi(b, "sge", c->j0, addc(b, t->p1, -a)),
            ir_cmpi(b, "sle", c->j1, addc(b, t->p0, bb)));
  *E = or_(b, ir_cmpi(b, "slt", c->j1, addc(b, t->p0, -a)),
           ir_cmpi(b, "sgt", c->j0, addc(b, t->p1, bb)));
}

static void classify_op(class_ctx *c, MlirOperation op, MlirValue *F, MlirValue *E,
                        int depth) {
  ir_builder *b = c->b;
  tile_pos *t = c->t;
  MlirValue yes = ir_const_bool(b, true), no = ir_const_bool(b, false);
  *F = no;
  *E = no;
  switch (sattn_op_get_kind(op)) {
  case SATTN_FULL:
    *F = yes;
    return;
  case SATTN_CAUSAL:
    *F = ir_cmpi(b, "sle", c->j1, t->p0);
    *E = ir_cmpi(b, "sgt", c->j0, t->p1);
    return;
  case SATTN_WINDOW:
    window_flags(c, attr(op, "left"), attr(op, "right"), F, E);
    return;
  case SATTN_LOCAL: {
    int64_t w = attr(op, "width"), blk = attr(op, "block");
    MlirValue pb0 = fdiv(b, t->p0, blk), pb1 = fdiv(b, t->p1, blk);
    MlirValue jb0 = fdiv(b, c->j0, blk), jb1 = fdiv(b, c->j1, blk);
    MlirValue wc = c64(b, w);
    *F = and_(b, ir_cmpi(b, "sle", sub(b, jb1, pb0), wc),
              ir_cmpi(b, "sle", sub(b, pb1, jb0), wc));
    *E = or_(b, ir_cmpi(b, "sgt", sub(b, jb0, pb1), wc),
             ir_cmpi(b, "sgt", sub(b, pb0, jb1), wc));
    return;
  }
  case SATTN_DILATED: {
    int64_t r = attr(op, "radius"), d = attr(op, "dilation");
    MlirValue wf;
    window_flags(c, r * d, r * d, &wf, E);
    if (d == 1) {
      *F = wf;
      return;
    }
    /* p - j must be a multiple of d: p - j ranges over [p0 - j1, p1 - j0]. */
    *E = or_(b, *E, no_multiple(b, sub(b, t->p0, c->j1), sub(b, t->p1, c->j0), d));
    return;
  }
  case SATTN_STRIDE: {
    int64_t s = attr(op, "stride");
    if (s == 1) {
      *F = yes;
      return;
    }
    *E = no_multiple(b, sub(b, t->p0, c->j1), sub(b, t->p1, c->j0), s);
    return;
  }
  case SATTN_SUMMARY: {
    int64_t s = attr(op, "stride"), n = attr(op, "count");
    if (n >= s) {
      *F = yes;
      return;
    }
    MlirValue r0 = fmod_(b, c->j0, s);
    MlirValue in0 = ir_cmpi(b, "sge", r0, c64(b, s - n));
    *F = and_(b, in0, ir_cmpi(b, "eq", fdiv(b, c->j0, s), fdiv(b, c->j1, s)));
    MlirValue first = ir_select(b, in0, c->j0, addc(b, sub(b, c->j0, r0), s - n));
    *E = ir_cmpi(b, "sgt", first, c->j1);
    return;
  }
  case SATTN_GLOBAL:
  case SATTN_COLUMNS:
  case SATTN_ROWS: {
    intptr_t n;
    int64_t *r = ranges_of(op, &n);
    MlirValue f = no, e = yes;
    MlirValue lo[2] = {t->p0, c->j0}, hi[2] = {t->p1, c->j1};
    /* axis 0: rows (global, rows), axis 1: keys (global, columns) */
    int first_axis = sattn_op_get_kind(op) == SATTN_COLUMNS;
    int last_axis = sattn_op_get_kind(op) == SATTN_ROWS ? 0 : 1;
    for (intptr_t i = 0; i < n; i++)
      for (int axis = first_axis; axis <= last_axis; axis++) {
        MlirValue s = c64(b, r[2 * i]), last = c64(b, r[2 * i + 1] - 1);
        f = or_(b, f, and_(b, ir_cmpi(b, "sge", lo[axis], s), ir_cmpi(b, "sle", hi[axis], last)));
        MlirValue meets = and_(b, ir_cmpi(b, "sle", lo[axis], last), ir_cmpi(b, "sge", hi[axis], s));
        e = and_(b, e, not_(b, meets));
      }
    free(r);
    *F = f;
    *E = e;
    return;
  }
  case SATTN_UNION:
  case SATTN_INTERSECT: {
    bool un = sattn_op_get_kind(op) == SATTN_UNION;
    classify_at(c, mlirOperationGetOperand(op, 0), F, E, depth + 1);
    for (intptr_t k = 1; k < mlirOperationGetNumOperands(op); k++) {
      MlirValue f2, e2;
      classify_at(c, mlirOperationGetOperand(op, k), &f2, &e2, depth + 1);
      /* union: full if any is full, empty if all are; intersect: dual. */
      *F = un ? or_(b, *F, f2) : and_(b, *F, f2);
      *E = un ? and_(b, *E, e2) : or_(b, *E, e2);
    }
    return;
  }
  case SATTN_DIFFERENCE: {
    MlirValue lf, le, rf, re;
    classify_at(c, mlirOperationGetOperand(op, 0), &lf, &le, depth + 1);
    classify_at(c, mlirOperationGetOperand(op, 1), &rf, &re, depth + 1);
    *F = and_(b, lf, re);
    *E = or_(b, le, rf);
    return;
  }
  case SATTN_RANDOM: {
    /* Empty when no drawn block of the tile's query blocks meets the key
     * tile's blocks; full when the tile is one query block and one key
     * block, drawn. Without the key length (no environment): partial. */
    if (!t->lk.ptr || !t->head.ptr)
      return;
    int64_t blk = attr(op, "block");
    rnd_ctx r = {op, t, {NULL}, fdiv(b, c->j0, blk), fdiv(b, c->j1, blk), {NULL}, {NULL},
                 {NULL}, 1};
    MlirValue any = rnd_over_qblocks(b, &r, no);
    *E = not_(b, any);
    MlirValue one_q = ir_cmpi(b, "eq", fdiv(b, t->p0, blk), fdiv(b, t->p1, blk));
    MlirValue one_k = ir_cmpi(b, "eq", r.kb_from, r.kb_to);
    *F = and_(b, and_(b, one_q, one_k), any);
    return;
  }
  default: /* dynamic terms: partial (the predicate decides) */
    return;
  }
}

static void classify_at(class_ctx *c, MlirValue mask, MlirValue *F, MlirValue *E, int depth) {
  if (!guard(c->b, c->t, mask, depth)) {
    *F = *E = ir_const_bool(c->b, false);
    return;
  }
  MlirOperation op = mlirOpResultGetOwner(mask);
  bool found_f, found_e;
  MlirValue *sf = memo_slot(&c->full, op.ptr, &found_f);
  MlirValue *se = memo_slot(&c->empty, op.ptr, &found_e);
  if (sf && se && found_f && found_e) {
    *F = *sf;
    *E = *se;
    return;
  }
  classify_op(c, op, F, E, depth);
  if ((sf = memo_slot(&c->full, op.ptr, &found_f)))
    *sf = *F;
  if ((se = memo_slot(&c->empty, op.ptr, &found_e)))
    *se = *E;
}

void tile_classify(ir_builder *b, MlirValue mask, tile_pos *t, MlirValue j0,
                   MlirValue j1, MlirValue *full, MlirValue *empty) {
  class_ctx c = {b, t, j0, j1, {0}, {0}};
  classify_at(&c, mask, full, empty, 0);
  memo_free(&c.full);
  memo_free(&c.empty);
}

/* ---- stripes: gathered key columns ------------------------------------------- */

intptr_t tile_stripe_encode(MlirOperation keys, int64_t *enc, intptr_t cap) {
  if (sattn_op_get_kind(keys) == SATTN_KEYS_PERIODIC && cap >= 4) {
    enc[0] = 2;
    enc[1] = attr(keys, "period");
    enc[2] = attr(keys, "offset");
    enc[3] = attr(keys, "count");
    return 4;
  }
  intptr_t n = sattn_get_i64_array(keys, "ranges", NULL, 0);
  if (sattn_op_get_kind(keys) != SATTN_KEYS_COLUMNS || n < 2 || n + 1 > cap)
    return -1;
  enc[0] = 1;
  sattn_get_i64_array(keys, "ranges", enc + 1, n);
  return n + 1;
}

MlirValue tile_stripe_count(ir_builder *b, const int64_t *enc, intptr_t n, MlirValue lk) {
  MlirValue zero = c64(b, 0);
  if (enc[0] == 2) {
    /* (j - off) mod t < c with off + c <= t: c per whole period, then the
     * part of [off, off + c) below the remainder. */
    int64_t t = enc[1], off = enc[2], cnt = enc[3];
    MlirValue q = fdiv(b, lk, t), rem = fmod_(b, lk, t);
    MlirValue part = smin(b, smax(b, addc(b, rem, -off), zero), c64(b, cnt));
    return add(b, mul(b, q, c64(b, cnt)), part);
  }
  MlirValue total = zero;
  for (intptr_t i = 1; i + 1 < n; i += 2)
    total = add(b, total, smax(b, sub(b, smin(b, c64(b, enc[i + 1]), lk), c64(b, enc[i])), zero));
  return total;
}

MlirValue tile_stripe_map(ir_builder *b, const int64_t *enc, intptr_t n, MlirValue k) {
  if (enc[0] == 2) {
    int64_t t = enc[1], off = enc[2], cnt = enc[3];
    return add(b, mul(b, fdiv(b, k, cnt), c64(b, t)), addc(b, fmod_(b, k, cnt), off));
  }
  /* The ranges in order: column k is s_i + (k - P_i) for the last range
   * whose prefix P_i (columns before it) is <= k. */
  MlirValue j = addc(b, k, enc[1]);
  int64_t prefix = 0;
  for (intptr_t i = 1; i + 1 < n; i += 2) {
    if (i > 1) {
      MlirValue here = ir_cmpi(b, "sge", k, c64(b, prefix));
      j = ir_select(b, here, addc(b, k, enc[i] - prefix), j);
    }
    prefix += enc[i + 1] - enc[i];
  }
  return j;
}
