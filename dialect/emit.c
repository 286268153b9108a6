/* sem_program -> sattn IR (see emit.h). */
#include "emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "ops.h"

typedef struct emitter {
  MlirContext ctx;
  sattn_builder b;
  MlirStringRef file;
} emitter;

static MlirLocation file_loc(emitter *e, src_loc l) {
  return mlirLocationFileLineColGet(e->ctx, e->file, l.line, l.col);
}

/* The location of the use site chain, outermost caller last. */
static MlirLocation site_loc(emitter *e, const sem_site *s) {
  MlirLocation here = file_loc(e, s->loc);
  return s->parent ? mlirLocationCallSiteGet(here, site_loc(e, s->parent)) : here;
}

static MlirLocation node_loc(emitter *e, const sem_node *n) {
  MlirLocation here = file_loc(e, n->loc);
  return n->site ? mlirLocationCallSiteGet(here, site_loc(e, n->site)) : here;
}

static MlirValue emit_node(emitter *e, const sem_node *n);

/* a | b | c (left-associative: ((a | b) | c)) becomes one variadic union
 * with operands in source order. The left spine is walked iteratively so
 * that a long chain costs no stack. */
static MlirValue emit_chain(emitter *e, const sem_node *n, MlirLocation loc) {
  size_t count = 1;
  for (const sem_node *x = n; x->kind == n->kind; x = x->lhs)
    count++;
  const sem_node **parts = malloc(count * sizeof *parts);
  MlirValue *vals = malloc(count * sizeof *vals);
  MlirValue result = {NULL};
  if (parts && vals) {
    size_t i = count;
    const sem_node *x = n;
    for (; x->kind == n->kind; x = x->lhs)
      parts[--i] = x->rhs;
    parts[0] = x;
    for (i = 0; i < count; i++)
      vals[i] = emit_node(e, parts[i]);
    result = n->kind == SEM_UNION ? sattn_build_union(&e->b, loc, vals, count)
                                  : sattn_build_intersect(&e->b, loc, vals, count);
  }
  free(parts);
  free(vals);
  return result;
}

static MlirValue emit_node(emitter *e, const sem_node *n) {
  MlirLocation loc = node_loc(e, n);
  sattn_builder *b = &e->b;
  switch (n->kind) {
  case SEM_FULL: return sattn_build_full(b, loc);
  case SEM_CAUSAL: return sattn_build_causal(b, loc);
  case SEM_WINDOW: return sattn_build_window(b, loc, n->a, n->b);
  case SEM_LOCAL: return sattn_build_local(b, loc, n->a, n->b);
  case SEM_DILATED: return sattn_build_dilated(b, loc, n->a, n->b);
  case SEM_STRIDE: return sattn_build_stride(b, loc, n->a);
  case SEM_SUMMARY: return sattn_build_summary(b, loc, n->a, n->b);
  case SEM_GLOBAL: return sattn_build_global(b, loc, n->ranges, n->nranges);
  case SEM_RANDOM:
    return sattn_build_random(b, loc, n->a, n->b, n->seed, n->per_head);
  case SEM_TOPK: {
    MlirValue among = emit_node(e, n->lhs);
    return sattn_build_topk(b, loc, among, n->a, n->b,
                            n->score == SEM_SCORE_INPUT ? "input" : "meankey",
                            n->input);
  }
  case SEM_BLOCKS: return sattn_build_blocks(b, loc, n->b, n->input);
  case SEM_SAME: return sattn_build_same(b, loc, n->input);
  case SEM_DIFFERENCE: {
    MlirValue l = emit_node(e, n->lhs);
    MlirValue r = emit_node(e, n->rhs);
    return sattn_build_difference(b, loc, l, r);
  }
  case SEM_UNION:
  case SEM_INTERSECT:
    return emit_chain(e, n, loc);
  }
  return (MlirValue){NULL};
}

MlirValue emit_mask(MlirContext ctx, MlirBlock block, const char *file,
                    const sem_node *n) {
  emitter e = {ctx, sattn_builder_at_end(block),
               mlirStringRefCreateFromCString(file ? file : "-")};
  return emit_node(&e, n);
}

static MlirNamedAttribute named(MlirContext ctx, const char *name,
                                MlirAttribute a) {
  return mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString(name)), a);
}

/* Creates func.func @name(args) -> results with an entry block, appended to
 * the module body; returns the entry block. */
static MlirBlock add_func(emitter *e, MlirModule m, const char *name,
                          MlirLocation loc, intptr_t nargs,
                          const MlirType *args, intptr_t nres,
                          const MlirType *res, const char *marker) {
  MlirType fty = mlirFunctionTypeGet(e->ctx, nargs, args, nres, res);
  MlirNamedAttribute attrs[] = {
      named(e->ctx, "sym_name",
            mlirStringAttrGet(e->ctx, mlirStringRefCreateFromCString(name))),
      named(e->ctx, "function_type", mlirTypeAttrGet(fty)),
      named(e->ctx, marker, mlirUnitAttrGet(e->ctx)),
  };
  MlirLocation *arg_locs = NULL;
  MlirLocation locs[8];
  for (intptr_t i = 0; i < nargs && i < 8; i++)
    locs[i] = loc;
  arg_locs = locs;
  MlirBlock entry = mlirBlockCreate(nargs, args, arg_locs);
  MlirRegion body = mlirRegionCreate();
  mlirRegionAppendOwnedBlock(body, entry);
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("func.func"), loc);
  mlirOperationStateAddAttributes(&st, 3, attrs);
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  MlirOperation f = mlirOperationCreate(&st);
  mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), f);
  return entry;
}

static void add_return(emitter *e, MlirBlock block, MlirLocation loc,
                       intptr_t n, const MlirValue *vals) {
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("func.return"), loc);
  mlirOperationStateAddOperands(&st, n, vals);
  mlirBlockAppendOwnedOperation(block, mlirOperationCreate(&st));
}

static MlirType elem_type(MlirContext ctx, sem_dtype t) {
  switch (t) {
  case SEM_F16: return mlirF16TypeGet(ctx);
  case SEM_BF16: return mlirBF16TypeGet(ctx);
  case SEM_F32: break;
  }
  return mlirF32TypeGet(ctx);
}

static void emit_kernel(emitter *e, MlirModule m, const sem_kernel *k) {
  int64_t dyn = mlirShapedTypeGetDynamicSize();
  int64_t shape[4] = {dyn, dyn, dyn, k->head_dim};
  MlirAttribute no_enc = mlirAttributeGetNull();
  MlirType t = mlirRankedTensorTypeGet(4, shape, elem_type(e->ctx, k->dtype), no_enc);
  MlirType lse = mlirRankedTensorTypeGet(3, shape, mlirF32TypeGet(e->ctx), no_enc);
  MlirType args[3] = {t, t, t};
  MlirType res[2] = {t, lse};
  MlirLocation loc = file_loc(e, k->loc);
  MlirBlock entry = add_func(e, m, k->name, loc, 3, args, k->lse ? 2 : 1, res,
                             SATTN_ATTR_KERNEL);
  e->b = sattn_builder_at_end(entry);
  MlirValue masks[64];
  size_t n = k->ngroups < 64 ? k->ngroups : 64;
  for (size_t i = 0; i < n; i++)
    masks[i] = emit_node(e, k->masks[i]);
  MlirOperation att = sattn_build_attention(
      &e->b, loc, mlirBlockGetArgument(entry, 0), mlirBlockGetArgument(entry, 1),
      mlirBlockGetArgument(entry, 2), masks, n, k->group_starts, k->scale,
      k->lse ? lse : (MlirType){NULL});
  MlirValue outs[2] = {mlirOperationGetResult(att, 0),
                       k->lse ? mlirOperationGetResult(att, 1) : (MlirValue){NULL}};
  add_return(e, entry, loc, k->lse ? 2 : 1, outs);
}

MlirModule emit_program(MlirContext ctx, const sem_program *prog) {
  emitter e = {ctx, {ctx, {NULL}, {NULL}},
               mlirStringRefCreateFromCString(prog->file ? prog->file : "-")};
  MlirModule m = mlirModuleCreateEmpty(mlirLocationFileLineColGet(ctx, e.file, 1, 1));
  MlirType mask = sattn_mask_type(ctx);
  for (const sem_pattern *p = prog->patterns; p; p = p->next) {
    char name[300];
    snprintf(name, sizeof name, "pattern.%s", p->name);
    MlirLocation loc = file_loc(&e, p->loc);
    MlirBlock entry = add_func(&e, m, name, loc, 0, NULL, 1, &mask,
                               SATTN_ATTR_PATTERN);
    e.b = sattn_builder_at_end(entry);
    MlirValue v = emit_node(&e, p->mask);
    add_return(&e, entry, loc, 1, &v);
  }
  for (const sem_kernel *k = prog->kernels; k; k = k->next)
    emit_kernel(&e, m, k);
  return m;
}
