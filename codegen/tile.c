/* Tiled loops (see tile.h).
 *
 * Notation: b batch, h query head, hk its key/value head, [i0, i1) the
 * tile's query rows, [p0, p1] their absolute positions (p = i + Lk - Lq),
 * J the first key of a key tile. */
#include "tile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "memo.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "ops.h"
#include "registry.h"
#include "predicate.h"
#include "tile_sched.h"

enum { MAX_GROUPS = 64, MAX_DEPTH = 4000, MAX_STRIPES = 8, MAX_MAP = 80 };

/* A head group's stripe (sattn.stripe_schedule). */
typedef struct stripe_info {
  MlirValue pred, cls;  /* masks in the kernel func */
  MlirValue pred_item;  /* pred, cloned into the item function */
  int64_t map[MAX_MAP]; /* key_map encoding (codegen/tile_sched.h) */
  intptr_t nmap;
} stripe_info;

typedef struct tgen {
  MlirContext ctx;
  MlirModule out;
  const char *name;
  MlirOperation att; /* the sattn.blocked_attention */
  int64_t D, block_q, block_k, ngroups;
  int64_t groups[MAX_GROUPS + 1];
  MlirValue masks[MAX_GROUPS], keys[MAX_GROUPS]; /* in the kernel func */
  stripe_info stripes[MAX_GROUPS][MAX_STRIPES];
  int nstripes[MAX_GROUPS];
  MlirAttribute scale;
  MlirType elem;
  bool failed;
  /* values of the item function */
  MlirValue q, k, v, o, lse, write_lse;
  /* the next work item's rows: the next residue class of a lattice (views
   * of the same tensors), else q, k, v, o themselves (tile_step) */
  MlirValue q_next, k_next, v_next, o_next;
  MlirValue nsplit, split, part_o, part_lse; /* split-K (index, index, memrefs) */
  MlirValue jlo, jhi;                        /* this split's keys (i64) */
  MlirValue bb, h, hk, h64, i0, i1, p0, p1, lk64, pos0;
  int64_t lattice;
  int64_t rows[2]; /* query rows at positions [rows[0], rows[1]) only */
  bool has_rows;
  MlirValue group_masks[MAX_GROUPS];
  MlirValue m, l, acc;
  memo clones;
} tgen;

/* ---- the schedule helpers ------------------------------------------------------ */

static MlirBlock private_func(tgen *g, const char *what, int64_t group, intptr_t nargs,
                              intptr_t nres, const MlirType *res) {
  char fname[340];
  snprintf(fname, sizeof fname, "%s_%s_%lld", g->name, what, (long long)group);
  MlirType i64 = mlirIntegerTypeGet(g->ctx, 64);
  MlirType args[] = {i64, i64, i64, i64, i64, i64};
  MlirBlock entry = ir_func(g->ctx, g->out, fname, mlirOperationGetLocation(g->att), nargs,
                            args, nres, res, false);
  mlirOperationSetAttributeByName(
      mlirBlockGetParentOperation(entry), mlirStringRefCreateFromCString("sym_visibility"),
      mlirStringAttrGet(g->ctx, mlirStringRefCreateFromCString("private")));
  return entry;
}

/* @NAME_next_G(p0, p1, Lk, J, head) -> the next key tile to visit (Lk:
 * none). */
static void build_next(tgen *g, int64_t group) {
  MlirType i64 = mlirIntegerTypeGet(g->ctx, 64);
  MlirBlock e = private_func(g, "next", group, 5, 1, &i64);
  ir_builder b = {g->ctx, e, mlirOperationGetLocation(g->att), {NULL}};
  tile_pos t = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                mlirBlockGetArgument(e, 2), mlirBlockGetArgument(e, 4), g->block_k, 0, false};
  MlirValue r = tile_next(&b, g->keys[group], &t, mlirBlockGetArgument(e, 3));
  g->failed |= t.failed;
  ir_return(&b, 1, &r);
}

/* @NAME_class_G(p0, p1, j0, j1, Lk, head) -> (full, empty) for key tile
 * [j0, j1]. */
static void build_class(tgen *g, int64_t group) {
  MlirType i1 = mlirIntegerTypeGet(g->ctx, 1);
  MlirType res[] = {i1, i1};
  MlirBlock e = private_func(g, "class", group, 6, 2, res);
  ir_builder b = {g->ctx, e, mlirOperationGetLocation(g->att), {NULL}};
  tile_pos t = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                mlirBlockGetArgument(e, 4), mlirBlockGetArgument(e, 5), g->block_k, 0, false};
  MlirValue r[2];
  tile_classify(&b, g->masks[group], &t, mlirBlockGetArgument(e, 2),
                mlirBlockGetArgument(e, 3), &r[0], &r[1]);
  g->failed |= t.failed;
  ir_return(&b, 2, r);
}

/* @NAME_sclass_G_S(p0, p1, j0, j1, Lk, head) -> (full, empty): stripe S's
 * tile whose gathered columns run from j0 to j1. */
static void build_stripe_class(tgen *g, int64_t group, int si) {
  MlirType i1 = mlirIntegerTypeGet(g->ctx, 1);
  MlirType res[] = {i1, i1};
  char what[32];
  snprintf(what, sizeof what, "sclass_%lld", (long long)group);
  MlirBlock e = private_func(g, what, si, 6, 2, res);
  ir_builder b = {g->ctx, e, mlirOperationGetLocation(g->att), {NULL}};
  tile_pos t = {mlirBlockGetArgument(e, 0), mlirBlockGetArgument(e, 1),
                mlirBlockGetArgument(e, 4), mlirBlockGetArgument(e, 5), g->block_k, 0, false};
  MlirValue r[2];
  tile_classify(&b, g->stripes[group][si].cls, &t, mlirBlockGetArgument(e, 2),
                mlirBlockGetArgument(e, 3), &r[0], &r[1]);
  g->failed |= t.failed;
  ir_return(&b, 2, r);
}

/* ---- the masks, cloned into the item function ---------------------------------- */

static MlirValue clone_mask(tgen *g, ir_builder *b, MlirValue mask, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > MAX_DEPTH) {
    if (!g->failed)
      mlirEmitError(mlirOperationGetLocation(g->att),
                    "sattn-tile: the masks must be built from sattn ops in the kernel");
    g->failed = true;
    return mask;
  }
  MlirOperation op = mlirOpResultGetOwner(mask);
  bool found;
  MlirValue *slot = memo_slot(&g->clones, op.ptr, &found);
  if (slot && found)
    return *slot;
  MlirOperation copy = mlirOperationClone(op);
  for (intptr_t k = 0; k < mlirOperationGetNumOperands(op); k++)
    mlirOperationSetOperand(copy, k, clone_mask(g, b, mlirOperationGetOperand(op, k), depth + 1));
  mlirBlockAppendOwnedOperation(b->block, copy);
  MlirValue v = mlirOperationGetResult(copy, 0);
  if ((slot = memo_slot(&g->clones, op.ptr, &found)))
    *slot = v;
  return v;
}

/* ---- the item function ------------------------------------------------------------ */

typedef struct group_ctx {
  tgen *g;
  int64_t group;
  MlirValue mask; /* in the item function */
} group_ctx;

static MlirValue call_next(tgen *g, ir_builder *b, int64_t group, MlirValue J) {
  char fname[340];
  snprintf(fname, sizeof fname, "%s_next_%lld", g->name, (long long)group);
  MlirValue args[] = {g->p0, g->p1, g->lk64, J, g->h64};
  return ir_call(b, fname, 5, args, ir_i64(b));
}

static void step(tgen *g, ir_builder *b, MlirValue J, MlirValue j1, MlirValue mask,
                 const stripe_info *st) {
  MlirValue ops[] = {g->q,  g->k,  g->v,  g->m,  g->l,
                     g->acc, g->bb, g->h,  g->hk, g->i0,
                     g->i1, ir_index_cast(b, J, ir_index(b)), ir_index_cast(b, j1, ir_index(b)),
                     g->pos0, g->q_next, g->k_next, g->v_next, mask};
  MlirNamedAttribute attrs[] = {
      ir_named(g->ctx, "scale", g->scale),
      ir_named(g->ctx, "block_k", mlirIntegerAttrGet(ir_i64(b), g->block_k)),
      ir_named(g->ctx, "key_map",
               mlirDenseI64ArrayGet(g->ctx, st ? st->nmap : 0, st ? st->map : NULL)),
  };
  ir_op(b, SATTN_OP_TILE_STEP, 3, attrs, mask.ptr ? 18 : 17, ops, 0, NULL);
}

typedef struct tile_ctx {
  group_ctx *gc;
  MlirValue J, j1;
  const stripe_info *stripe; /* null: a range tile */
} tile_ctx;

typedef struct cls_ctx {
  tile_ctx *tc;
  MlirValue empty;
} cls_ctx;

static void full_branch(ir_builder *b, MlirValue *out, void *user) {
  tile_ctx *c = ((cls_ctx *)user)->tc;
  step(c->gc->g, b, c->J, c->j1, (MlirValue){NULL}, c->stripe);
}

static void partial_branch(ir_builder *b, MlirValue *out, void *user) {
  tile_ctx *c = user;
  step(c->gc->g, b, c->J, c->j1, c->stripe ? c->stripe->pred_item : c->gc->mask, c->stripe);
}

static void not_full_branch(ir_builder *b, MlirValue *out, void *user) {
  cls_ctx *c = user;
  MlirValue nonempty = ir_binary(b, "arith.xori", c->empty, ir_const_bool(b, true));
  ir_if(b, nonempty, 0, NULL, partial_branch, NULL, c->tc);
}

static MlirValue tiles_cond(ir_builder *b, const MlirValue *vals, void *user) {
  group_ctx *gc = user;
  return ir_cmpi(b, "slt", vals[0], gc->g->jhi);
}

/* One key tile [J, j1): classify, fold it in, move on. */
static void tiles_body(ir_builder *b, const MlirValue *vals, MlirValue *yields, void *user) {
  group_ctx *gc = user;
  tgen *g = gc->g;
  MlirValue J = vals[0];
  MlirValue bk = ir_const_int(b, ir_i64(b), g->block_k);
  MlirValue next = ir_binary(b, "arith.addi", J, bk);
  MlirValue j1 = ir_binary(b, "arith.minsi", next, g->lk64);
  char fname[340];
  snprintf(fname, sizeof fname, "%s_class_%lld", g->name, (long long)gc->group);
  MlirValue args[] = {g->p0, g->p1, J,
                      ir_binary(b, "arith.subi", j1, ir_const_int(b, ir_i64(b), 1)), g->lk64,
                      g->h64};
  MlirType i1 = ir_i1(b);
  MlirType res[] = {i1, i1};
  MlirOperation cls = ir_op(b, "func.call", 1,
                            (MlirNamedAttribute[]){ir_named(
                                g->ctx, "callee",
                                mlirFlatSymbolRefAttrGet(g->ctx,
                                                         mlirStringRefCreateFromCString(fname)))},
                            6, args, 2, res);
  tile_ctx tc = {gc, J, j1, NULL};
  cls_ctx cc = {&tc, mlirOperationGetResult(cls, 1)};
  ir_if(b, mlirOperationGetResult(cls, 0), 0, NULL, full_branch, not_full_branch, &cc);
  yields[0] = call_next(g, b, gc->group, next);
}

static void stripes_branch(ir_builder *b, MlirValue *out, void *user);

typedef struct stripe_ctx {
  group_ctx *gc;
  int si;
  MlirValue count; /* i64 */
} stripe_ctx;

/* One gathered tile [K0, K1) of a stripe: classify its columns' span, fold
 * it in (the key map tells the step where each column is). */
static void stripe_tile(ir_builder *b, MlirValue K0i, const MlirValue *it, MlirValue *y,
                        void *user) {
  stripe_ctx *sc = user;
  tgen *g = sc->gc->g;
  const stripe_info *st = &g->stripes[sc->gc->group][sc->si];
  MlirType i64 = ir_i64(b);
  MlirValue K0 = ir_index_cast(b, K0i, i64);
  MlirValue K1 = ir_binary(b, "arith.minsi",
                           ir_binary(b, "arith.addi", K0, ir_const_int(b, i64, g->block_k)),
                           sc->count);
  MlirValue j0 = tile_stripe_map(b, st->map, st->nmap, K0);
  MlirValue j1 = tile_stripe_map(b, st->map, st->nmap,
                                 ir_binary(b, "arith.subi", K1, ir_const_int(b, i64, 1)));
  char fname[360];
  snprintf(fname, sizeof fname, "%s_sclass_%lld_%d", g->name, (long long)sc->gc->group, sc->si);
  MlirValue args[] = {g->p0, g->p1, j0, j1, g->lk64, g->h64};
  MlirType res[] = {ir_i1(b), ir_i1(b)};
  MlirOperation cls = ir_op(b, "func.call", 1,
                            (MlirNamedAttribute[]){ir_named(
                                g->ctx, "callee",
                                mlirFlatSymbolRefAttrGet(g->ctx,
                                                         mlirStringRefCreateFromCString(fname)))},
                            6, args, 2, res);
  tile_ctx tc = {sc->gc, K0, K1, st};
  cls_ctx cc = {&tc, mlirOperationGetResult(cls, 1)};
  ir_if(b, mlirOperationGetResult(cls, 0), 0, NULL, full_branch, not_full_branch, &cc);
}

static void group_branch(ir_builder *b, MlirValue *out, void *user) {
  group_ctx *gc = user;
  tgen *g = gc->g;
  /* Split-K: from the first key tile the query tile visits, F, split s of
   * n takes [F + s c, F + (s + 1) c), c = ceil(ceil((Lk - F) / block_k) /
   * n) tiles (decoding rows visit the last keys: the splits share them). */
  MlirType i64 = ir_i64(b);
  MlirValue first = call_next(g, b, gc->group, ir_const_int(b, i64, 0));
  MlirValue bk = ir_const_int(b, i64, g->block_k);
  MlirValue ntiles = ir_binary(b, "arith.ceildivsi", ir_binary(b, "arith.subi", g->lk64, first), bk);
  MlirValue chunk = ir_binary(b, "arith.muli",
                              ir_binary(b, "arith.ceildivsi", ntiles, ir_index_cast(b, g->nsplit, i64)),
                              bk);
  g->jlo = ir_binary(b, "arith.addi", first,
                     ir_binary(b, "arith.muli", ir_index_cast(b, g->split, i64), chunk));
  g->jhi = ir_binary(b, "arith.minsi", ir_binary(b, "arith.addi", g->jlo, chunk), g->lk64);
  MlirValue J0 = call_next(g, b, gc->group, g->jlo);
  ir_while(b, 1, &J0, tiles_cond, tiles_body, gc);
  if (g->nstripes[gc->group])
    ir_if(b, ir_cmpi(b, "eq", g->split, ir_const_index(b, 0)), 0, NULL, stripes_branch, NULL, gc);
}

/* The group's stripes (the first key split runs them). */
static void stripes_branch(ir_builder *b, MlirValue *out, void *user) {
  group_ctx *gc = user;
  tgen *g = gc->g;
  for (int si = 0; si < g->nstripes[gc->group]; si++) {
    const stripe_info *st = &g->stripes[gc->group][si];
    stripe_ctx sc = {gc, si, tile_stripe_count(b, st->map, st->nmap, g->lk64)};
    ir_for(b, ir_const_index(b, 0), ir_index_cast(b, sc.count, ir_index(b)),
           ir_const_index(b, g->block_k), 0, NULL, stripe_tile, &sc);
  }
}

static bool collect(tgen *g, MlirOperation kernel) {
  if (mlirOperationGetNumRegions(kernel) != 1 ||
      mlirBlockIsNull(mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0)))) {
    mlirEmitError(mlirOperationGetLocation(kernel),
                  "a sattn kernel needs a body holding one sattn.blocked_attention");
    return false;
  }
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op)) {
    if (sattn_op_get_kind(op) == SATTN_ATTENTION) {
      mlirEmitError(mlirOperationGetLocation(op),
                    "sattn-tile needs the block schedule: run sattn-blockify first");
      return false;
    }
    if (sattn_op_get_kind(op) == SATTN_BLOCKED_ATTENTION)
      g->att = op;
  }
  if (mlirOperationIsNull(g->att)) {
    mlirEmitError(mlirOperationGetLocation(kernel), "kernel has no sattn.blocked_attention");
    return false;
  }
  MlirType qt = mlirValueGetType(mlirOperationGetOperand(g->att, 0));
  g->elem = mlirShapedTypeGetElementType(qt);
  g->D = mlirShapedTypeGetDimSize(qt, 3);
  g->ngroups = mlirOperationGetNumOperands(g->att) - 3;
  sattn_get_int_attr(g->att, "block_q", &g->block_q);
  sattn_get_int_attr(g->att, "block_k", &g->block_k);
  g->lattice = 1;
  sattn_get_int_attr(g->att, "lattice", &g->lattice);
  g->has_rows = sattn_get_i64_array(g->att, "rows", g->rows, 2) == 2 && g->rows[1] > g->rows[0];
  if (g->ngroups < 1 || g->ngroups > MAX_GROUPS ||
      sattn_get_i64_array(g->att, "groups", g->groups, MAX_GROUPS + 1) != g->ngroups + 1) {
    mlirEmitError(mlirOperationGetLocation(g->att), "bad head groups");
    return false;
  }
  for (int64_t k = 0; k < g->ngroups; k++) {
    MlirValue s = mlirOperationGetOperand(g->att, 3 + k);
    if (!mlirValueIsAOpResult(s) ||
        sattn_op_get_kind(mlirOpResultGetOwner(s)) != SATTN_GROUP_SCHEDULE) {
      mlirEmitError(mlirOperationGetLocation(g->att),
                    "each schedule operand must come from sattn.group_schedule");
      return false;
    }
    MlirOperation sched = mlirOpResultGetOwner(s);
    g->masks[k] = mlirOperationGetOperand(sched, 0);
    g->keys[k] = mlirOperationGetOperand(sched, 1);
    intptr_t ns = mlirOperationGetNumOperands(sched) - 2;
    if (ns > MAX_STRIPES) {
      mlirEmitError(mlirOperationGetLocation(sched), "at most 8 stripes per head group");
      return false;
    }
    g->nstripes[k] = (int)ns;
    for (intptr_t i = 0; i < ns; i++) {
      MlirValue sv = mlirOperationGetOperand(sched, 2 + i);
      MlirOperation so = mlirValueIsAOpResult(sv) ? mlirOpResultGetOwner(sv) : (MlirOperation){NULL};
      stripe_info *st = &g->stripes[k][i];
      MlirValue cols = sattn_op_get_kind(so) == SATTN_STRIPE ? mlirOperationGetOperand(so, 2)
                                                              : (MlirValue){NULL};
      st->nmap = cols.ptr && mlirValueIsAOpResult(cols)
                     ? tile_stripe_encode(mlirOpResultGetOwner(cols), st->map, MAX_MAP)
                     : -1;
      if (st->nmap < 0 || (st->map[0] == 2 && st->map[2] + st->map[3] > st->map[1])) {
        mlirEmitError(mlirOperationGetLocation(sched),
                      "a stripe needs sattn.stripe_schedule with static columns "
                      "(keys_columns, up to 39 ranges, or keys_periodic with anchor "
                      "\"zero\" and offset + count <= period)");
        return false;
      }
      st->pred = mlirOperationGetOperand(so, 0);
      st->cls = mlirOperationGetOperand(so, 1);
    }
  }
  g->scale = mlirOperationGetAttributeByName(g->att, mlirStringRefCreateFromCString("scale"));
  return true;
}

/* The tile of one work item: rows [i0, min(i0 + block_q, Lq)) of the
 * (possibly residue-class) problem with Lq rows, Lk keys and row position
 * i + pos0; with a stride, q/out/lse rows are row_off + stride i and k/v
 * keys key_off + stride j (strided views of the arguments). */
typedef struct body_ctx {
  tgen *g;
  MlirValue Lq, Lk, pos0, i0;
  MlirValue row_off, key_off, stride; /* null: no views */
  /* the next residue class's views (this class's when it is the last) */
  MlirValue next_row_off, next_key_off, next_Lq, next_Lk;
} body_ctx;

static MlirValue in_group(tgen *g, ir_builder *b, int64_t k);
static void next_class(ir_builder *b, body_ctx *bc, MlirValue cls, MlirValue cp, MlirValue s64,
                       MlirValue lk64, MlirValue Lq);

/* The rows, normalised, into out (and lse when asked). */
static void finish_out(ir_builder *b, MlirValue *out, void *user) {
  tgen *g = user;
  MlirValue fin[] = {g->o,  g->lse, g->write_lse, g->m,  g->l,
                     g->acc, g->bb, g->h,         g->i0, g->i1, g->o_next};
  ir_op(b, SATTN_OP_TILE_FINISH, 0, NULL, 11, fin, 0, NULL);
}

/* A key split's rows, normalised, and their lse into the partial buffers
 * at batch split * B + b; the runtime merges the splits. */
static void finish_part(ir_builder *b, MlirValue *out, void *user) {
  tgen *g = user;
  MlirValue B = ir_dim(b, g->q, 0);
  MlirValue pb = ir_binary(b, "arith.addi", ir_binary(b, "arith.muli", g->split, B), g->bb);
  MlirValue fin[] = {g->part_o, g->part_lse, ir_const_int(b, ir_i64(b), 1), g->m, g->l, g->acc,
                     pb, g->h, g->i0, g->i1, g->part_o};
  ir_op(b, SATTN_OP_TILE_FINISH, 0, NULL, 11, fin, 0, NULL);
}

static void emit_body(ir_builder *b, MlirValue *out, void *user) {
  body_ctx *bc = user;
  tgen *g = bc->g;
  MlirValue q = g->q, k = g->k, v = g->v, o = g->o, lse = g->lse;
  MlirValue po = g->part_o, pl = g->part_lse;
  if (bc->stride.ptr) {
    g->q = ir_subview_axis2(b, q, bc->row_off, bc->Lq, bc->stride);
    g->o = ir_subview_axis2(b, o, bc->row_off, bc->Lq, bc->stride);
    g->lse = ir_subview_axis2(b, lse, bc->row_off, bc->Lq, bc->stride);
    g->part_o = ir_subview_axis2(b, po, bc->row_off, bc->Lq, bc->stride);
    g->part_lse = ir_subview_axis2(b, pl, bc->row_off, bc->Lq, bc->stride);
    g->k = ir_subview_axis2(b, k, bc->key_off, bc->Lk, bc->stride);
    g->v = ir_subview_axis2(b, v, bc->key_off, bc->Lk, bc->stride);
  }
  if (bc->next_row_off.ptr) {
    /* Rows s apart defeat the hardware prefetchers: the step and the
     * finish prefetch the next item's rows from these views. */
    g->q_next = ir_subview_axis2(b, q, bc->next_row_off, bc->next_Lq, bc->stride);
    g->o_next = ir_subview_axis2(b, o, bc->next_row_off, bc->next_Lq, bc->stride);
    g->k_next = ir_subview_axis2(b, k, bc->next_key_off, bc->next_Lk, bc->stride);
    g->v_next = ir_subview_axis2(b, v, bc->next_key_off, bc->next_Lk, bc->stride);
  } else {
    g->q_next = g->q, g->o_next = g->o, g->k_next = g->k, g->v_next = g->v;
  }
  MlirType i64 = ir_i64(b);
  g->pos0 = bc->pos0;
  g->lk64 = ir_index_cast(b, bc->Lk, i64);
  g->i0 = bc->i0;
  MlirValue bq = ir_const_index(b, g->block_q);
  g->i1 = ir_binary(b, "arith.minui", ir_binary(b, "arith.addi", g->i0, bq), bc->Lq);
  g->p0 = ir_binary(b, "arith.addi", ir_index_cast(b, g->i0, i64), g->pos0);
  g->p1 = ir_binary(b, "arith.addi", ir_index_cast(b, g->i1, i64),
                    ir_binary(b, "arith.subi", g->pos0, ir_const_int(b, i64, 1)));
  MlirValue state[] = {g->m, g->l, g->acc};
  ir_op(b, SATTN_OP_TILE_INIT, 0, NULL, 3, state, 0, NULL);
  for (int64_t kk = 0; kk < g->ngroups; kk++) {
    group_ctx gc = {g, kk, g->group_masks[kk]};
    if (g->ngroups == 1 && g->groups[1] < 0)
      group_branch(b, NULL, &gc); /* every head: no test */
    else
      ir_if(b, in_group(g, b, kk), 0, NULL, group_branch, NULL, &gc);
  }
  ir_if(b, ir_cmpi(b, "ugt", g->nsplit, ir_const_index(b, 1)), 0, NULL, finish_part,
        finish_out, g);
  g->q = q, g->k = k, g->v = v, g->o = o, g->lse = lse;
  g->part_o = po, g->part_lse = pl;
}

/* Whether head h (i64) is in group k. */
static MlirValue in_group(tgen *g, ir_builder *b, int64_t k) {
  MlirValue ge = ir_cmpi(b, "sge", g->h64, ir_const_int(b, ir_i64(b), g->groups[k]));
  if (g->groups[k + 1] < 0)
    return ge;
  MlirValue lt = ir_cmpi(b, "slt", g->h64, ir_const_int(b, ir_i64(b), g->groups[k + 1]));
  return ir_binary(b, "arith.andi", ge, lt);
}

static MlirWalkResult find_random(MlirOperation op, void *user) {
  sattn_op_kind k = sattn_op_get_kind(op);
  if (k == SATTN_RANDOM || k == SATTN_KEYS_RANDOM) {
    *(bool *)user = true;
    return MlirWalkResultInterrupt;
  }
  return MlirWalkResultAdvance;
}

/* Whether the kernel's schedule calls the runtime's random generator. */
static bool uses_random(MlirOperation kernel) {
  bool found = false;
  mlirOperationWalk(kernel, find_random, &found, MlirWalkPreOrder);
  return found;
}

bool tile_build(MlirContext ctx, MlirModule out, MlirOperation kernel, const char *name) {
  tgen g;
  memset(&g, 0, sizeof g);
  g.ctx = ctx;
  g.out = out;
  g.name = name;
  if (!sattn_verify_values(kernel) || !collect(&g, kernel))
    return false;
  if (uses_random(kernel))
    predicate_declare_runtime(ctx, out); /* random's generator */
  for (int64_t k = 0; k < g.ngroups; k++) {
    build_next(&g, k);
    build_class(&g, k);
    for (int si = 0; si < g.nstripes[k]; si++)
      build_stripe_class(&g, k, si);
  }
  /* q, k, v, out (element type of q) and the f32 partials: dynamic sizes,
   * strides and offset, but a unit innermost stride, so that the step
   * addresses head dims by constant offsets (no multiply per access); the
   * runtime hands other layouts over as compact copies. */
  int64_t dyn = mlirShapedTypeGetDynamicSize(), ds = mlirShapedTypeGetDynamicStrideOrOffset();
  int64_t shape[] = {dyn, dyn, dyn, dyn}, strides[] = {ds, ds, ds, 1};
  MlirAttribute unit_inner = mlirStridedLayoutAttrGet(ctx, ds, 4, strides);
  MlirType m4 = mlirMemRefTypeGet(g.elem, 4, shape, unit_inner, mlirAttributeGetNull());
  MlirType m4f = mlirMemRefTypeGet(mlirF32TypeGet(ctx), 4, shape, unit_inner, mlirAttributeGetNull());
  MlirType m3 = mlirTypeParseGet(
      ctx, mlirStringRefCreateFromCString("memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>"));
  MlirType i64 = mlirIntegerTypeGet(ctx, 64);
  MlirType args[] = {m4, m4, m4, m4, m3, i64, i64, i64, m4f, m3};
  char fname[320];
  snprintf(fname, sizeof fname, "%s_item", name);
  MlirLocation loc = mlirOperationGetLocation(g.att);
  MlirBlock entry = ir_func(ctx, out, fname, loc, 10, args, 0, NULL, true);
  ir_builder b = {ctx, entry, loc, {NULL}};
  g.q = mlirBlockGetArgument(entry, 0);
  g.k = mlirBlockGetArgument(entry, 1);
  g.v = mlirBlockGetArgument(entry, 2);
  g.o = mlirBlockGetArgument(entry, 3);
  g.lse = mlirBlockGetArgument(entry, 4);
  g.write_lse = mlirBlockGetArgument(entry, 5);
  MlirValue item = ir_index_cast(&b, mlirBlockGetArgument(entry, 6), ir_index(&b));
  /* item = rest * nsplit + split (nsplit >= 1 key splits, see tile.h). */
  g.nsplit = ir_binary(&b, "arith.maxui", ir_index_cast(&b, mlirBlockGetArgument(entry, 7), ir_index(&b)),
                       ir_const_index(&b, 1));
  g.part_o = mlirBlockGetArgument(entry, 8);
  g.part_lse = mlirBlockGetArgument(entry, 9);
  g.split = ir_binary(&b, "arith.remui", item, g.nsplit);
  item = ir_binary(&b, "arith.divui", item, g.nsplit);
  for (int64_t k = 0; k < g.ngroups; k++) {
    g.group_masks[k] = clone_mask(&g, &b, g.masks[k], 0);
    for (int si = 0; si < g.nstripes[k]; si++)
      g.stripes[k][si].pred_item = clone_mask(&g, &b, g.stripes[k][si].pred, 0);
  }
  memo_free(&g.clones);
  MlirValue Hq = ir_dim(&b, g.q, 1), Hkv = ir_dim(&b, g.k, 1);
  MlirValue Lq = ir_dim(&b, g.q, 2), Lk = ir_dim(&b, g.k, 2);
  MlirValue shift = ir_binary(&b, "arith.subi", ir_index_cast(&b, Lk, ir_i64(&b)),
                              ir_index_cast(&b, Lq, ir_i64(&b)));
  MlirValue bq = ir_const_index(&b, g.block_q);
  MlirType f32 = ir_f32(&b);
  int64_t rows[] = {g.block_q}, rows_d[] = {g.block_q, g.D};
  g.m = ir_alloca(&b, mlirMemRefTypeGet(f32, 1, rows, mlirAttributeGetNull(),
                                        mlirAttributeGetNull()));
  g.l = ir_alloca(&b, mlirMemRefTypeGet(f32, 1, rows, mlirAttributeGetNull(),
                                        mlirAttributeGetNull()));
  g.acc = ir_alloca(&b, mlirMemRefTypeGet(f32, 2, rows_d, mlirAttributeGetNull(),
                                          mlirAttributeGetNull()));
  /* Work items per (batch, head): ceil(Lq / block_q) query tiles; with a
   * lattice s, min(s, Lq) residue classes (named by their first row c)
   * of ceil(ceil(Lq / s) / block_q) tiles each (the runtime counts alike). */
  MlirValue per_bh, tile, cls = {NULL}, T = {NULL}, S = {NULL}, rlo = {NULL}, rn = {NULL};
  if (g.has_rows) {
    /* Only the rows at positions [r0, r1): rows [r0 - shift, r1 - shift)
     * clipped to [0, Lq). */
    MlirType i64 = ir_i64(&b);
    MlirValue lq64 = ir_index_cast(&b, Lq, i64), z = ir_const_int(&b, i64, 0);
    MlirValue lo = ir_binary(&b, "arith.subi", ir_const_int(&b, i64, g.rows[0]), shift);
    MlirValue hi = ir_binary(&b, "arith.subi", ir_const_int(&b, i64, g.rows[1]), shift);
    lo = ir_binary(&b, "arith.minsi", ir_binary(&b, "arith.maxsi", lo, z), lq64);
    hi = ir_binary(&b, "arith.minsi", ir_binary(&b, "arith.maxsi", hi, lo), lq64);
    rlo = ir_index_cast(&b, lo, ir_index(&b));
    rn = ir_index_cast(&b, ir_binary(&b, "arith.subi", hi, lo), ir_index(&b));
    per_bh = ir_binary(&b, "arith.maxui", ir_binary(&b, "arith.ceildivui", rn, bq),
                       ir_const_index(&b, 1));
  } else if (g.lattice > 1) {
    S = ir_const_index(&b, g.lattice);
    T = ir_binary(&b, "arith.ceildivui", ir_binary(&b, "arith.ceildivui", Lq, S), bq);
    per_bh = ir_binary(&b, "arith.muli", ir_binary(&b, "arith.minui", S, Lq), T);
  } else {
    per_bh = ir_binary(&b, "arith.ceildivui", Lq, bq);
  }
  tile = ir_binary(&b, "arith.remui", item, per_bh);
  MlirValue bh = ir_binary(&b, "arith.divui", item, per_bh);
  g.h = ir_binary(&b, "arith.remui", bh, Hq);
  g.bb = ir_binary(&b, "arith.divui", bh, Hq);
  g.hk = ir_binary(&b, "arith.divui", g.h, ir_binary(&b, "arith.divui", Hq, Hkv));
  g.h64 = ir_index_cast(&b, g.h, ir_i64(&b));
  if (g.has_rows) {
    MlirValue i64lo = ir_index_cast(&b, rlo, ir_i64(&b));
    body_ctx bc = {&g, rn, Lk, ir_binary(&b, "arith.addi", i64lo, shift),
                   ir_binary(&b, "arith.muli", tile, bq), rlo, ir_const_index(&b, 0),
                   ir_const_index(&b, 1), {NULL}, {NULL}, {NULL}, {NULL}};
    ir_if(&b, ir_cmpi(&b, "ult", bc.i0, rn), 0, NULL, emit_body, NULL, &bc);
  } else if (g.lattice == 1) {
    body_ctx bc = {&g, Lq, Lk, shift, ir_binary(&b, "arith.muli", tile, bq), {NULL}, {NULL},
                   {NULL}, {NULL}, {NULL}, {NULL}, {NULL}};
    emit_body(&b, NULL, &bc);
  } else {
    /* Class c: rows c, c + s, ...; their positions share the residue
     * r = (c + shift) mod s with the keys r, r + s, ...; in the class,
     * row i' has compressed position i' + pos0, key j' position j'. */
    cls = ir_binary(&b, "arith.divui", tile, T);
    MlirValue t = ir_binary(&b, "arith.remui", tile, T);
    MlirType i64 = ir_i64(&b);
    MlirValue s64 = ir_const_int(&b, i64, g.lattice);
    MlirValue c64 = ir_index_cast(&b, cls, i64);
    MlirValue cp = ir_binary(&b, "arith.addi", c64, shift);
    MlirValue r = ir_binary(&b, "arith.subi", cp,
                            ir_binary(&b, "arith.muli",
                                      ir_binary(&b, "arith.floordivsi", cp, s64), s64));
    MlirValue lk64 = ir_index_cast(&b, Lk, i64);
    /* Lk' = ceil((Lk - r) / s) keys when r < Lk, else none. */
    MlirValue lk_c = ir_binary(&b, "arith.ceildivsi", ir_binary(&b, "arith.subi", lk64, r), s64);
    lk_c = ir_binary(&b, "arith.maxsi", lk_c, ir_const_int(&b, i64, 0));
    MlirValue lq_c = ir_binary(&b, "arith.ceildivui", ir_binary(&b, "arith.subi", Lq, cls), S);
    body_ctx bc = {&g, lq_c, ir_index_cast(&b, lk_c, ir_index(&b)),
                   ir_binary(&b, "arith.floordivsi", ir_binary(&b, "arith.subi", cp, r), s64),
                   ir_binary(&b, "arith.muli", t, bq), cls, ir_index_cast(&b, r, ir_index(&b)),
                   S, {NULL}, {NULL}, {NULL}, {NULL}};
    next_class(&b, &bc, cls, cp, s64, lk64, Lq);
    MlirValue live = ir_cmpi(&b, "ult", bc.i0, lq_c);
    ir_if(&b, live, 0, NULL, emit_body, NULL, &bc);
  }
  ir_return(&b, 0, NULL);
  return !g.failed;
}

/* The views of class c + 1 (rows c + 1, c + 1 + s, ...; keys of residue
 * (cp + 1) mod s) when it exists and has keys, else class c's again. */
static void next_class(ir_builder *b, body_ctx *bc, MlirValue cls, MlirValue cp, MlirValue s64,
                       MlirValue lk64, MlirValue Lq) {
  MlirType i64 = ir_i64(b);
  MlirValue cls1 = ir_binary(b, "arith.addi", cls, ir_const_index(b, 1));
  MlirValue cp1 = ir_binary(b, "arith.addi", cp, ir_const_int(b, i64, 1));
  MlirValue r1 = ir_binary(
      b, "arith.subi", cp1,
      ir_binary(b, "arith.muli", ir_binary(b, "arith.floordivsi", cp1, s64), s64));
  MlirValue lk1 = ir_binary(b, "arith.ceildivsi", ir_binary(b, "arith.subi", lk64, r1), s64);
  MlirValue classes = ir_binary(b, "arith.minui", bc->stride, Lq);
  MlirValue has = ir_binary(b, "arith.andi", ir_cmpi(b, "ult", cls1, classes),
                            ir_cmpi(b, "sgt", lk1, ir_const_int(b, i64, 0)));
  MlirValue lq1 = ir_binary(b, "arith.ceildivui",
                            ir_binary(b, "arith.subi", Lq, ir_binary(b, "arith.minui", cls1, Lq)),
                            bc->stride);
  MlirType index = ir_index(b);
  bc->next_row_off = ir_select(b, has, cls1, bc->row_off);
  bc->next_key_off = ir_select(b, has, ir_index_cast(b, r1, index), bc->key_off);
  bc->next_Lq = ir_select(b, has, lq1, bc->Lq);
  bc->next_Lk = ir_select(b, has, ir_index_cast(b, lk1, index), bc->Lk);
}

static bool has_attr(MlirOperation op, const char *name) {
  return !mlirAttributeIsNull(
      mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString(name)));
}

bool tile_module(MlirContext ctx, MlirModule m) {
  MlirBlock body = mlirModuleGetBody(m);
  /* Collect first: building appends functions to the same module. */
  size_t n = 0, cap = 16;
  MlirOperation *funcs = malloc(cap * sizeof *funcs);
  bool ok = funcs != NULL;
  for (MlirOperation f = mlirBlockGetFirstOperation(body); ok && !mlirOperationIsNull(f);
       f = mlirOperationGetNextInBlock(f)) {
    if (!has_attr(f, SATTN_ATTR_KERNEL) && !has_attr(f, SATTN_ATTR_PATTERN))
      continue;
    if (n == cap) {
      MlirOperation *grown = realloc(funcs, 2 * cap * sizeof *grown);
      if (!grown) {
        ok = false;
        break;
      }
      funcs = grown;
      cap *= 2;
    }
    funcs[n++] = f;
  }
  for (size_t i = 0; ok && i < n; i++) {
    if (!has_attr(funcs[i], SATTN_ATTR_KERNEL))
      continue;
    MlirStringRef s = mlirStringAttrGetValue(
        mlirOperationGetAttributeByName(funcs[i], mlirStringRefCreateFromCString("sym_name")));
    char name[300];
    snprintf(name, sizeof name, "%.*s", (int)s.length, s.data);
    ok = tile_build(ctx, m, funcs[i], name);
  }
  for (size_t i = 0; ok && i < n; i++) {
    mlirOperationRemoveFromParent(funcs[i]);
    mlirOperationDestroy(funcs[i]);
  }
  free(funcs);
  return ok;
}
