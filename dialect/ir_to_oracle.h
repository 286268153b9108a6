/* A sattn mask in IR -> the oracle's description of it, for checks on IR
 * (sattn-simplify's empty rows, tests of IR rewrites). Dynamic terms and
 * anything not built from sattn mask ops become ORC_UNKNOWN. */
#ifndef SATTN_IR_TO_ORACLE_H
#define SATTN_IR_TO_ORACLE_H

#include "mlir-c/IR.h"
#include "oracle.h"

/* A new oracle tree (free with orc_node_destroy), or NULL when out of
 * memory or nested too deeply. */
orc_node *ir_to_oracle(MlirValue mask);

#endif
