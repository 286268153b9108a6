/* Residue-class tiling of masks (see lattice.h).
 *
 * In a class, p = r + s p' and j = r + s j', so p - j = s (p' - j'):
 *   window(a, b)   -a <= s x <= b        ->  window(a div s, b div s)
 *   stride(t)      t | s x               ->  stride(t / gcd(s, t)) (full at 1)
 *   dilated(R, d)  |s x| <= R d, d | s x ->  dilated(R d div s div d', d'),
 *                                            d' = d / gcd(s, d) (a window at 1)
 *   causal, full   unchanged. */
#include "lattice.h"

#include <stdlib.h>

#include "build.h"

enum { MAX_DEPTH = 4000 };

static int64_t gcd(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static int64_t attr(MlirOperation op, const char *name) {
  int64_t v = 0;
  sattn_get_int_attr(op, name, &v);
  return v;
}

static int64_t step_at(MlirValue mask, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > MAX_DEPTH)
    return 1;
  MlirOperation op = mlirOpResultGetOwner(mask);
  intptr_t n = mlirOperationGetNumOperands(op);
  switch (sattn_op_get_kind(op)) {
  case SATTN_STRIDE:
    return attr(op, "stride");
  case SATTN_DILATED:
    return attr(op, "dilation");
  case SATTN_INTERSECT: {
    int64_t s = 1;
    for (intptr_t k = 0; k < n; k++) {
      int64_t c = step_at(mlirOperationGetOperand(op, k), depth + 1);
      s = s / gcd(s, c) * c;
      if (s > LATTICE_MAX)
        return 1;
    }
    return s;
  }
  case SATTN_UNION: {
    int64_t s = 0;
    for (intptr_t k = 0; k < n; k++)
      s = gcd(s, step_at(mlirOperationGetOperand(op, k), depth + 1));
    return s ? s : 1;
  }
  case SATTN_DIFFERENCE:
    return step_at(mlirOperationGetOperand(op, 0), depth + 1);
  default:
    return 1;
  }
}

int64_t lattice_step(MlirValue mask) {
  int64_t s = step_at(mask, 0);
  return s > 1 && s <= LATTICE_MAX ? s : 1;
}

static MlirValue transform_at(sattn_builder *b, MlirValue mask, int64_t s, int depth) {
  if (!mlirValueIsAOpResult(mask) || depth > MAX_DEPTH)
    return (MlirValue){NULL};
  MlirOperation op = mlirOpResultGetOwner(mask);
  MlirLocation loc = mlirOperationGetLocation(op);
  intptr_t n = mlirOperationGetNumOperands(op);
  switch (sattn_op_get_kind(op)) {
  case SATTN_FULL:
    return sattn_build_full(b, loc);
  case SATTN_CAUSAL:
    return sattn_build_causal(b, loc);
  case SATTN_WINDOW:
    return sattn_build_window(b, loc, attr(op, "left") / s, attr(op, "right") / s);
  case SATTN_STRIDE: {
    int64_t t = attr(op, "stride") / gcd(s, attr(op, "stride"));
    return t == 1 ? sattn_build_full(b, loc) : sattn_build_stride(b, loc, t);
  }
  case SATTN_DILATED: {
    int64_t d = attr(op, "dilation"), reach = attr(op, "radius") * d / s;
    int64_t d2 = d / gcd(s, d);
    return d2 == 1 ? sattn_build_window(b, loc, reach, reach)
                   : sattn_build_dilated(b, loc, reach / d2, d2);
  }
  case SATTN_UNION:
  case SATTN_INTERSECT:
  case SATTN_DIFFERENCE: {
    MlirValue *in = malloc((size_t)(n ? n : 1) * sizeof *in);
    if (!in)
      return (MlirValue){NULL};
    for (intptr_t k = 0; k < n; k++) {
      in[k] = transform_at(b, mlirOperationGetOperand(op, k), s, depth + 1);
      if (!in[k].ptr) {
        free(in);
        return (MlirValue){NULL};
      }
    }
    sattn_op_kind kind = sattn_op_get_kind(op);
    MlirValue r = kind == SATTN_UNION       ? sattn_build_union(b, loc, in, (size_t)n)
                  : kind == SATTN_INTERSECT ? sattn_build_intersect(b, loc, in, (size_t)n)
                                            : sattn_build_difference(b, loc, in[0], in[1]);
    free(in);
    return r;
  }
  default: /* local, summary, global, random, dynamic terms: depend on r */
    return (MlirValue){NULL};
  }
}

MlirValue lattice_transform(MlirValue mask, int64_t s, MlirOperation before) {
  sattn_builder b = {mlirOperationGetContext(before), mlirOperationGetBlock(before), before};
  return transform_at(&b, mask, s, 0);
}
