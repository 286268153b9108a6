/* Per-kernel tile sizes (see tile_choice.h). */
#include "tile_choice.h"

#include "build.h"
#include "mlir-c/BuiltinTypes.h"
#include "ir_to_oracle.h"
#include "lattice.h"

enum { SAMPLE_LEN = 16384, SAMPLE_ROW = 8192, SAMPLE_REACH = 2048, BAND_WIDE = 1024 };

/* Allowed keys of the sample row near its diagonal (ORC_YES only: terms
 * the oracle cannot evaluate, a part's sattn.columns / sattn.rows and
 * dynamic terms, count as not allowed); BAND_WIDE when the tree cannot be
 * built. */
static int64_t band_width(MlirValue mask) {
  orc_node *n = ir_to_oracle(mask);
  if (!n)
    return BAND_WIDE;
  int64_t w = 0;
  for (int64_t j = SAMPLE_ROW - SAMPLE_REACH; j <= SAMPLE_ROW + SAMPLE_REACH; j++) {
    orc_truth t = orc_eval(n, SAMPLE_ROW, j, SAMPLE_LEN, SAMPLE_LEN, 0);
    w += t == ORC_YES;
  }
  orc_node_destroy(n);
  return w;
}

static MlirOperation attention_of(MlirOperation kernel) {
  if (mlirOperationGetNumRegions(kernel) != 1)
    return (MlirOperation){NULL};
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(kernel, 0));
  for (MlirOperation op = mlirBlockIsNull(body) ? (MlirOperation){NULL}
                                                : mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op))
    if (sattn_op_get_kind(op) == SATTN_ATTENTION)
      return op;
  return (MlirOperation){NULL};
}

/* The shape from the head dim, the vector width, a lattice and the band's
 * width (tile_choice.h); tile_choice_part then caps it for random. */
static void tile_shape(MlirOperation kernel, cpu_target t, int64_t *bq, int64_t *bk) {
  MlirOperation att = attention_of(kernel);
  int64_t head_dim = 64;
  bool bf16 = false;
  if (!mlirOperationIsNull(att)) {
    MlirType qt = mlirValueGetType(mlirOperationGetOperand(att, 0));
    if (mlirTypeIsAShaped(qt) && mlirShapedTypeGetRank(qt) == 4 &&
        !mlirShapedTypeIsDynamicDim(qt, 3))
      head_dim = mlirShapedTypeGetDimSize(qt, 3);
    bf16 = mlirTypeIsAShaped(qt) && mlirTypeIsABF16(mlirShapedTypeGetElementType(qt));
  }
  bool wide = t.lanes >= 16;
  /* bf16 on the dot product consumes K and V twice as fast as f32: dense
   * tiles of 128 rows stream them half as often (Zen 5, 8K, one thread:
   * full 388 -> 411 GFLOP/s at d = 64, 439 -> 459 at d = 128; causal +5% /
   * +1%; bands lose 8%: they keep 64) */
  bool dot_dense = wide && t.bf16dot && bf16;
  *bq = dot_dense ? 128 : wide || head_dim <= 64 ? 64 : 32;
  /* AVX-512: 96 keys, a multiple of the 6-key register block (64 and 128
   * leave keys done one by one) and of the 16-key padding; 64 x 96 measured
   * best of 64/128 x 64/96/120/128/192 at d = 64 and 128 (Sapphire Rapids
   * class, docs/performance.md). */
  *bk = wide ? 96 : (head_dim <= 64 ? 64 : 32);
  if (mlirOperationIsNull(att) || mlirOperationGetNumOperands(att) < 4)
    return;
  MlirValue mask = mlirOperationGetOperand(att, 3);
  /* AVX-512 keeps 64 query rows everywhere: 32 rows are 2 query vectors,
   * half the 6 x 4 register block (measured at 16K, d = 64: residue
   * classes 32 x 32 -> 64 x 32 +8%, fixed(128, 8) 32 x 64 -> 64 x 32
   * +25%). */
  if (lattice_step(mask) > 1) {
    *bq = wide ? 64 : 32;
    *bk = 32;
    return;
  }
  int64_t w = band_width(mask);
  /* wide, or the sample row is empty (a global-rows part: rows that
   * attend every key, elsewhere none): dense tiles */
  if (w >= BAND_WIDE || w == 0)
    return;
  if (wide)
    *bq = 64;
  if (w < 256 && !wide)
    *bq = 32;
  int64_t k = 16, most = wide && w < 256 ? 32 : *bk;
  while (2 * k <= w / 2 && 2 * k <= most)
    k *= 2;
  *bk = k;
}

static MlirWalkResult smallest_random(MlirOperation op, void *user) {
  int64_t *least = user, b;
  if (sattn_op_get_kind(op) == SATTN_RANDOM && sattn_get_int_attr(op, "block", &b) && b > 0 &&
      (*least == 0 || b < *least))
    *least = b;
  return MlirWalkResultAdvance;
}

/* The smallest block of the kernel's `random` terms; 0 when it has none. */
static int64_t random_block(MlirOperation kernel) {
  int64_t least = 0;
  mlirOperationWalk(kernel, smallest_random, &least, MlirWalkPreOrder);
  return least;
}

void tile_choice_part(MlirOperation kernel, cpu_target t, int64_t *bq, int64_t *bk) {
  tile_shape(kernel, t, bq, bk);
  /* A tile that straddles random blocks is partial, and random has no
   * vector predicate: each of its elements calls the runtime's generator.
   * Tiles within one block are whole or empty (random(2, block=32) at 8K,
   * d = 64: 13 -> 82 GFLOP/s; block=16: 9 -> 69; block=8: 3 -> 31). Block
   * sizes are powers of two, so a smaller tile divides the block. */
  int64_t b = random_block(kernel);
  if (b > 0 && b < *bq)
    *bq = b;
  if (b > 0 && b < *bk)
    *bk = b;
}

void tile_choice(MlirOperation copy, MlirOperation copy2, int64_t *block_q, int64_t *block_k,
                 int64_t *block_k1) {
  *block_k1 = *block_k;
  if (*block_q && *block_k)
    return;
  cpu_target t = cpu_target_host();
  int64_t q0, k0, q1, k1;
  tile_choice_part(copy, t, &q0, &k0);
  q1 = q0;
  k1 = k0;
  if (!mlirOperationIsNull(copy2))
    tile_choice_part(copy2, t, &q1, &k1);
  if (!*block_q)
    *block_q = q0 < q1 ? q0 : q1;
  if (!*block_k) {
    *block_k = k0;
    *block_k1 = k1;
  }
}
