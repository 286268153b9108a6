/* Splitting a mask into differently tiled parts (see parts.h). */
#include "parts.h"

#include <stdlib.h>

#include "build.h"
#include "lattice.h"

enum { MAX_TERMS = 64 };

static MlirOperation owner(MlirValue v) {
  return mlirValueIsAOpResult(v) ? mlirOpResultGetOwner(v) : (MlirOperation){NULL};
}

bool parts_split(MlirValue mask, MlirOperation before, MlirValue *a, MlirValue *b) {
  sattn_builder sb = {mlirOperationGetContext(before), mlirOperationGetBlock(before), before};
  MlirOperation op = owner(mask);
  MlirLocation loc = mlirOperationIsNull(op) ? mlirOperationGetLocation(before)
                                             : mlirOperationGetLocation(op);
  /* M = X & (U_0 | U_1 | ...) or M = U_0 | U_1 | ...: find the union and
   * the other factors of the intersection. */
  MlirValue factors[MAX_TERMS], terms[MAX_TERMS];
  intptr_t nf = 0, nt = 0;
  MlirOperation uni = {NULL};
  if (sattn_op_get_kind(op) == SATTN_UNION) {
    uni = op;
  } else if (sattn_op_get_kind(op) == SATTN_INTERSECT) {
    for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); i++) {
      MlirValue c = mlirOperationGetOperand(op, i);
      if (mlirOperationIsNull(uni) && sattn_op_get_kind(owner(c)) == SATTN_UNION)
        uni = owner(c);
      else if (nf < MAX_TERMS)
        factors[nf++] = c;
      else
        return false;
    }
  }
  if (mlirOperationIsNull(uni) || mlirOperationGetNumOperands(uni) > MAX_TERMS)
    return false;
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(uni); i++)
    terms[nt++] = mlirOperationGetOperand(uni, i);
  /* Each term with the factors: which lattice does it live on? */
  int64_t s = 1;
  bool on[MAX_TERMS];
  intptr_t non = 0, noff = 0;
  MlirValue with[MAX_TERMS];
  for (intptr_t i = 0; i < nt; i++) {
    if (nf) {
      MlirValue parts[MAX_TERMS + 1];
      for (intptr_t k = 0; k < nf; k++)
        parts[k] = factors[k];
      parts[nf] = terms[i];
      with[i] = sattn_build_intersect(&sb, loc, parts, (size_t)nf + 1);
    } else {
      with[i] = terms[i];
    }
    int64_t step = lattice_step(with[i]);
    on[i] = step > 1;
    if (on[i]) {
      if (s > 1 && step != s)
        return false; /* two lattices: not split (yet) */
      s = step;
      non++;
    } else {
      noff++;
    }
  }
  if (!non || !noff)
    return false;
  MlirValue offs[MAX_TERMS], ons[MAX_TERMS];
  intptr_t io = 0, in = 0;
  for (intptr_t i = 0; i < nt; i++) {
    if (on[i])
      ons[in++] = with[i];
    else
      offs[io++] = with[i];
  }
  MlirValue A = io == 1 ? offs[0] : sattn_build_union(&sb, loc, offs, (size_t)io);
  MlirValue B = in == 1 ? ons[0] : sattn_build_union(&sb, loc, ons, (size_t)in);
  MlirValue Bx = sattn_build_difference(&sb, loc, B, A);
  /* B' must run in residue classes: A has to transform too. */
  if (lattice_step(Bx) != s || !lattice_transform(Bx, s, before).ptr)
    return false;
  *a = A;
  *b = Bx;
  return true;
}

/* ---- global rows as a part of their own ------------------------------------------- */

enum { MAX_DEPTH = 200, MAX_GLOBAL_ROWS = 4096 };

/* The global term reached from the root through unions and intersections
 * (one, with one range), or a null op. */
static MlirOperation find_global(MlirValue mask, int depth, int *count) {
  MlirOperation op = owner(mask);
  if (mlirOperationIsNull(op) || depth > MAX_DEPTH)
    return (MlirOperation){NULL};
  sattn_op_kind k = sattn_op_get_kind(op);
  if (k == SATTN_GLOBAL) {
    (*count)++;
    return op;
  }
  MlirOperation found = {NULL};
  if (k == SATTN_UNION || k == SATTN_INTERSECT)
    for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); i++) {
      MlirOperation g = find_global(mlirOperationGetOperand(op, i), depth + 1, count);
      if (!mlirOperationIsNull(g))
        found = g;
    }
  return found;
}

/* `mask` with the op `target` replaced by `with` (rebuilt where it changes). */
static MlirValue replace(sattn_builder *b, MlirValue mask, MlirOperation target, MlirValue with,
                         int depth) {
  MlirOperation op = owner(mask);
  if (mlirOperationIsNull(op) || depth > MAX_DEPTH)
    return mask;
  if (mlirOperationEqual(op, target))
    return with;
  sattn_op_kind k = sattn_op_get_kind(op);
  if (k != SATTN_UNION && k != SATTN_INTERSECT && k != SATTN_DIFFERENCE)
    return mask;
  intptr_t n = mlirOperationGetNumOperands(op);
  MlirValue in[MAX_TERMS];
  if (n > MAX_TERMS)
    return mask;
  bool changed = false;
  for (intptr_t i = 0; i < n; i++) {
    in[i] = replace(b, mlirOperationGetOperand(op, i), target, with, depth + 1);
    changed |= !mlirValueEqual(in[i], mlirOperationGetOperand(op, i));
  }
  if (!changed)
    return mask;
  MlirLocation loc = mlirOperationGetLocation(op);
  return k == SATTN_UNION       ? sattn_build_union(b, loc, in, (size_t)n)
         : k == SATTN_INTERSECT ? sattn_build_intersect(b, loc, in, (size_t)n)
                                : sattn_build_difference(b, loc, in[0], in[1]);
}

bool parts_split_rows(MlirValue mask, MlirOperation before, MlirValue *a, MlirValue *b,
                      int64_t *row_begin, int64_t *row_end) {
  int count = 0;
  MlirOperation g = find_global(mask, 0, &count);
  int64_t r[2];
  if (count != 1 || mlirOperationIsNull(g) || sattn_get_i64_array(g, "ranges", r, 2) != 2 ||
      r[1] - r[0] > MAX_GLOBAL_ROWS)
    return false;
  sattn_builder sb = {mlirOperationGetContext(before), mlirOperationGetBlock(before), before};
  MlirLocation loc = mlirOperationGetLocation(g);
  MlirContext ctx = mlirOperationGetContext(before);
  MlirNamedAttribute ranges = mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("ranges")),
      mlirOperationGetAttributeByName(g, mlirStringRefCreateFromCString("ranges")));
  MlirValue made[2];
  const char *names[] = {"sattn.columns", "sattn.rows"};
  for (int i = 0; i < 2; i++) {
    MlirOperationState st = mlirOperationStateGet(mlirStringRefCreateFromCString(names[i]), loc);
    mlirOperationStateAddAttributes(&st, 1, &ranges);
    MlirType mt = mlirValueGetType(mask);
    mlirOperationStateAddResults(&st, 1, &mt);
    MlirOperation op = mlirOperationCreate(&st);
    mlirBlockInsertOwnedOperationBefore(sb.block, before, op);
    made[i] = mlirOperationGetResult(op, 0);
  }
  /* Part A: the mask with the global rows' pairs taken out (their columns
   * stay); part B: those rows' remaining pairs. */
  MlirValue A = replace(&sb, mask, g, made[0], 0);
  MlirValue pair[] = {mask, made[1]};
  MlirValue onrows = sattn_build_intersect(&sb, loc, pair, 2);
  *a = A;
  *b = sattn_build_difference(&sb, loc, onrows, A);
  *row_begin = r[0];
  *row_end = r[1];
  return true;
}

/* ---- a kernel func in two parts -------------------------------------------------- */

static MlirOperation find_attention(MlirOperation func) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body); !mlirOperationIsNull(op);
       op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_ATTENTION)
      return op;
  return (MlirOperation){NULL};
}

/* Tries both splits on the attention of func (one head group only). */
static bool split_attention(MlirOperation func, MlirValue *a, MlirValue *b, int64_t *rb,
                            int64_t *re, bool *rows) {
  MlirOperation att = find_attention(func);
  if (mlirOperationIsNull(att) || mlirOperationGetNumOperands(att) != 4)
    return false;
  *rows = false;
  if (parts_split(mlirOperationGetOperand(att, 3), att, a, b))
    return true;
  *rows = parts_split_rows(mlirOperationGetOperand(att, 3), att, a, b, rb, re);
  return *rows;
}

MlirOperation parts_clone(MlirOperation func, int64_t *row_begin, int64_t *row_end) {
  MlirValue a, b, a2, b2;
  int64_t rb = 0, re = 0, rb2, re2;
  bool rows, rows2;
  *row_begin = *row_end = 0;
  if (!split_attention(func, &a, &b, &rb, &re, &rows))
    return (MlirOperation){NULL};
  MlirOperation copy2 = mlirOperationClone(func);
  mlirBlockInsertOwnedOperationAfter(mlirOperationGetBlock(func), func, copy2);
  /* The clone holds the same ops: the same split finds its parts. */
  bool ok = split_attention(copy2, &a2, &b2, &rb2, &re2, &rows2);
  mlirOperationSetOperand(find_attention(func), 3, a);
  if (!ok) { /* not reached for identical IR; one part then */
    mlirOperationRemoveFromParent(copy2);
    mlirOperationDestroy(copy2);
    return (MlirOperation){NULL};
  }
  mlirOperationSetOperand(find_attention(copy2), 3, b2);
  if (rows)
    *row_begin = rb, *row_end = re;
  return copy2;
}
