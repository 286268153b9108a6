/* MLIR contexts for sattn: every upstream dialect registered (loaded on
 * demand), func loaded, and the sattn dialect loaded from its IRDL text,
 * which is embedded in the library at build time. */
#ifndef SATTN_CONTEXT_H
#define SATTN_CONTEXT_H

#include "mlir-c/IR.h"

/* A new context, or a null one if the embedded dialect failed to load (a
 * build defect; the error went to stderr). The caller destroys it with
 * mlirContextDestroy. */
MlirContext sattn_context_create(void);

/* The IRDL source of the sattn dialect as embedded. */
MlirStringRef sattn_dialect_irdl(void);

#endif
