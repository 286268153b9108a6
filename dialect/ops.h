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
/* The block schedule (sattn-blockify). */
#define SATTN_OP_KEYS_ALL "sattn.keys_all"
#define SATTN_OP_KEYS_RANGE "sattn.keys_range"
#define SATTN_OP_KEYS_COLUMNS "sattn.keys_columns"
#define SATTN_OP_KEYS_ROWS "sattn.keys_rows"
#define SATTN_OP_KEYS_PERIODIC "sattn.keys_periodic"
#define SATTN_OP_KEYS_RANDOM "sattn.keys_random"
#define SATTN_OP_KEYS_UNION "sattn.keys_union"
#define SATTN_OP_KEYS_INTERSECT "sattn.keys_intersect"
#define SATTN_OP_COLUMNS "sattn.columns"
#define SATTN_OP_ROWS "sattn.rows"
#define SATTN_OP_STRIPE "sattn.stripe_schedule"
#define SATTN_OP_GROUP_SCHEDULE "sattn.group_schedule"
#define SATTN_OP_BLOCKED_ATTENTION "sattn.blocked_attention"
/* Tiled loops (sattn-tile). */
#define SATTN_OP_TILE_INIT "sattn.tile_init"
#define SATTN_OP_TILE_STEP "sattn.tile_step"
#define SATTN_OP_TILE_FINISH "sattn.tile_finish"

/* Unit attributes on func.func: a kernel entry point, a named pattern. */
#define SATTN_ATTR_KERNEL "sattn.kernel"
#define SATTN_ATTR_PATTERN "sattn.pattern"

#endif
