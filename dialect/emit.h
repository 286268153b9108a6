/* Emission of resolved patterns and kernels as sattn IR.
 *
 * Each kernel becomes
 *   func.func @NAME(%q, %k, %v : tensor<?x?x?xDxT>) -> tensor<?x?x?xDxT>
 *       [, tensor<?x?x?xf32> when lse = true]  attributes {sattn.kernel}
 * holding its mask ops and one sattn.attention; each pattern without
 * parameters becomes func.func @pattern.NAME() -> !sattn.mask
 * attributes {sattn.pattern}. Every op carries the file:line:col of the term
 * it comes from, as a call-site location through the pattern references
 * that brought it in. */
#ifndef SATTN_EMIT_H
#define SATTN_EMIT_H

#include "mlir-c/IR.h"
#include "sema.h"

/* A new module owned by the caller. */
MlirModule emit_program(MlirContext ctx, const sem_program *prog);

/* Emits one mask tree at the end of `block`; returns its value. */
MlirValue emit_mask(MlirContext ctx, MlirBlock block, const char *file,
                    const sem_node *n);

#endif
