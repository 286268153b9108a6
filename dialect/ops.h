/* Names of the sattn ops and their attributes: the one place that spells
 * them (dialect/sattn.irdl.mlir declares them). */
#ifndef SATTN_OPS_H
#define SATTN_OPS_H

#define SATTN_OP_FULL "sattn.full"
#define SATTN_OP_CAUSAL "sattn.causal"
#define SATTN_OP_WINDOW "sattn.window"
#define SATTN_OP_LOCAL "sattn.local"
#define SATTN_OP_DILATED "sattn.dilated"
#define SATTN_OP_STRIDE "sattn.stride"
#define SATTN_OP_SUMMARY "sattn.summary"
#define SATTN_OP_GLOBAL "sattn.global"
#define SATTN_OP_RANDOM "sattn.random"
#define SATTN_OP_TOPK "sattn.topk"
#define SATTN_OP_BLOCKS "sattn.blocks"
#define SATTN_OP_SAME "sattn.same"
#define SATTN_OP_UNION "sattn.union"
#define SATTN_OP_INTERSECT "sattn.intersect"
#define SATTN_OP_DIFFERENCE "sattn.difference"
#define SATTN_OP_ATTENTION "sattn.attention"

/* Unit attributes on func.func: a kernel entry point, a named pattern. */
#define SATTN_ATTR_KERNEL "sattn.kernel"
#define SATTN_ATTR_PATTERN "sattn.pattern"

#endif
