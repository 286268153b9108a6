/* The pattern algebra (see simplify.h). */
#include "simplify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ir_to_oracle.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/Diagnostics.h"
#include "oracle.h"
#include "registry.h"

enum { MAX_DEPTH = 200, MAX_CHILDREN = 4096 };

typedef struct sctx {
  sattn_builder b;
  bool oom;
} sctx;

static int64_t attr(MlirOperation op, const char *name) {
  int64_t v = 0;
  sattn_get_int_attr(op, name, &v);
  return v;
}

static MlirOperation owner(MlirValue v) {
  return mlirValueIsAOpResult(v) ? mlirOpResultGetOwner(v) : (MlirOperation){NULL};
}

static sattn_op_kind kind_of(MlirValue v) { return sattn_op_get_kind(owner(v)); }

/* ---- structural equality and subsumption ---------------------------------------- */

static bool equal_at(MlirValue a, MlirValue b, int depth) {
  if (mlirValueEqual(a, b))
    return true;
  MlirOperation x = owner(a), y = owner(b);
  if (mlirOperationIsNull(x) || mlirOperationIsNull(y) || depth > MAX_DEPTH ||
      sattn_op_get_kind(x) != sattn_op_get_kind(y) ||
      mlirOperationGetNumAttributes(x) != mlirOperationGetNumAttributes(y) ||
      mlirOperationGetNumOperands(x) != mlirOperationGetNumOperands(y))
    return false;
  for (intptr_t i = 0; i < mlirOperationGetNumAttributes(x); i++) {
    MlirNamedAttribute na = mlirOperationGetAttribute(x, i);
    MlirAttribute other = mlirOperationGetAttributeByName(y, mlirIdentifierStr(na.name));
    if (mlirAttributeIsNull(other) || !mlirAttributeEqual(na.attribute, other))
      return false;
  }
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(x); i++)
    if (!equal_at(mlirOperationGetOperand(x, i), mlirOperationGetOperand(y, i), depth + 1))
      return false;
  return true;
}

/* Whether every pair `small` allows, `big` allows (false when unsure). */
static bool within(MlirValue small, MlirValue big, int depth) {
  if (depth > MAX_DEPTH)
    return false;
  if (equal_at(small, big, 0))
    return true;
  MlirOperation s = owner(small), g = owner(big);
  sattn_op_kind ks = sattn_op_get_kind(s), kg = sattn_op_get_kind(g);
  if (kg == SATTN_FULL)
    return true;
  if (ks == SATTN_INTERSECT) /* within big when one of its parts is */
    for (intptr_t i = 0; i < mlirOperationGetNumOperands(s); i++)
      if (within(mlirOperationGetOperand(s, i), big, depth + 1))
        return true;
  if (ks == SATTN_UNION) { /* within big when all of its parts are */
    bool all = true;
    for (intptr_t i = 0; all && i < mlirOperationGetNumOperands(s); i++)
      all = within(mlirOperationGetOperand(s, i), big, depth + 1);
    if (all)
      return true;
  }
  if (kg == SATTN_UNION) /* within one part of big */
    for (intptr_t i = 0; i < mlirOperationGetNumOperands(g); i++)
      if (within(small, mlirOperationGetOperand(g, i), depth + 1))
        return true;
  switch (ks) {
  case SATTN_WINDOW:
    if (kg == SATTN_WINDOW)
      return attr(s, "left") <= attr(g, "left") && attr(s, "right") <= attr(g, "right");
    return kg == SATTN_CAUSAL && attr(s, "right") == 0;
  case SATTN_DILATED: {
    int64_t reach = attr(s, "radius") * attr(s, "dilation"), d = attr(s, "dilation");
    if (kg == SATTN_WINDOW)
      return reach <= attr(g, "left") && reach <= attr(g, "right");
    if (kg == SATTN_STRIDE)
      return d % attr(g, "stride") == 0;
    if (kg == SATTN_DILATED)
      return d % attr(g, "dilation") == 0 && reach <= attr(g, "radius") * attr(g, "dilation");
    return false;
  }
  case SATTN_STRIDE:
    return kg == SATTN_STRIDE && attr(s, "stride") % attr(g, "stride") == 0;
  case SATTN_LOCAL:
    return kg == SATTN_LOCAL && attr(s, "block") == attr(g, "block") &&
           attr(s, "width") <= attr(g, "width");
  default:
    return false;
  }
}

/* ---- rewriting -------------------------------------------------------------------- */

static MlirValue simplify_at(sctx *c, MlirValue v, int depth);

/* Appends the simplified operands of op to out, flattening operands of the
 * same combinator kind. */
static void gather(sctx *c, MlirOperation op, sattn_op_kind kind, MlirValue *out, intptr_t *n,
                   int depth) {
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); i++) {
    MlirValue s = simplify_at(c, mlirOperationGetOperand(op, i), depth + 1);
    if (kind_of(s) == kind) {
      MlirOperation inner = owner(s);
      for (intptr_t k = 0; k < mlirOperationGetNumOperands(inner) && *n < MAX_CHILDREN; k++)
        out[(*n)++] = mlirOperationGetOperand(inner, k);
    } else if (*n < MAX_CHILDREN) {
      out[(*n)++] = s;
    }
  }
}

static MlirValue combine(sctx *c, MlirOperation op, int depth) {
  sattn_op_kind kind = sattn_op_get_kind(op);
  bool uni = kind == SATTN_UNION;
  MlirLocation loc = mlirOperationGetLocation(op);
  MlirValue *ch = malloc(MAX_CHILDREN * sizeof *ch);
  if (!ch) {
    c->oom = true;
    return mlirOperationGetResult(op, 0);
  }
  intptr_t n = 0;
  gather(c, op, kind, ch, &n, depth);
  /* full: absorbs a union, drops out of an intersection. */
  intptr_t m = 0;
  for (intptr_t i = 0; i < n; i++) {
    if (kind_of(ch[i]) == SATTN_FULL) {
      if (uni) {
        free(ch);
        return sattn_build_full(&c->b, loc);
      }
      continue;
    }
    ch[m++] = ch[i];
  }
  n = m;
  if (n == 0) {
    free(ch);
    return sattn_build_full(&c->b, loc);
  }
  /* Windows merge into one: the largest reaches (union) or the smallest
   * (intersection); causal & window(l, r) is window(l, 0). */
  int64_t wl = -1, wr = -1;
  bool causal = false;
  MlirLocation wloc = loc;
  m = 0;
  for (intptr_t i = 0; i < n; i++) {
    if (kind_of(ch[i]) == SATTN_WINDOW) {
      int64_t l = attr(owner(ch[i]), "left"), r = attr(owner(ch[i]), "right");
      if (wl < 0) {
        wl = l, wr = r, wloc = mlirOperationGetLocation(owner(ch[i]));
      } else {
        wl = uni ? (l > wl ? l : wl) : (l < wl ? l : wl);
        wr = uni ? (r > wr ? r : wr) : (r < wr ? r : wr);
      }
      continue;
    }
    causal |= kind_of(ch[i]) == SATTN_CAUSAL;
    ch[m++] = ch[i];
  }
  n = m;
  if (wl >= 0) {
    if (!uni && causal) { /* the window replaces causal */
      wr = 0;
      m = 0;
      for (intptr_t i = 0; i < n; i++)
        if (kind_of(ch[i]) != SATTN_CAUSAL)
          ch[m++] = ch[i];
      n = m;
    }
    if (n < MAX_CHILDREN)
      ch[n++] = sattn_build_window(&c->b, wloc, wl, wr);
  }
  /* Drop repeats and subsumed terms: in a union the smaller, in an
   * intersection the larger. */
  bool *drop = calloc((size_t)n, sizeof *drop);
  if (!drop) {
    c->oom = true;
    free(ch);
    return mlirOperationGetResult(op, 0);
  }
  for (intptr_t i = 0; i < n; i++)
    for (intptr_t j = 0; j < n && !drop[i]; j++) {
      if (i == j || drop[j])
        continue;
      bool i_in_j = within(ch[i], ch[j], 0);
      bool dominated = uni ? i_in_j : within(ch[j], ch[i], 0);
      /* equal terms: keep the first */
      if (dominated && (!(uni ? within(ch[j], ch[i], 0) : i_in_j) || j < i))
        drop[i] = true;
    }
  m = 0;
  for (intptr_t i = 0; i < n; i++)
    if (!drop[i])
      ch[m++] = ch[i];
  n = m;
  free(drop);
  MlirValue r;
  bool same = n == mlirOperationGetNumOperands(op);
  for (intptr_t i = 0; same && i < n; i++)
    same = mlirValueEqual(ch[i], mlirOperationGetOperand(op, i));
  if (same)
    r = mlirOperationGetResult(op, 0);
  else if (n == 1)
    r = ch[0];
  else
    r = uni ? sattn_build_union(&c->b, loc, ch, (size_t)n)
            : sattn_build_intersect(&c->b, loc, ch, (size_t)n);
  free(ch);
  return r;
}

static MlirValue simplify_at(sctx *c, MlirValue v, int depth) {
  MlirOperation op = owner(v);
  if (mlirOperationIsNull(op) || depth > MAX_DEPTH)
    return v;
  switch (sattn_op_get_kind(op)) {
  case SATTN_UNION:
  case SATTN_INTERSECT:
    return combine(c, op, depth);
  case SATTN_DIFFERENCE: {
    MlirValue l = simplify_at(c, mlirOperationGetOperand(op, 0), depth + 1);
    MlirValue r = simplify_at(c, mlirOperationGetOperand(op, 1), depth + 1);
    if (mlirValueEqual(l, mlirOperationGetOperand(op, 0)) &&
        mlirValueEqual(r, mlirOperationGetOperand(op, 1)))
      return v;
    return sattn_build_difference(&c->b, mlirOperationGetLocation(op), l, r);
  }
  default:
    return v;
  }
}

/* ---- empty rows ---------------------------------------------------------------------- */

/* Warns with the rows of `mask` that allow no key at Lq = Lk = len (at most
 * 10^8 evaluations; the diagonal, then key 0, then the rest per row). */
static void warn_empty_rows(MlirOperation att, MlirValue mask, int64_t len) {
  orc_node *o = ir_to_oracle(mask);
  if (!o)
    return;
  double budget = 1e8;
  int64_t empty = 0, first = -1, last = -1, checked = 0;
  for (int64_t i = 0; i < len && budget > 0; i++, checked++) {
    bool e = true;
    for (int64_t k = -1; k < len && e && budget > 0; k++) {
      int64_t j = k < 0 ? i : k;
      if (k == i)
        continue;
      budget--;
      e = orc_eval(o, i, j, len, len, 0) == ORC_NO;
    }
    if (budget <= 0)
      break;
    if (e) {
      empty++;
      if (first < 0)
        first = i;
      last = i;
    }
  }
  orc_node_destroy(o);
  if (!empty)
    return;
  char msg[256];
  if (empty == len)
    snprintf(msg, sizeof msg, "the mask allows no key for any row at Lq = Lk = %lld",
             (long long)len);
  else
    snprintf(msg, sizeof msg,
             "the mask leaves %lld of %lld rows empty at Lq = Lk = %lld (the first is row "
             "%lld, the last row %lld%s); they give 0",
             (long long)empty, (long long)len, (long long)len, (long long)first,
             (long long)last, checked < len ? "; not every row was checked" : "");
  sattn_pass_warn(mlirOperationGetLocation(att), msg);
}

/* ---- the walk -------------------------------------------------------------------------- */

typedef struct att_list {
  MlirOperation *ops;
  size_t n, cap;
} att_list;

static MlirWalkResult collect(MlirOperation op, void *user) {
  att_list *l = user;
  if (sattn_op_get_kind(op) != SATTN_ATTENTION)
    return MlirWalkResultAdvance;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    MlirOperation *g = realloc(l->ops, cap * sizeof *g);
    if (!g)
      return MlirWalkResultInterrupt;
    l->ops = g;
    l->cap = cap;
  }
  l->ops[l->n++] = op;
  return MlirWalkResultAdvance;
}

/* Removes the mask ops of `block` that nothing uses any more. */
static void drop_dead_masks(MlirBlock block) {
  for (bool again = true; again;) {
    again = false;
    for (MlirOperation op = mlirBlockGetFirstOperation(block); !mlirOperationIsNull(op);) {
      MlirOperation next = mlirOperationGetNextInBlock(op);
      if (sattn_op_is_mask(op) &&
          mlirOpOperandIsNull(mlirValueGetFirstUse(mlirOperationGetResult(op, 0)))) {
        mlirOperationRemoveFromParent(op);
        mlirOperationDestroy(op);
        again = true;
      }
      op = next;
    }
  }
}

bool simplify_masks(MlirOperation root, int64_t check_len) {
  att_list l = {NULL, 0, 0};
  mlirOperationWalk(root, collect, &l, MlirWalkPreOrder);
  bool ok = true;
  for (size_t i = 0; i < l.n && ok; i++) {
    MlirOperation att = l.ops[i];
    sctx c = {{mlirOperationGetContext(att), mlirOperationGetBlock(att), att}, false};
    for (intptr_t k = 3; k < mlirOperationGetNumOperands(att); k++) {
      MlirValue m = simplify_at(&c, mlirOperationGetOperand(att, k), 0);
      mlirOperationSetOperand(att, k, m);
      if (check_len > 0)
        warn_empty_rows(att, m, check_len);
    }
    if (c.oom) {
      mlirEmitError(mlirOperationGetLocation(att), "sattn-simplify: out of memory");
      ok = false;
    }
    drop_dead_masks(mlirOperationGetBlock(att));
  }
  free(l.ops);
  return ok;
}
