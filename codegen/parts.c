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
