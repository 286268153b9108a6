/* Bridges MLIR diagnostics into a diag_sink, so that verifier and pass
 * errors print like front-end errors (file:line:col, source line, caret).
 *
 * A call-site location (a term inside a pattern that a kernel uses) is
 * reported at the term, with one note per use site outward. */
#ifndef SATTN_MLIR_DIAG_H
#define SATTN_MLIR_DIAG_H

#include "diag.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"

/* Routes every diagnostic of `ctx` to `sink` until detached. */
MlirDiagnosticHandlerID mlir_diag_attach(MlirContext ctx, diag_sink *sink);
void mlir_diag_detach(MlirContext ctx, MlirDiagnosticHandlerID id);

/* Reports one MLIR diagnostic (and its notes) into a sink. */
void mlir_diag_forward(diag_sink *sink, MlirDiagnostic d);

#endif
