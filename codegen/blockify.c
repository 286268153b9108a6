/* The block schedule (see blockify.h). */
#include "blockify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "lattice.h"
#include "tile_choice.h"
#include "memo.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "ops.h"

enum { MAX_DEPTH = 4000, MAX_KEYS_OPERANDS = 4096 };

typedef struct bctx {
  MlirContext ctx;
  MlirBlock block;
  MlirOperation before; /* the attention op: the schedule goes before it */
  int64_t block_q;
  MlirType keys_type;
  memo memo;
  bool failed;
  /* Terms of the group's stripes: their columns are not keys of the range
   * segment (summary: none of its keys; global: its rows remain). */
  MlirOperation stripe_terms[8];
  int nstripes;
} bctx;

static bool is_stripe_term(const bctx *c, MlirOperation op) {
  for (int i = 0; i < c->nstripes; i++)
    if (mlirOperationEqual(c->stripe_terms[i], op))
      return true;
  return false;
}

static MlirNamedAttribute named(MlirContext ctx, const char *name, MlirAttribute a) {
  return mlirNamedAttributeGet(mlirIdentifierGet(ctx, mlirStringRefCreateFromCString(name)),
                               a);
}

static MlirAttribute i64_attr(bctx *c, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(c->ctx, 64), v);
}

static MlirAttribute str_attr(bctx *c, const char *s) {
  return mlirStringAttrGet(c->ctx, mlirStringRefCreateFromCString(s));
}

static MlirValue make(bctx *c, MlirLocation loc, const char *name, intptr_t nattrs,
                      const MlirNamedAttribute *attrs, intptr_t nops,
                      const MlirValue *ops, MlirType result) {
  MlirOperationState st = mlirOperationStateGet(mlirStringRefCreateFromCString(name), loc);
  if (nattrs)
    mlirOperationStateAddAttributes(&st, nattrs, attrs);
  if (nops)
    mlirOperationStateAddOperands(&st, nops, ops);
  mlirOperationStateAddResults(&st, 1, &result);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(c->block, c->before, op);
  return mlirOperationGetResult(op, 0);
}

static MlirValue keys_all(bctx *c, MlirLocation loc) {
  return make(c, loc, SATTN_OP_KEYS_ALL, 0, NULL, 0, NULL, c->keys_type);
}

static MlirValue keys_range(bctx *c, MlirLocation loc, const char *from, int64_t lo,
                            const char *to, int64_t hi, int64_t align) {
  MlirNamedAttribute a[] = {
      named(c->ctx, "from", str_attr(c, from)), named(c->ctx, "lo", i64_attr(c, lo)),
      named(c->ctx, "to", str_attr(c, to)),     named(c->ctx, "hi", i64_attr(c, hi)),
      named(c->ctx, "align", i64_attr(c, align)),
  };
  return make(c, loc, SATTN_OP_KEYS_RANGE, 5, a, 0, NULL, c->keys_type);
}

static MlirValue keys_periodic(bctx *c, MlirLocation loc, int64_t period, int64_t offset,
                               int64_t count, const char *anchor) {
  MlirNamedAttribute a[] = {
      named(c->ctx, "period", i64_attr(c, period)),
      named(c->ctx, "offset", i64_attr(c, offset)),
      named(c->ctx, "count", i64_attr(c, count)),
      named(c->ctx, "anchor", str_attr(c, anchor)),
  };
  return make(c, loc, SATTN_OP_KEYS_PERIODIC, 4, a, 0, NULL, c->keys_type);
}

static bool is_kind(MlirValue keys, sattn_op_kind kind) {
  return mlirValueIsAOpResult(keys) &&
         sattn_op_get_kind(mlirOpResultGetOwner(keys)) == kind;
}

/* keys_union / keys_intersect of n values: nested ones of the same kind
 * are flattened, `all` absorbs a union and drops out of an intersection; a
 * null value is the empty set (stripes take some terms' keys away). */
static MlirValue combine(bctx *c, MlirLocation loc, bool uni, intptr_t n,
                         const MlirValue *in) {
  sattn_op_kind self = uni ? SATTN_KEYS_UNION : SATTN_KEYS_INTERSECT;
  MlirValue *ops = malloc(MAX_KEYS_OPERANDS * sizeof *ops);
  if (!ops) {
    c->failed = true;
    return keys_all(c, loc);
  }
  intptr_t m = 0;
  for (intptr_t i = 0; i < n; i++) {
    if (!in[i].ptr) { /* no key: drops out of a union, empties an intersection */
      if (!uni) {
        free(ops);
        return (MlirValue){NULL};
      }
      continue;
    }
    if (is_kind(in[i], SATTN_KEYS_ALL)) {
      if (uni) {
        free(ops);
        return keys_all(c, loc);
      }
      continue;
    }
    if (is_kind(in[i], self)) {
      MlirOperation inner = mlirOpResultGetOwner(in[i]);
      for (intptr_t k = 0; k < mlirOperationGetNumOperands(inner) && m < MAX_KEYS_OPERANDS; k++)
        ops[m++] = mlirOperationGetOperand(inner, k);
    } else if (m < MAX_KEYS_OPERANDS) {
      ops[m++] = in[i];
    }
  }
  bool none = uni && m == 0;
  MlirValue r = none     ? (MlirValue){NULL}
                : m == 0 ? keys_all(c, loc)
                : m == 1 ? ops[0]
                         : make(c, loc, uni ? SATTN_OP_KEYS_UNION : SATTN_OP_KEYS_INTERSECT,
                                0, NULL, m, ops, c->keys_type);
  free(ops);
  return r;
}

static int64_t attr(MlirOperation op, const char *name) {
  int64_t v = 0;
  sattn_get_int_attr(op, name, &v);
  return v;
}

static MlirValue keys_of(bctx *c, MlirValue mask, int depth);

static MlirValue keys_of_op(bctx *c, MlirOperation op, int depth) {
  MlirLocation loc = mlirOperationGetLocation(op);
  if (is_stripe_term(c, op)) {
    if (sattn_op_get_kind(op) == SATTN_SUMMARY)
      return (MlirValue){NULL};
    MlirNamedAttribute a = named(c->ctx, "ranges", mlirOperationGetAttributeByName(
                                                       op, mlirStringRefCreateFromCString("ranges")));
    return make(c, loc, SATTN_OP_KEYS_ROWS, 1, &a, 0, NULL, c->keys_type);
  }
  switch (sattn_op_get_kind(op)) {
  case SATTN_COLUMNS:
  case SATTN_ROWS: {
    MlirNamedAttribute a = named(c->ctx, "ranges", mlirOperationGetAttributeByName(
                                                       op, mlirStringRefCreateFromCString("ranges")));
    return make(c, loc, sattn_op_get_kind(op) == SATTN_ROWS ? SATTN_OP_KEYS_ROWS
                                                             : SATTN_OP_KEYS_COLUMNS,
                1, &a, 0, NULL, c->keys_type);
  }
  case SATTN_CAUSAL:
    return keys_range(c, loc, "zero", 0, "last", 0, 1);
  case SATTN_WINDOW:
    return keys_range(c, loc, "first", -attr(op, "left"), "last", attr(op, "right"), 1);
  case SATTN_LOCAL: {
    int64_t w = attr(op, "width"), blk = attr(op, "block");
    return keys_range(c, loc, "first", -w * blk, "last", (w + 1) * blk - 1, blk);
  }
  case SATTN_DILATED: {
    int64_t r = attr(op, "radius"), d = attr(op, "dilation");
    MlirValue range = keys_range(c, loc, "first", -r * d, "last", r * d, 1);
    if (d <= c->block_q)
      return range;
    /* j = p - m d: the keys share a residue mod d with a row of the tile. */
    MlirValue both[] = {range, keys_periodic(c, loc, d, 0, c->block_q, "first")};
    return combine(c, loc, false, 2, both);
  }
  case SATTN_STRIDE: {
    int64_t s = attr(op, "stride");
    if (s <= c->block_q)
      return keys_all(c, loc);
    return keys_periodic(c, loc, s, 0, c->block_q, "first");
  }
  case SATTN_SUMMARY: {
    int64_t s = attr(op, "stride"), n = attr(op, "count");
    if (n >= s)
      return keys_all(c, loc);
    return keys_periodic(c, loc, s, s - n, n, "zero");
  }
  case SATTN_GLOBAL: {
    MlirAttribute ranges =
        mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString("ranges"));
    MlirNamedAttribute a = named(c->ctx, "ranges", ranges);
    MlirValue both[] = {
        make(c, loc, SATTN_OP_KEYS_COLUMNS, 1, &a, 0, NULL, c->keys_type),
        make(c, loc, SATTN_OP_KEYS_ROWS, 1, &a, 0, NULL, c->keys_type),
    };
    return combine(c, loc, true, 2, both);
  }
  case SATTN_TOPK:
    return keys_of(c, mlirOperationGetOperand(op, 0), depth + 1);
  case SATTN_DIFFERENCE:
    return keys_of(c, mlirOperationGetOperand(op, 0), depth + 1);
  case SATTN_UNION:
  case SATTN_INTERSECT: {
    intptr_t n = mlirOperationGetNumOperands(op);
    MlirValue *in = malloc((size_t)(n ? n : 1) * sizeof *in);
    if (!in) {
      c->failed = true;
      return keys_all(c, loc);
    }
    for (intptr_t i = 0; i < n; i++)
      in[i] = keys_of(c, mlirOperationGetOperand(op, i), depth + 1);
    MlirValue r = combine(c, loc, sattn_op_get_kind(op) == SATTN_UNION, n, in);
    free(in);
    return r;
  }
  case SATTN_RANDOM: {
    /* The drawn key blocks of the tile's query blocks (the runtime's
     * generator, called by the kernel: no table to build). */
    const char *names[] = {"count", "block", "seed", "per_head"};
    MlirNamedAttribute a[4];
    for (int i = 0; i < 4; i++)
      a[i] = named(c->ctx, names[i],
                   mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString(names[i])));
    return make(c, loc, SATTN_OP_KEYS_RANDOM, 4, a, 0, NULL, c->keys_type);
  }
  case SATTN_FULL:
  case SATTN_BLOCKS:
  case SATTN_SAME:
    return keys_all(c, loc);
  default:
    mlirEmitError(loc, "sattn-blockify: expected a sattn mask op");
    c->failed = true;
    return keys_all(c, loc);
  }
}

static MlirValue keys_of(bctx *c, MlirValue mask, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > MAX_DEPTH) {
    if (!c->failed)
      mlirEmitError(mlirValueIsAOpResult(mask)
                        ? mlirOperationGetLocation(mlirOpResultGetOwner(mask))
                        : mlirOperationGetLocation(c->before),
                    "sattn-blockify: the mask must be built from sattn ops in the "
                    "kernel (nested at most 4000 deep)");
    c->failed = true;
    return keys_all(c, mlirOperationGetLocation(c->before));
  }
  MlirOperation op = mlirOpResultGetOwner(mask);
  bool found;
  MlirValue *slot = memo_slot(&c->memo, op.ptr, &found);
  if (!slot) {
    c->failed = true;
    return keys_all(c, mlirOperationGetLocation(op));
  }
  if (found)
    return *slot;
  MlirValue v = keys_of_op(c, op, depth);
  slot = memo_slot(&c->memo, op.ptr, &found);
  if (slot)
    *slot = v;
  return v;
}

/* ---- stripes ------------------------------------------------------------------ */

enum { MAX_STRIPES = 8, MAX_STRIPE_RANGES = 32 };

/* Global and summary terms reached from the root through unions and
 * intersections only (where they add pairs): their columns become stripes. */
static void find_stripes(bctx *c, MlirValue mask, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > MAX_DEPTH || c->nstripes == MAX_STRIPES)
    return;
  MlirOperation op = mlirOpResultGetOwner(mask);
  switch (sattn_op_get_kind(op)) {
  case SATTN_UNION:
  case SATTN_INTERSECT:
    for (intptr_t k = 0; k < mlirOperationGetNumOperands(op); k++)
      find_stripes(c, mlirOperationGetOperand(op, k), depth + 1);
    return;
  case SATTN_SUMMARY:
    if (attr(op, "count") >= attr(op, "stride"))
      return; /* every column: nothing to gather */
    break;
  case SATTN_GLOBAL:
    if (sattn_get_i64_array(op, "ranges", NULL, 0) > 2 * MAX_STRIPE_RANGES)
      return;
    break;
  default:
    return;
  }
  if (!is_stripe_term(c, op))
    c->stripe_terms[c->nstripes++] = op;
}

static MlirType mask_type(bctx *c) {
  return mlirTypeParseGet(c->ctx, mlirStringRefCreateFromCString("!sattn.mask"));
}

static MlirValue mask_op(bctx *c, MlirLocation loc, const char *name, intptr_t n,
                         const MlirValue *in) {
  return make(c, loc, name, 0, NULL, n, in, mask_type(c));
}

/* `mask` with the op `target` replaced by full (rebuilt where it changes). */
static MlirValue substitute(bctx *c, MlirValue mask, MlirOperation target, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > MAX_DEPTH)
    return mask;
  MlirOperation op = mlirOpResultGetOwner(mask);
  MlirLocation loc = mlirOperationGetLocation(op);
  if (mlirOperationEqual(op, target))
    return mask_op(c, loc, SATTN_OP_FULL, 0, NULL);
  sattn_op_kind k = sattn_op_get_kind(op);
  if (k != SATTN_UNION && k != SATTN_INTERSECT && k != SATTN_DIFFERENCE)
    return mask;
  intptr_t n = mlirOperationGetNumOperands(op);
  MlirValue *in = malloc((size_t)n * sizeof *in);
  if (!in)
    return mask;
  bool changed = false;
  for (intptr_t i = 0; i < n; i++) {
    in[i] = substitute(c, mlirOperationGetOperand(op, i), target, depth + 1);
    changed |= !mlirValueEqual(in[i], mlirOperationGetOperand(op, i));
  }
  MlirValue r = changed ? mask_op(c, loc, k == SATTN_UNION       ? SATTN_OP_UNION
                                          : k == SATTN_INTERSECT ? SATTN_OP_INTERSECT
                                                                 : SATTN_OP_DIFFERENCE,
                                  n, in)
                        : mask;
  free(in);
  return r;
}

/* The union of cols[0..n) (null for none). */
static MlirValue cols_union(bctx *c, MlirLocation loc, int n, const MlirValue *cols) {
  return n == 0 ? (MlirValue){NULL} : n == 1 ? cols[0] : mask_op(c, loc, SATTN_OP_UNION, n, cols);
}

/* The group's schedule: range tiles for the mask without the stripe
 * columns, then one stripe per global / summary term (each excluding the
 * columns of the stripes before it): every pair once. */
static MlirValue group_schedule(bctx *c, MlirValue mask, MlirType sched_t, bool stripes) {
  MlirLocation loc = mlirValueIsAOpResult(mask)
                         ? mlirOperationGetLocation(mlirOpResultGetOwner(mask))
                         : mlirOperationGetLocation(c->before);
  memo_free(&c->memo); /* keys depend on the group's stripes */
  c->nstripes = 0;
  if (stripes)
    find_stripes(c, mask, 0);
  MlirValue cols[MAX_STRIPES], ops[2 + MAX_STRIPES];
  for (int k = 0; k < c->nstripes; k++) {
    MlirOperation t = c->stripe_terms[k];
    if (sattn_op_get_kind(t) == SATTN_SUMMARY) {
      cols[k] = mlirOperationGetResult(t, 0); /* already a column predicate */
    } else {
      MlirNamedAttribute a = named(c->ctx, "ranges", mlirOperationGetAttributeByName(
                                                         t, mlirStringRefCreateFromCString("ranges")));
      cols[k] = make(c, mlirOperationGetLocation(t), SATTN_OP_COLUMNS, 1, &a, 0, NULL,
                     mask_type(c));
    }
  }
  MlirValue keys = keys_of(c, mask, 0);
  if (!keys.ptr) /* no key outside the stripes: the empty range [1, 0] */
    keys = keys_range(c, loc, "zero", 1, "zero", 0, 1);
  ops[0] = mask;
  if (c->nstripes) {
    MlirValue pair[] = {mask, cols_union(c, loc, c->nstripes, cols)};
    ops[0] = mask_op(c, loc, SATTN_OP_DIFFERENCE, 2, pair);
  }
  ops[1] = keys;
  MlirType stripe_t = mlirTypeParseGet(c->ctx, mlirStringRefCreateFromCString("!sattn.stripe"));
  for (int k = 0; k < c->nstripes; k++) {
    MlirOperation t = c->stripe_terms[k];
    MlirLocation tl = mlirOperationGetLocation(t);
    MlirValue before = cols_union(c, tl, k, cols);
    MlirValue pred = mask, cls = substitute(c, mask, t, 0);
    if (before.ptr) {
      MlirValue p1[] = {mask, before}, p2[] = {cls, before};
      pred = mask_op(c, tl, SATTN_OP_DIFFERENCE, 2, p1);
      cls = mask_op(c, tl, SATTN_OP_DIFFERENCE, 2, p2);
    }
    MlirValue skeys;
    if (sattn_op_get_kind(t) == SATTN_SUMMARY) {
      int64_t st = attr(t, "stride"), n = attr(t, "count");
      skeys = keys_periodic(c, tl, st, st - n, n, "zero");
    } else {
      MlirNamedAttribute a = named(c->ctx, "ranges", mlirOperationGetAttributeByName(
                                                         t, mlirStringRefCreateFromCString("ranges")));
      skeys = make(c, tl, SATTN_OP_KEYS_COLUMNS, 1, &a, 0, NULL, c->keys_type);
    }
    MlirValue triple[] = {pred, cls, skeys};
    ops[2 + k] = make(c, tl, SATTN_OP_STRIPE, 0, NULL, 3, triple, stripe_t);
  }
  MlirValue sched = make(c, loc, SATTN_OP_GROUP_SCHEDULE, 0, NULL, 2 + c->nstripes, ops, sched_t);
  c->nstripes = 0;
  return sched;
}

/* attention(q, k, v, masks...) -> blocked_attention(q, k, v, schedules...). */
static bool blockify_one(MlirOperation att, int64_t block_q, int64_t block_k) {
  MlirContext ctx = mlirOperationGetContext(att);
  bctx c = {ctx, mlirOperationGetBlock(att), att, block_q,
            mlirTypeParseGet(ctx, mlirStringRefCreateFromCString("!sattn.keys")),
            {0}, false, {{NULL}}, 0};
  MlirType sched_t = mlirTypeParseGet(ctx, mlirStringRefCreateFromCString("!sattn.schedule"));
  intptr_t nops = mlirOperationGetNumOperands(att);
  MlirValue *ops = malloc((size_t)nops * sizeof *ops);
  if (!ops)
    return false;
  for (intptr_t i = 0; i < nops; i++)
    ops[i] = mlirOperationGetOperand(att, i);
  /* Residue classes when every group's mask lives on the same lattice and
   * does not depend on the residue (codegen/lattice.h). */
  int64_t lattice = nops > 3 ? lattice_step(ops[3]) : 1;
  for (intptr_t i = 4; i < nops && lattice > 1; i++)
    if (lattice_step(ops[i]) != lattice)
      lattice = 1;
  for (intptr_t i = 3; i < nops && lattice > 1; i++) {
    MlirValue t = lattice_transform(ops[i], lattice, att);
    if (!t.ptr) {
      lattice = 1;
      for (intptr_t k = 3; k < nops; k++)
        ops[k] = mlirOperationGetOperand(att, k);
    } else {
      ops[i] = t;
    }
  }
  for (intptr_t i = 3; i < nops; i++)
    ops[i] = group_schedule(&c, ops[i], sched_t, lattice == 1);
  memo_free(&c.memo);
  if (c.failed) {
    free(ops);
    return false;
  }
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString(SATTN_OP_BLOCKED_ATTENTION), mlirOperationGetLocation(att));
  MlirNamedAttribute attrs[] = {
      named(ctx, "scale", mlirOperationGetAttributeByName(
                              att, mlirStringRefCreateFromCString("scale"))),
      named(ctx, "groups", mlirOperationGetAttributeByName(
                               att, mlirStringRefCreateFromCString("groups"))),
      named(ctx, "block_q", i64_attr(&c, block_q)),
      named(ctx, "block_k", i64_attr(&c, block_k)),
      named(ctx, "lattice", i64_attr(&c, lattice)),
  };
  mlirOperationStateAddAttributes(&st, 5, attrs);
  mlirOperationStateAddOperands(&st, nops, ops);
  free(ops);
  intptr_t nres = mlirOperationGetNumResults(att);
  MlirType res[2];
  for (intptr_t i = 0; i < nres && i < 2; i++)
    res[i] = mlirValueGetType(mlirOperationGetResult(att, i));
  mlirOperationStateAddResults(&st, nres, res);
  MlirOperation blocked = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(c.block, att, blocked);
  for (intptr_t i = 0; i < nres; i++)
    mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(att, i),
                                  mlirOperationGetResult(blocked, i));
  mlirOperationRemoveFromParent(att);
  mlirOperationDestroy(att);
  /* Flattening and `all` absorbing a union leave key sets unused, and a
   * lattice leaves the original masks (and a failed transform's ops)
   * unused: drop them, users before what they use (the C API walks blocks
   * forward only). Masks used elsewhere stay. */
  size_t n = 0, cap = 64;
  MlirOperation *before = malloc(cap * sizeof *before);
  for (MlirOperation op = mlirBlockGetFirstOperation(c.block);
       before && !mlirOperationEqual(op, blocked); op = mlirOperationGetNextInBlock(op)) {
    sattn_op_kind k = sattn_op_get_kind(op);
    if ((k < SATTN_KEYS_ALL || k > SATTN_KEYS_INTERSECT) && !sattn_op_is_mask(op))
      continue;
    if (n == cap) {
      MlirOperation *grown = realloc(before, 2 * cap * sizeof *grown);
      if (!grown)
        break;
      before = grown;
      cap *= 2;
    }
    before[n++] = op;
  }
  while (before && n-- > 0)
    if (mlirOpOperandIsNull(mlirValueGetFirstUse(mlirOperationGetResult(before[n], 0)))) {
      mlirOperationRemoveFromParent(before[n]);
      mlirOperationDestroy(before[n]);
    }
  free(before);
  return true;
}

typedef struct found {
  MlirOperation *ops;
  size_t n, cap;
  bool oom;
} found;

static MlirWalkResult collect(MlirOperation op, void *user) {
  found *f = user;
  if (sattn_op_get_kind(op) != SATTN_ATTENTION)
    return MlirWalkResultAdvance;
  if (f->n == f->cap) {
    size_t cap = f->cap ? 2 * f->cap : 8;
    MlirOperation *grown = realloc(f->ops, cap * sizeof *grown);
    if (!grown) {
      f->oom = true;
      return MlirWalkResultInterrupt;
    }
    f->ops = grown;
    f->cap = cap;
  }
  f->ops[f->n++] = op;
  return MlirWalkResultAdvance;
}

bool blockify(MlirOperation root, int64_t block_q, int64_t block_k) {
  found f = {NULL, 0, 0, false};
  mlirOperationWalk(root, collect, &f, MlirWalkPostOrder);
  bool ok = !f.oom;
  if (f.oom)
    mlirEmitError(mlirOperationGetLocation(root), "sattn-blockify: out of memory");
  for (size_t i = 0; ok && i < f.n; i++) {
    /* 0: chosen for the kernel (codegen/tile_choice.h; one part) */
    int64_t bq = block_q, bk = block_k, bk1;
    MlirOperation func = mlirOperationGetParentOperation(f.ops[i]);
    if ((!bq || !bk) && !mlirOperationIsNull(func))
      tile_choice(func, (MlirOperation){NULL}, &bq, &bk, &bk1);
    ok = blockify_one(f.ops[i], bq ? bq : 32, bk ? bk : 64);
  }
  free(f.ops);
  return ok;
}
