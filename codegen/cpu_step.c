/* The tile ops on the CPU with queries in vector lanes (see cpu_step.h;
 * cpu_target.h gives the width W and the ROWS x COLS register block).
 *
 * The state of a query tile lives transposed in the function's scratch:
 * QT[D][BQP] the queries times scale * log2(e) (scores in base-2 units, so
 * the softmax needs exp2 only), AT[D][BQP] the output accumulator, M, L
 * the running max (base 2) and sum, one lane per query row (BQP = block_q
 * rounded up to W). So the softmax statistics are elementwise over keys,
 * with no horizontal reductions, and K and V are read in place, broadcast
 * one element at a time (any strides, any dtype): nothing is packed per
 * step. The first step of a tile packs QT (a flag that tile_init clears).
 * Per step, with n keys:
 *   QK^T   ST[c][q] = sum_d K[c][d] QT[d][q]: ROWS keys x COLS query
 *          vectors of accumulators, one QT vector load per (d, vector)
 *          shared by the ROWS keys' broadcasts; the keys after the last
 *          whole group one by one. bf16 on a CPU with AMX: 32 keys at a
 *          time on tiles (cpu_step_amx.h), QT then unscaled and ST scaled;
 *   mask   (partial tiles) ST[c][q] = -inf where the mask forbids;
 *   softmax per query vector: m_new = max(M, max_c ST), P = 2^(ST - m_new)
 *          by a polynomial (-inf -> exactly 0), L = L 2^(M - m_new) + sum P,
 *          the correction kept in C (the dot product's steps keep M
 *          lazily: one loop guesses it stays, softmax_lazy);
 *   PV     AT[d][q] = AT[d][q] C[q] + sum_c V[c][d] P[c][q]: ROWS head dims
 *          x COLS query vectors carried over the keys. */
#include "cpu_step.h"

#include <math.h>
#include <string.h>

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "build.h"
#include "cpu_step_amx.h"
#include "cpu_step_dot.h"
#include "predicate.h"
#include "tile_sched.h"

enum { PAD = 16 /* padding of keys and query rows, any W */, MAXACC = 32 };

typedef struct vstep {
  MlirValue q, k, v, bb, h, hk, row0, row1, key0, mask;
  /* the next work item's rows (tile_step's q_next ...); next_kv: k_next,
   * v_next are other views than k, v (a lattice's next class) */
  MlirValue q_next, k_next, v_next;
  bool next_kv;
  int64_t BQ;
  cpu_state st;
  MlirValue n, nr, shift, lk64, h64;
  float qscale;
  int64_t D, W, QV;
  int64_t map[80]; /* key_map: where key index c is (tile_sched.h) */
  intptr_t nmap;
  MlirType vt;
  /* the current block: keys / head dims from c, query vectors g0 .. g0+gn */
  MlirValue c;
  int64_t R, g0, gn;
  MlirValue keys[MAXACC]; /* the block's key indices (index) */
  /* The next tile's rows of the block's keys (pf_k/pf_v at pf_j), one
   * line of each prefetched per pf_line head dims of the QK^T loop (a
   * 64-byte line; 16 when D is no whole number of 2-byte lines). */
  MlirValue pf_k[MAXACC], pf_v[MAXACC], pf_j[MAXACC];
  int64_t pf_line;
  /* Partial tiles with a vector mask: the mask is applied first, as 0 or
   * -inf in ST that the scores add to (add_mask), and lo[g] .. hi[g] - 1
   * bound the keys that query vector g may attend; a block of keys skips
   * the query vectors outside (goff: its first query vector, dynamic). */
  bool add_mask, vec_mask; /* vec_mask: the mask has a vector form */
  MlirValue lo[MAXACC], hi[MAXACC], goff;
  /* PV over key segments (pv_segments): lo .. hi hold for the step's PV */
  bool pv_skip;
  /* QK^T on AMX (a bf16 step, cpu_step_amx.h): QT is packed unscaled and
   * the scores scaled after; pack_scale is what the pack multiplies by */
  bool amx;
  float pack_scale;
  /* both products on the bf16 dot product (cpu_step_dot.h): QT packed
   * unscaled into QTV, the scores stored unscaled (the softmax scales them
   * in its FMA); the softmax writes P in key pairs (PP), V's rows are
   * interleaved into VP, and the PV loops run over key pairs.
   * scale_at_store: a step of such a tile that cannot (widened) scales its
   * scores as it stores them */
  bool dot, scale_at_store;
  /* finite: the dot step's scores are finite (no mask; the padding row of
   * an odd step holds PAD_SCORE): its exp2 needs no clamp. kept: whether
   * every chunk of the softmax kept its M (PV then skips C) */
  bool finite;
  MlirValue kept;
  bool skip; /* vector_scores: skip query vectors per block (partial tiles) */
  bool failed;
} vstep;

static MlirValue idx(ir_builder *b, int64_t v) { return ir_const_index(b, v); }

static MlirValue load_f32(ir_builder *b, MlirValue memref, intptr_t n, const MlirValue *ix) {
  MlirValue x = ir_load(b, memref, n, ix);
  return mlirTypeIsAF32(mlirValueGetType(x)) ? x : ir_convert(b, "arith.extf", x, ir_f32(b));
}

/* Chunk g of `total` vectors cut into ceil(total / cols) chunks of sizes
 * differing by at most one (8 = 3 + 3 + 2, never 3 + 3 + 1 + 1). */
static int64_t chunks(int64_t total, int64_t cols) { return (total + cols - 1) / cols; }
static void chunk_at(int64_t total, int64_t cols, int64_t g, int64_t *first, int64_t *size) {
  int64_t nch = chunks(total, cols), base = total / nch, extra = total % nch;
  *first = g * base + (g < extra ? g : extra);
  *size = base + (g < extra ? 1 : 0);
}

/* The key of tile column c: key0 + c, or a stripe's gathered column. */
static MlirValue key_at(vstep *s, ir_builder *b, MlirValue c) {
  MlirValue k = ir_binary(b, "arith.addi", s->key0, c);
  if (s->nmap <= 0)
    return k;
  MlirValue j = tile_stripe_map(b, s->map, s->nmap, ir_index_cast(b, k, ir_i64(b)));
  return ir_index_cast(b, j, ir_index(b));
}

/* Line d0 of row r of the next work item's tile prefetched: row
 * row0 + BQ + r of `cur` (the next tile of the same rows or residue class)
 * while there is one, else row r of `next` (a lattice's next class). The
 * rows of a residue class lie s rows apart, where no hardware prefetcher
 * looks (causal & stride(128) alone at 4K: 1.9x); contiguous rows gain
 * 2-5% (full, window, band at 8K-32K). */
void prefetch_next_row(ir_builder *b, MlirValue cur, MlirValue next, MlirValue bb, MlirValue h,
                       MlirValue row0, int64_t BQ, MlirValue r, MlirValue d0, bool write) {
  MlirValue j = ir_binary(b, "arith.addi", ir_binary(b, "arith.addi", row0, idx(b, BQ)), r);
  MlirValue past = ir_cmpi(b, "uge", j, ir_dim(b, cur, 2));
  MlirValue last = ir_binary(b, "arith.subi", ir_dim(b, next, 2), idx(b, 1));
  MlirValue row = ir_select(b, past, ir_binary(b, "arith.minui", r, last), j);
  MlirValue at[] = {bb, h, row, d0};
  ir_prefetch(b, ir_select(b, past, next, cur), 4, at, write);
}

/* ---- the query tile, once per tile -------------------------------------------------- */

typedef struct qpack {
  vstep *s;
  MlirValue r;
} qpack;

/* QT[d][r] = q[row0 + r][d] * qscale for r < nr; 0 for the padding lanes
 * (finite scores there, never written out). */
static void pack_q_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  qpack *p = u;
  vstep *s = p->s;
  MlirValue src[] = {s->bb, s->h, ir_binary(b, "arith.addi", s->row0, p->r), d}, dst[] = {d, p->r};
  ir_store(b, ir_binary(b, "arith.mulf", load_f32(b, s->q, 4, src), ir_const_f32(b, s->pack_scale)),
           s->st.qt, 2, dst);
}

static void zero_q_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  qpack *p = u;
  MlirValue dst[] = {d, p->r};
  ir_store(b, ir_const_f32(b, 0.0f), p->s->st.qt, 2, dst);
}

static void pack_q_row(ir_builder *b, MlirValue r, const MlirValue *it, MlirValue *y, void *u) {
  qpack p = {u, r};
  ir_for(b, idx(b, 0), idx(b, p.s->D), idx(b, 1), 0, NULL, pack_q_d, &p);
}

static void zero_q_row(ir_builder *b, MlirValue r, const MlirValue *it, MlirValue *y, void *u) {
  qpack p = {u, r};
  ir_for(b, idx(b, 0), idx(b, p.s->D), idx(b, 1), 0, NULL, zero_q_d, &p);
}

/* log2(W) stages of two-source shuffles; the stage of size h swaps the
 * off-diagonal h x h blocks of every 2h x 2h block. */
void cpu_step_transpose(ir_builder *b, MlirValue *rows, int64_t W) {
  for (int64_t h = W / 2; h >= 1; h /= 2)
    for (int64_t i = 0; i < W; i++) {
      if (i & h)
        continue;
      int64_t lo[16], hi[16];
      for (int64_t j = 0; j < W; j++) {
        lo[j] = (j & h) ? W + j - h : j;
        hi[j] = (j & h) ? W + j : j + h;
      }
      MlirValue x = rows[i], y = rows[i + h];
      rows[i] = ir_shuffle(b, x, y, W, lo);
      rows[i + h] = ir_shuffle(b, x, y, W, hi);
    }
}

/* QT[d0 .. d0+W-1][r .. r+W-1] from W whole query rows: W vector loads of
 * the rows (unit stride), a transpose in registers, W vector stores. The
 * scalar pack (pack_q_row) wrote one element per load and store, and LLVM
 * turned it into scatters: 20% of a residue-class kernel's time. */
static void pack_q_block(ir_builder *b, MlirValue d0, const MlirValue *it, MlirValue *y, void *u) {
  qpack *p = u;
  vstep *s = p->s;
  MlirType et = mlirShapedTypeGetElementType(mlirValueGetType(s->q));
  MlirValue rows[16];
  for (int64_t i = 0; i < s->W; i++) {
    MlirValue row = ir_binary(b, "arith.addi", s->row0, ir_binary(b, "arith.addi", p->r, idx(b, i)));
    MlirValue at[] = {s->bb, s->h, row, d0};
    rows[i] = ir_vload(b, ir_vec(b, et, s->W), s->q, 4, at);
    prefetch_next_row(b, s->q, s->q_next, s->bb, s->h, s->row0, s->BQ,
                      ir_binary(b, "arith.addi", p->r, idx(b, i)), d0, false);
    if (!mlirTypeIsAF32(et))
      rows[i] = ir_convert(b, "arith.extf", rows[i], s->vt);
  }
  cpu_step_transpose(b, rows, s->W);
  MlirValue scale = ir_splat_f32(b, s->vt, s->pack_scale);
  for (int64_t j = 0; j < s->W; j++) {
    MlirValue at[] = {ir_binary(b, "arith.addi", d0, idx(b, j)), p->r};
    ir_vstore(b, ir_binary(b, "arith.mulf", rows[j], scale), s->st.qt, 2, at);
  }
}

static void pack_q_group(ir_builder *b, MlirValue r, const MlirValue *it, MlirValue *y, void *u) {
  qpack p = {u, r};
  ir_for(b, idx(b, 0), idx(b, p.s->D), idx(b, p.s->W), 0, NULL, pack_q_block, &p);
}

static void pack_q(ir_builder *b, MlirValue *out, void *u) {
  vstep *s = u;
  /* whole groups of W rows transposed in registers, the rest row by row */
  MlirValue W = idx(b, s->W);
  MlirValue whole = idx(b, 0);
  if (ir_unit_inner_stride(s->q)) {
    whole = ir_binary(b, "arith.muli", ir_binary(b, "arith.divui", s->nr, W), W);
    ir_for(b, idx(b, 0), whole, W, 0, NULL, pack_q_group, s);
  }
  ir_for(b, whole, s->nr, idx(b, 1), 0, NULL, pack_q_row, s);
  ir_for(b, s->nr, idx(b, s->QV * s->W), idx(b, 1), 0, NULL, zero_q_row, s);
  if (s->st.qtv.ptr)
    cpu_amx_pack_pairs(b, s->st.qt, s->st.qtv, s->D, s->QV * s->W);
  MlirValue z = idx(b, 0);
  ir_store(b, ir_const_int(b, ir_i8(b), 1), s->st.flag, 1, &z);
}

/* ---- exp2 ------------------------------------------------------------------------- */

/* 2^x for x <= 0 (or -inf -> exactly 0) on a vector. 2^f, f = x - n in
 * [-1/2, 1/2] for n = round(x), is a polynomial fitted for relative error
 * (degree 5: 2.4e-7 in f32), its constant term exactly 1 so that 2^0 = 1:
 * the correction of a row whose max did not move is exactly 1 (a fitted
 * 1 + 2^-23 compounded over thousands of steps biased long rows' lse).
 * With 16 lanes (AVX-512) in degree + 4 ops: x clamped at -200, n by
 * vrndscaleps, the polynomial times 2^n by vscalefps (0 below 2^-149:
 * exactly 0 where the score was -inf). With 8 lanes (AVX2) in degree + 6:
 * x clamped at -127; s = x + (1.5 * 2^23 + 127) rounds it, so that
 * s - (1.5 * 2^23 + 127) = n and the low bits of s hold n + 127: shifted
 * left by 23 they are the bits of 2^n (0.0 for n = -127). */
static MlirValue vexp2_poly(vstep *s, ir_builder *b, MlirValue x, const float *c, int deg,
                            bool finite) {
  MlirType vt = s->vt, i32 = mlirIntegerTypeGet(b->ctx, 32), vi = ir_vec(b, i32, s->W);
  bool scalef = s->W == 16;
  const float magic = 12582912.0f + 127.0f;
  /* finite x (vscalefps): no clamp; n = x itself past 2^23, f = 0, and
   * 2^n underflows to 0 */
  MlirValue lo = ir_splat_f32(b, vt, scalef ? -200.0f : -127.0f);
  MlirValue t = scalef && finite ? x : ir_max_ordered(b, x, lo);
  MlirValue sm = {NULL}, nf;
  if (scalef) {
    nf = ir_unary(b, "math.roundeven", t);
  } else {
    sm = ir_binary(b, "arith.addf", t, ir_splat_f32(b, vt, magic));
    nf = ir_binary(b, "arith.subf", sm, ir_splat_f32(b, vt, magic));
  }
  MlirValue f = ir_binary(b, "arith.subf", t, nf);
  MlirValue poly = ir_splat_f32(b, vt, c[deg]);
  for (int k = deg - 1; k >= 0; k--)
    poly = ir_fma(b, poly, f, ir_splat_f32(b, vt, c[k]));
  if (scalef)
    return cpu_scalef(b, poly, nf);
  MlirValue bits = ir_binary(b, "arith.shli", ir_convert(b, "arith.bitcast", sm, vi),
                             ir_broadcast(b, ir_const_int(b, i32, 23), vi));
  return ir_binary(b, "arith.mulf", poly, ir_convert(b, "arith.bitcast", bits, vt));
}

static MlirValue vexp2(vstep *s, ir_builder *b, MlirValue x) {
  static const float c[] = {1.0f, 0.6931469440460205f, 0.24022120237350464f,
                            0.05550713464617729f, 0.009675540961325169f,
                            0.0013276381650939584f};
  return vexp2_poly(s, b, x, c, 5, false);
}

/* The same with a degree-4 polynomial (relative error 2.8e-6) for the
 * weights of the dot product, rounded to bf16 next (2^-9): one FMA fewer
 * per vector. Not degree 3 (1.0e-4): the sums L carry the f32 weights into
 * the lse, which is kept to 1e-5. */
static MlirValue vexp2_bf16(vstep *s, ir_builder *b, MlirValue x) {
  static const float c[] = {1.0f, 0.6931241750717163f, 0.24024099111557007f,
                            0.055906400084495544f, 0.009582829661667347f};
  return vexp2_poly(s, b, x, c, 4, s->finite);
}

/* ---- prefetch ------------------------------------------------------------------------- */

typedef struct pf_ctx {
  vstep *s;
  MlirValue k, v, j;
} pf_ctx;

/* Where the K and V rows of key c of the tile after this one are (the
 * next tile of a range schedule), to prefetch one per 64-byte line while
 * this tile computes. Rows past the end are clamped to the last, or with
 * a next class (k_next) are its rows from the first: the next work item's
 * first tile. The QK^T block of the same tile column issues them, a line
 * of each of its keys per cache line of head dims (score_line): spread
 * over the step. A burst of 16 per key filled the line-fill buffers and
 * stalled (13% of the time at d = 128); a burst per block of 6 keys still
 * took 11.6% of the samples at d = 128, and spreading it gained 3-7%
 * (full, window). */
static pf_ctx next_rows(vstep *s, ir_builder *b, MlirValue c) {
  MlirValue lk = ir_dim(b, s->k, 2);
  MlirValue last = ir_binary(b, "arith.subi", lk, idx(b, 1));
  MlirValue j = ir_binary(b, "arith.addi", ir_binary(b, "arith.addi", s->key0, s->n), c);
  pf_ctx p = {s, s->k, s->v, ir_binary(b, "arith.minui", j, last)};
  if (s->next_kv) {
    MlirValue past = ir_cmpi(b, "uge", j, lk);
    MlirValue next_last = ir_binary(b, "arith.subi", ir_dim(b, s->k_next, 2), idx(b, 1));
    MlirValue from_next = ir_binary(b, "arith.subi", j, ir_select(b, past, lk, j));
    MlirValue jn = ir_binary(b, "arith.minui", from_next, next_last);
    p.j = ir_select(b, past, jn, p.j);
    p.k = ir_select(b, past, s->k_next, s->k);
    p.v = ir_select(b, past, s->v_next, s->v);
  }
  return p;
}

/* ---- QK^T ------------------------------------------------------------------------- */

/* Column of query vector g of the current block (after goff). */
static MlirValue qcol(vstep *s, ir_builder *b, int64_t g) {
  MlirValue c = idx(b, g * s->W);
  if (s->goff.ptr)
    c = ir_binary(b, "arith.addi", c, ir_binary(b, "arith.muli", s->goff, idx(b, s->W)));
  return c;
}

/* Head dims d, d + 1 on the dot product: QTV row d / 2 against K's pair. */
static void score_d_pair(vstep *s, ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y) {
  MlirValue qv[MAXACC];
  MlirValue i = ir_binary(b, "arith.divui", d, idx(b, 2));
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {i, ir_binary(b, "arith.muli", qcol(s, b, s->g0 + g), idx(b, 2))};
    qv[g] = ir_vload(b, ir_vec(b, mlirBF16TypeGet(b->ctx), 2 * s->W), s->st.qtv, 2, at);
  }
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue at[] = {s->bb, s->hk, s->keys[r], d};
    MlirValue kb = cpu_dot_pair(b, s->k, 4, at);
    for (int64_t g = 0; g < s->gn; g++)
      y[r * s->gn + g] = cpu_dot(b, it[r * s->gn + g], kb, qv[g]);
  }
}

static void score_d(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  if (s->dot) {
    score_d_pair(s, b, d, it, y);
    return;
  }
  MlirValue qv[MAXACC];
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {d, qcol(s, b, s->g0 + g)};
    qv[g] = ir_vload(b, s->vt, s->st.qt, 2, at);
  }
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue at[] = {s->bb, s->hk, s->keys[r], d};
    MlirValue kb = ir_broadcast(b, load_f32(b, s->k, 4, at), s->vt);
    for (int64_t g = 0; g < s->gn; g++)
      y[r * s->gn + g] = ir_fma(b, kb, qv[g], it[r * s->gn + g]);
  }
}

/* The block's keys (s->keys) and the prefetch of the next tile's rows. */
static void block_keys(vstep *s, ir_builder *b, MlirValue c) {
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue cr = ir_binary(b, "arith.addi", c, idx(b, r));
    s->keys[r] = key_at(s, b, cr);
    if (s->nmap <= 0) {
      pf_ctx p = next_rows(s, b, cr);
      s->pf_k[r] = p.k, s->pf_v[r] = p.v, s->pf_j[r] = p.j;
    }
  }
}

/* score_d over the head dims of one cache line of K (16 f32, 32 bf16),
 * after the prefetch of that line of the next tile's K and V rows of the
 * block's keys: 2 R prefetches per line. */
static void score_line(ir_builder *b, MlirValue d0, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue at[] = {s->bb, s->hk, s->pf_j[r], d0};
    ir_prefetch(b, s->pf_k[r], 4, at, false);
    ir_prefetch(b, s->pf_v[r], 4, at, false);
  }
  MlirOperation dl = ir_for(b, d0, ir_binary(b, "arith.addi", d0, idx(b, s->pf_line)),
                            idx(b, s->dot ? 2 : 1), s->R * s->gn, it, score_d, s);
  for (int64_t a = 0; a < s->R * s->gn; a++)
    y[a] = mlirOperationGetResult(dl, a);
}

/* ST rows c .. c + R - 1, query vector chunk by chunk (with goff: the
 * QV / 2 vectors from it). */
static void block_scores(vstep *s, ir_builder *b, MlirValue c) {
  int64_t cols = s->R == 1 ? 2 * s->st.t.cols : s->st.t.cols;
  int64_t nch = s->goff.ptr ? 1 : chunks(s->QV, cols);
  for (int64_t ch = 0; ch < nch; ch++) {
    if (s->goff.ptr)
      s->g0 = 0, s->gn = s->QV / 2;
    else
      chunk_at(s->QV, cols, ch, &s->g0, &s->gn);
    MlirValue zeros[MAXACC];
    for (int64_t a = 0; a < s->R * s->gn; a++)
      zeros[a] = ir_splat_f32(b, s->vt, 0.0f);
    /* the first chunk prefetches, a line per pf_line head dims */
    bool lines = s->nmap <= 0 && ch == 0;
    MlirOperation dl = ir_for(b, idx(b, 0), idx(b, s->D), idx(b, lines ? s->pf_line : s->dot ? 2 : 1),
                              s->R * s->gn, zeros, lines ? score_line : score_d, s);
    for (int64_t r = 0; r < s->R; r++)
      for (int64_t g = 0; g < s->gn; g++) {
        MlirValue at[] = {ir_binary(b, "arith.addi", c, idx(b, r)), qcol(s, b, s->g0 + g)};
        MlirValue x = mlirOperationGetResult(dl, r * s->gn + g);
        if (s->scale_at_store)
          x = ir_binary(b, "arith.mulf", x, ir_splat_f32(b, s->vt, s->qscale));
        if (s->add_mask)
          x = ir_binary(b, "arith.addf", x, ir_vload(b, s->vt, s->st.st, 2, at));
        ir_vstore(b, x, s->st.st, 2, at);
      }
  }
}

static void score_keys(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  block_keys(s, b, c);
  block_scores(s, b, c);
}

/* A block of keys c .. c + R - 1 of a partial tile: query vector g takes
 * part if lo[g] < c + R and hi[g] > c. None: nothing to compute (ST holds
 * the mask's -inf). At most half of them, first f: the QV / 2 vectors from
 * min(f, QV / 2). Else all. */
typedef struct skip_ctx {
  vstep *s;
  MlirValue c, first, width;
} skip_ctx;

static void skip_all(ir_builder *b, MlirValue *out, void *u) {
  skip_ctx *k = u;
  block_scores(k->s, b, k->c);
}

static void skip_half(ir_builder *b, MlirValue *out, void *u) {
  skip_ctx *k = u;
  vstep *s = k->s;
  s->goff = ir_binary(b, "arith.minui", k->first, idx(b, s->QV / 2));
  block_scores(s, b, k->c);
  s->goff = (MlirValue){NULL};
}

static void skip_some(ir_builder *b, MlirValue *out, void *u) {
  skip_ctx *k = u;
  MlirValue half = ir_cmpi(b, "ule", k->width, idx(b, k->s->QV / 2));
  ir_if(b, half, 0, NULL, skip_half, skip_all, k);
}

static void score_keys_skipping(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y,
                                void *u) {
  vstep *s = u;
  block_keys(s, b, c);
  MlirValue end = ir_binary(b, "arith.addi", c, idx(b, s->R));
  MlirValue act[MAXACC], first = idx(b, s->QV), last = idx(b, 0), any = ir_const_bool(b, false);
  for (int64_t g = 0; g < s->QV; g++) {
    act[g] = ir_binary(b, "arith.andi", ir_cmpi(b, "ult", s->lo[g], end),
                       ir_cmpi(b, "ugt", s->hi[g], c));
    last = ir_select(b, act[g], idx(b, g), last);
    any = ir_binary(b, "arith.ori", any, act[g]);
  }
  for (int64_t g = s->QV - 1; g >= 0; g--) /* the lowest active g */
    first = ir_select(b, act[g], idx(b, g), first);
  skip_ctx k = {s, c, first,
                ir_binary(b, "arith.addi", ir_binary(b, "arith.subi", last, first), idx(b, 1))};
  ir_if(b, any, 0, NULL, skip_some, NULL, &k);
}

/* ---- the mask of a partial tile ---------------------------------------------------- */

typedef struct mask_ctx {
  vstep *s;
  MlirValue r, c;
} mask_ctx;

static void set_ninf(ir_builder *b, MlirValue *out, void *u) {
  mask_ctx *mc = u;
  MlirValue at[] = {mc->c, mc->r};
  ir_store(b, ir_const_f32(b, -INFINITY), mc->s->st.st, 2, at);
}

/* ST[c][r] = -inf where the mask forbids (p_r, key(c)). */
static void mask_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  mask_ctx *mc = u;
  vstep *s = mc->s;
  if (s->failed)
    return;
  pred_env env = {s->lk64, s->h64};
  MlirValue row = ir_binary(b, "arith.addi", s->row0, mc->r);
  MlirValue p = ir_binary(b, "arith.addi", ir_index_cast(b, row, ir_i64(b)), s->shift);
  MlirValue j64 = ir_index_cast(b, key_at(s, b, c), ir_i64(b));
  MlirValue ok = predicate_emit(b, s->mask, p, j64, &env);
  if (!ok.ptr) {
    s->failed = true;
    return;
  }
  mask_ctx inner = {s, mc->r, c};
  ir_if(b, ir_binary(b, "arith.xori", ok, ir_const_bool(b, true)), 0, NULL, set_ninf, NULL, &inner);
}

/* The mask of key c for query vector g (vector<W x i1>), or null with
 * s->failed set. */
static MlirValue mask_vec(vstep *s, ir_builder *b, MlirValue c, int64_t g) {
  pred_env env = {s->lk64, s->h64};
  MlirType i64 = ir_i64(b), vi64 = ir_vec(b, i64, s->W);
  int32_t lanes[16];
  for (int k = 0; k < 16; k++)
    lanes[k] = k;
  MlirValue iota = ir_convert(b, "arith.extsi", ir_const_vec_i32(b, s->W, lanes), vi64);
  MlirValue p0 = ir_binary(b, "arith.addi", ir_index_cast(b, s->row0, i64), s->shift);
  MlirValue pg = ir_binary(b, "arith.addi", p0, ir_const_int(b, i64, g * s->W));
  MlirValue p = ir_binary(b, "arith.addi", ir_broadcast(b, pg, vi64), iota);
  MlirValue j = ir_broadcast(b, ir_index_cast(b, key_at(s, b, c), i64), vi64);
  MlirValue ok = predicate_emit_vec(b, s->mask, p, j, &env);
  if (!ok.ptr)
    s->failed = true;
  return ok;
}

/* The same for all rows of the tile at once, a query vector at a time,
 * when the predicate has a vector form (no random). */
static void mask_key_vec(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue ninf = ir_splat_f32(b, s->vt, -INFINITY);
  for (int64_t g = 0; g < s->QV && !s->failed; g++) {
    MlirValue ok = mask_vec(s, b, c, g);
    if (!ok.ptr)
      return;
    MlirValue at[] = {c, idx(b, g * s->W)};
    ir_vstore(b, ir_select(b, ok, ir_vload(b, s->vt, s->st.st, 2, at), ninf), s->st.st, 2, at);
  }
}

/* The mask first (partial tiles whose scores skip): ST[c][q] = 0 where
 * allowed, -inf where not, and per query vector g the carried bounds
 * lo[g] (first key c with an allowed lane; n if none) and hi[g] (one past
 * the last). */
static void mask_first_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y,
                           void *u) {
  vstep *s = u;
  MlirValue ninf = ir_splat_f32(b, s->vt, -INFINITY), zero = ir_splat_f32(b, s->vt, 0.0f);
  MlirValue next = ir_binary(b, "arith.addi", c, idx(b, 1));
  for (int64_t k = 0; k < 2 * s->QV; k++)
    y[k] = it[k]; /* what the loop yields if the mask fails (the lowering is then dropped) */
  for (int64_t g = 0; g < s->QV && !s->failed; g++) {
    MlirValue ok = mask_vec(s, b, c, g);
    if (!ok.ptr)
      return;
    MlirValue at[] = {c, idx(b, g * s->W)};
    ir_vstore(b, ir_select(b, ok, zero, ninf), s->st.st, 2, at);
    MlirValue any = ir_reduce(b, "or", ok);
    y[2 * g] = ir_select(b, any, ir_binary(b, "arith.minui", it[2 * g], c), it[2 * g]);
    y[2 * g + 1] = ir_select(b, any, next, it[2 * g + 1]);
  }
}

static void mask_row(ir_builder *b, MlirValue r, const MlirValue *it, MlirValue *y, void *u) {
  mask_ctx mc = {u, r, {NULL}};
  ir_for(b, idx(b, 0), mc.s->n, idx(b, 1), 0, NULL, mask_key, &mc);
}

/* ---- softmax ------------------------------------------------------------------------ */

/* Query vectors per softmax pass: the loops carry one value each. */
enum { SOFT_CHUNK = 8, LAZY_CHUNK = 4 };

typedef struct soft_ctx {
  vstep *s;
  int64_t g0, gn; /* the query vectors g0 .. g0 + gn - 1 */
  MlirValue m_use[SOFT_CHUNK];
  MlirValue m_neg[SOFT_CHUNK]; /* -m_use (exp_pair) */
  /* the lazy maximum (softmax_lazy): exp_pair also carries the maxima of
   * the raw scores; m_old the chunk's M */
  bool track_max;
  MlirValue m_old[SOFT_CHUNK];
} soft_ctx;

/* Key c of every query vector: the running maxima. */
static void max_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  soft_ctx *x = u;
  for (int64_t g = 0; g < x->gn; g++) {
    MlirValue at[] = {c, idx(b, (x->g0 + g) * x->s->W)};
    y[g] = ir_max_ordered(b, it[g], ir_vload(b, x->s->vt, x->s->st.st, 2, at));
  }
}

/* Key c of every query vector: P = 2^(ST - m) in place, the running sums. */
static void exp_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  soft_ctx *x = u;
  for (int64_t g = 0; g < x->gn; g++) {
    MlirValue at[] = {c, idx(b, (x->g0 + g) * x->s->W)};
    MlirValue p = vexp2(x->s, b, ir_binary(b, "arith.subf", ir_vload(b, x->s->vt, x->s->st.st, 2, at),
                                           x->m_use[g]));
    ir_vstore(b, p, x->s->st.st, 2, at);
    y[g] = ir_binary(b, "arith.addf", it[g], p);
  }
}

/* Keys 2i, 2i + 1 of every query vector on the dot product: P into PP as
 * bf16 pairs (ST keeps the scores), the running sums of both. */
static void exp_pair(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  soft_ctx *x = u;
  vstep *s = x->s;
  MlirValue c0 = ir_binary(b, "arith.muli", i, idx(b, 2));
  MlirValue c[] = {c0, ir_binary(b, "arith.addi", c0, idx(b, 1))};
  for (int64_t g = 0; g < x->gn; g++) {
    MlirValue p[2], sc[2];
    for (int j = 0; j < 2; j++) {
      MlirValue at[] = {c[j], idx(b, (x->g0 + g) * s->W)};
      sc[j] = ir_vload(b, s->vt, s->st.st, 2, at);
      /* the scores are unscaled here: ST scale - m */
      p[j] = vexp2_bf16(s, b, ir_fma(b, sc[j], ir_splat_f32(b, s->vt, s->qscale), x->m_neg[g]));
    }
    MlirValue at[] = {i, idx(b, 2 * (x->g0 + g) * s->W)};
    ir_vstore(b, cpu_dot_pack_p(b, p[0], p[1]), s->st.pp, 2, at);
    y[g] = ir_binary(b, "arith.addf", ir_binary(b, "arith.addf", it[g], p[0]), p[1]);
    if (x->track_max)
      y[x->gn + g] = ir_max_ordered(b, it[x->gn + g], ir_max_ordered(b, sc[0], sc[1]));
  }
}

/* The step's keys in pairs, ceil(n / 2) (the dot product's PV). */
static MlirValue key_pairs(vstep *s, ir_builder *b) {
  return ir_binary(b, "arith.divui", ir_binary(b, "arith.addi", s->n, idx(b, 1)), idx(b, 2));
}

/* The softmax of steps on FMAs (the dot product's: softmax_lazy, below).
 * The query vectors g0 .. g0 + gn - 1 at once (one loop over the keys for
 * the maxima, one for the exponentials; a pair of loops per query vector
 * cost gn times the loop overhead): P = 2^(ST - m_new) in ST, M and L
 * updated, the correction 2^(M - m_new) of AT into C. A row with no
 * allowed key yet has m_new = -inf: it uses 0 in its place, so P = 0 and
 * the correction 0 (AT and L are 0 then). */
static void softmax_chunk(vstep *s, ir_builder *b, int64_t g0, int64_t gn) {
  soft_ctx x;
  memset(&x, 0, sizeof x);
  x.s = s, x.g0 = g0, x.gn = gn;
  MlirValue ninf = ir_splat_f32(b, s->vt, -INFINITY), zero = ir_splat_f32(b, s->vt, 0.0f);
  MlirValue init[SOFT_CHUNK], m_old[SOFT_CHUNK], m_new[SOFT_CHUNK], col[SOFT_CHUNK];
  for (int64_t g = 0; g < gn; g++)
    init[g] = ninf;
  MlirOperation mx = ir_for(b, idx(b, 0), s->n, idx(b, 1), gn, init, max_key, &x);
  for (int64_t g = 0; g < gn; g++) {
    col[g] = idx(b, (g0 + g) * s->W);
    m_old[g] = ir_vload(b, s->vt, s->st.m, 1, &col[g]);
    m_new[g] = ir_max_ordered(b, m_old[g], mlirOperationGetResult(mx, g));
    x.m_use[g] = ir_select(b, ir_cmpf(b, "oeq", m_new[g], ninf), zero, m_new[g]);
    x.m_neg[g] = ir_unary(b, "arith.negf", x.m_use[g]);
    init[g] = zero;
  }
  MlirOperation sums = ir_for(b, idx(b, 0), s->n, idx(b, 1), gn, init, exp_key, &x);
  for (int64_t g = 0; g < gn; g++) {
    MlirValue corr = vexp2(s, b, ir_binary(b, "arith.subf", m_old[g], x.m_use[g]));
    ir_vstore(b, corr, s->st.corr, 1, &col[g]);
    ir_vstore(b, ir_fma(b, ir_vload(b, s->vt, s->st.l, 1, &col[g]), corr,
                        mlirOperationGetResult(sums, g)),
              s->st.l, 1, &col[g]);
    ir_vstore(b, m_new[g], s->st.m, 1, &col[g]);
  }
}

/* ST row n = -inf (an odd step on the dot product: its last pair's
 * second key weighs exactly 0; ST has a padding row there), or PAD_SCORE
 * in a step of finite scores: -1e30 times scale (s->finite: below 1e7)
 * stays finite, and its weight is 0 all the same. */
#define PAD_SCORE -1e30f

static void pad_row(ir_builder *b, MlirValue *out, void *u) {
  vstep *s = u;
  for (int64_t g = 0; g < s->QV; g++) {
    MlirValue at[] = {s->n, idx(b, g * s->W)};
    ir_vstore(b, ir_splat_f32(b, s->vt, s->finite ? PAD_SCORE : -INFINITY), s->st.st, 2, at);
  }
}

/* ---- the lazy maximum (the dot product) ------------------------------------------------ */

/* How far (base 2) a row's scores may rise above its M before M moves:
 * the weights stay below 2^LAZY = 256 (bf16 and the f32 sums hold that
 * with room to spare). */
#define LAZY 8.0f

static MlirValue scaled_max(vstep *s, ir_builder *b, MlirValue mx) {
  /* unscaled scores: their maximum scaled (scale > 0) */
  return ir_binary(b, "arith.mulf", mx, ir_splat_f32(b, s->vt, s->qscale));
}

/* Whether a lane's scaled maximum mx rises above M by more than LAZY
 * (M = -inf: every finite mx does). */
static MlirValue rises(vstep *s, ir_builder *b, MlirValue mx, MlirValue m_old) {
  return ir_cmpf(b, "ogt", mx, ir_binary(b, "arith.addf", m_old, ir_splat_f32(b, s->vt, LAZY)));
}

static void m_for_exp(soft_ctx *x, ir_builder *b, int64_t g, MlirValue m) {
  vstep *s = x->s;
  x->m_use[g] = ir_select(b, ir_cmpf(b, "oeq", m, ir_splat_f32(b, s->vt, -INFINITY)),
                          ir_splat_f32(b, s->vt, 0.0f), m);
  x->m_neg[g] = ir_unary(b, "arith.negf", x->m_use[g]);
}

/* The guess: P = 2^(ST - M) with M as it is, the maxima of the scores
 * taken in the same loop; out: the sums, the scaled maxima, and whether
 * any lane rose (the guess then void). */
static void lazy_guess(ir_builder *b, MlirValue *out, void *u) {
  soft_ctx *x = u;
  vstep *s = x->s;
  MlirValue init[2 * SOFT_CHUNK];
  for (int64_t g = 0; g < x->gn; g++) {
    m_for_exp(x, b, g, x->m_old[g]);
    init[g] = ir_splat_f32(b, s->vt, 0.0f);
    init[x->gn + g] = ir_splat_f32(b, s->vt, -INFINITY);
  }
  x->track_max = true;
  MlirOperation loop =
      ir_for(b, idx(b, 0), key_pairs(s, b), idx(b, 1), 2 * x->gn, init, exp_pair, x);
  x->track_max = false;
  MlirValue any = ir_const_int(b, ir_i1(b), 0);
  for (int64_t g = 0; g < x->gn; g++) {
    out[g] = mlirOperationGetResult(loop, g);
    out[x->gn + g] = scaled_max(s, b, mlirOperationGetResult(loop, x->gn + g));
    MlirValue rose = ir_reduce(b, "or", rises(s, b, out[x->gn + g], x->m_old[g]));
    any = ir_binary(b, "arith.ori", any, rose);
  }
  out[2 * x->gn] = any;
}

/* No guess (a row of the chunk has no M yet: the tile's first step, or a
 * row masked so far): the maxima by a pass of their own. */
static void lazy_max_pass(ir_builder *b, MlirValue *out, void *u) {
  soft_ctx *x = u;
  vstep *s = x->s;
  MlirValue init[SOFT_CHUNK];
  for (int64_t g = 0; g < x->gn; g++)
    init[g] = ir_splat_f32(b, s->vt, -INFINITY);
  MlirOperation mx = ir_for(b, idx(b, 0), s->n, idx(b, 1), x->gn, init, max_key, x);
  for (int64_t g = 0; g < x->gn; g++) {
    out[g] = ir_splat_f32(b, s->vt, 0.0f);
    out[x->gn + g] = scaled_max(s, b, mlirOperationGetResult(mx, g));
  }
  out[2 * x->gn] = ir_const_int(b, ir_i1(b), 1);
}

typedef struct lazy_ctx {
  soft_ctx *x;
  MlirValue sums[SOFT_CHUNK], mx[SOFT_CHUNK]; /* the guess's sums and scaled maxima */
} lazy_ctx;

/* The guess holds: M stays, the correction is 1. */
static void lazy_keep(ir_builder *b, MlirValue *out, void *u) {
  lazy_ctx *l = u;
  soft_ctx *x = l->x;
  for (int64_t g = 0; g < x->gn; g++) {
    out[g] = l->sums[g];
    out[x->gn + g] = x->m_old[g];
    out[2 * x->gn + g] = ir_splat_f32(b, x->s->vt, 1.0f);
  }
}

/* M moves in the lanes that rose (to their maximum), P again from it. */
static void lazy_move(ir_builder *b, MlirValue *out, void *u) {
  lazy_ctx *l = u;
  soft_ctx *x = l->x;
  vstep *s = x->s;
  MlirValue init[SOFT_CHUNK];
  for (int64_t g = 0; g < x->gn; g++) {
    MlirValue mx = l->mx[g];
    out[x->gn + g] = ir_select(b, rises(s, b, mx, x->m_old[g]), mx, x->m_old[g]);
    m_for_exp(x, b, g, out[x->gn + g]);
    init[g] = ir_splat_f32(b, s->vt, 0.0f);
  }
  MlirOperation sums =
      ir_for(b, idx(b, 0), key_pairs(s, b), idx(b, 1), x->gn, init, exp_pair, x);
  for (int64_t g = 0; g < x->gn; g++) {
    out[g] = mlirOperationGetResult(sums, g);
    out[2 * x->gn + g] = vexp2(s, b, ir_binary(b, "arith.subf", x->m_old[g], x->m_use[g]));
  }
}

/* M of the chunk's query vectors into x->m_old (col: their columns);
 * whether every lane has one. */
static MlirValue chunk_m(vstep *s, ir_builder *b, soft_ctx *x, MlirValue *col) {
  MlirValue has_m = ir_const_int(b, ir_i1(b), 1);
  for (int64_t g = 0; g < x->gn; g++) {
    col[g] = idx(b, (x->g0 + g) * s->W);
    x->m_old[g] = ir_vload(b, s->vt, s->st.m, 1, &col[g]);
    MlirValue none = ir_cmpf(b, "oeq", x->m_old[g], ir_splat_f32(b, s->vt, -INFINITY));
    has_m = ir_binary(b, "arith.andi", has_m,
                      ir_binary(b, "arith.xori", ir_reduce(b, "or", none),
                                ir_const_int(b, ir_i1(b), 1)));
  }
  return has_m;
}

/* After a guess (its sums, scaled maxima and void flag): keep M or move
 * it, then C, L and M stored. */
static void lazy_settle(vstep *s, ir_builder *b, soft_ctx *x, const MlirValue *col,
                        const MlirValue *sums, const MlirValue *mx, MlirValue void_guess) {
  int64_t gn = x->gn;
  lazy_ctx l = {x, {{NULL}}, {{NULL}}};
  MlirType types[3 * SOFT_CHUNK];
  for (int64_t g = 0; g < gn; g++) {
    l.sums[g] = sums[g], l.mx[g] = mx[g];
    types[g] = types[gn + g] = types[2 * gn + g] = s->vt;
  }
  MlirOperation res = ir_if(b, void_guess, 3 * gn, types, lazy_move, lazy_keep, &l);
  for (int64_t g = 0; g < gn; g++) {
    MlirValue corr = mlirOperationGetResult(res, 2 * gn + g);
    ir_vstore(b, corr, s->st.corr, 1, &col[g]);
    ir_vstore(b, ir_fma(b, ir_vload(b, s->vt, s->st.l, 1, &col[g]), corr,
                        mlirOperationGetResult(res, g)),
              s->st.l, 1, &col[g]);
    ir_vstore(b, mlirOperationGetResult(res, gn + g), s->st.m, 1, &col[g]);
  }
}

/* The softmax of the dot product with a lazy maximum (as FlashAttention 4
 * does on GPUs): M is a reference that moves only where a step's scores
 * rise above it by more than LAZY, so the usual step guesses that it
 * stays: one loop over the scores computes P = 2^(ST - M) and the step's
 * maxima at once (the maxima cost a separate pass over ST before, 4% of
 * a step at d = 64), and the correction C is 1. Where a lane rose, M
 * moves there and P is computed again (ST keeps the scores; P goes to
 * PP). The result is the same softmax: out = AT / L and lse = M + log L
 * for any M at or above the scores' maximum minus LAZY.
 * Returns whether the chunk moved its M. */
static MlirValue softmax_lazy(vstep *s, ir_builder *b, int64_t g0, int64_t gn) {
  soft_ctx x;
  memset(&x, 0, sizeof x);
  x.s = s, x.g0 = g0, x.gn = gn;
  MlirValue col[SOFT_CHUNK];
  MlirValue has_m = chunk_m(s, b, &x, col);
  MlirType types[2 * SOFT_CHUNK + 1];
  for (int64_t g = 0; g < 2 * gn; g++)
    types[g] = s->vt;
  types[2 * gn] = ir_i1(b);
  MlirOperation guess = ir_if(b, has_m, 2 * gn + 1, types, lazy_guess, lazy_max_pass, &x);
  MlirValue sums[SOFT_CHUNK], mx[SOFT_CHUNK];
  for (int64_t g = 0; g < gn; g++) {
    sums[g] = mlirOperationGetResult(guess, g);
    mx[g] = mlirOperationGetResult(guess, gn + g);
  }
  MlirValue void_guess = mlirOperationGetResult(guess, 2 * gn);
  lazy_settle(s, b, &x, col, sums, mx, void_guess);
  return void_guess;
}

static void softmax(vstep *s, ir_builder *b) {
  if (s->dot) {
    MlirValue odd = ir_cmpi(b, "ne", ir_binary(b, "arith.andi", s->n, idx(b, 1)), idx(b, 0));
    ir_if(b, odd, 0, NULL, pad_row, NULL, s);
    MlirValue moved = ir_const_int(b, ir_i1(b), 0);
    for (int64_t g0 = 0; g0 < s->QV; g0 += LAZY_CHUNK)
      moved = ir_binary(b, "arith.ori", moved,
                        softmax_lazy(s, b, g0, s->QV - g0 < LAZY_CHUNK ? s->QV - g0 : LAZY_CHUNK));
    s->kept = ir_binary(b, "arith.xori", moved, ir_const_int(b, ir_i1(b), 1));
    return;
  }
  for (int64_t g0 = 0; g0 < s->QV; g0 += SOFT_CHUNK)
    softmax_chunk(s, b, g0, s->QV - g0 < SOFT_CHUNK ? s->QV - g0 : SOFT_CHUNK);
}

/* ---- PV ------------------------------------------------------------------------------ */

/* Key pair i on the dot product: PP row i against VP's pairs of head
 * dims c .. c + R - 1. */
static void pv_pair(vstep *s, ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y) {
  MlirValue pv[MAXACC];
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {i, idx(b, 2 * (s->g0 + g) * s->W)};
    pv[g] = ir_vload(b, ir_vec(b, mlirBF16TypeGet(b->ctx), 2 * s->W), s->st.pp, 2, at);
  }
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue d = ir_binary(b, "arith.addi", s->c, idx(b, r));
    MlirValue at[] = {i, ir_binary(b, "arith.muli", d, idx(b, 2))};
    MlirValue vb = cpu_dot_pair(b, s->st.vp, 2, at);
    for (int64_t g = 0; g < s->gn; g++)
      y[r * s->gn + g] = cpu_dot(b, it[r * s->gn + g], vb, pv[g]);
  }
}

/* Key c (key pair c on the dot product) into the block's accumulators. */
static void pv_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  if (s->dot) {
    pv_pair(s, b, c, it, y);
    return;
  }
  MlirValue pv[MAXACC];
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue at[] = {c, idx(b, (s->g0 + g) * s->W)};
    pv[g] = ir_vload(b, s->vt, s->st.st, 2, at);
  }
  MlirValue j = key_at(s, b, c);
  for (int64_t r = 0; r < s->R; r++) {
    MlirValue at[] = {s->bb, s->hk, j, ir_binary(b, "arith.addi", s->c, idx(b, r))};
    MlirValue vb = ir_broadcast(b, load_f32(b, s->v, 4, at), s->vt);
    for (int64_t g = 0; g < s->gn; g++)
      y[r * s->gn + g] = ir_fma(b, vb, pv[g], it[r * s->gn + g]);
  }
}

/* The PV of a key segment [k0, k1) on one pair of query vectors (g0,
 * g0 + 1 of the chunk) or on the whole chunk. The chunk's accumulators
 * come in `acc` and go out in `out`; the other pair's pass through. */
typedef struct pv_seg {
  vstep *s;
  MlirValue k0, k1;
  const MlirValue *acc;
  int64_t g0, gn, pair; /* the chunk; pair: 0, 1 (its first / second two vectors), -1 all */
} pv_seg;

static void pv_seg_loop(ir_builder *b, MlirValue *out, void *u) {
  pv_seg *p = u;
  vstep *s = p->s;
  int64_t R = s->R, lo = p->pair < 0 ? 0 : 2 * p->pair, n = p->pair < 0 ? p->gn : 2;
  MlirValue init[MAXACC];
  for (int64_t r = 0; r < R; r++)
    for (int64_t g = 0; g < n; g++)
      init[r * n + g] = p->acc[r * p->gn + lo + g];
  s->g0 = p->g0 + lo, s->gn = n;
  MlirOperation loop = ir_for(b, p->k0, p->k1, idx(b, 1), R * n, init, pv_key, s);
  s->g0 = p->g0, s->gn = p->gn;
  for (int64_t a = 0; a < R * p->gn; a++)
    out[a] = p->acc[a];
  for (int64_t r = 0; r < R; r++)
    for (int64_t g = 0; g < n; g++)
      out[r * p->gn + lo + g] = mlirOperationGetResult(loop, r * n + g);
}

static void pv_seg_first(ir_builder *b, MlirValue *out, void *u) {
  pv_seg q = *(pv_seg *)u;
  q.pair = 0;
  pv_seg_loop(b, out, &q);
}

static void pv_seg_second(ir_builder *b, MlirValue *out, void *u) {
  pv_seg q = *(pv_seg *)u;
  q.pair = 1;
  pv_seg_loop(b, out, &q);
}

/* One pair's segment: the first pair when `first`, else the second. */
static void pv_pair_segment(vstep *s, ir_builder *b, MlirValue first, MlirValue k0, MlirValue k1,
                            MlirValue *acc) {
  MlirType types[MAXACC] = {{NULL}};
  int64_t na = s->R * s->gn;
  for (int64_t a = 0; a < na; a++)
    types[a] = s->vt;
  pv_seg p = {s, k0, k1, acc, s->g0, s->gn, 0};
  MlirOperation op = ir_if(b, first, na, types, pv_seg_first, pv_seg_second, &p);
  for (int64_t a = 0; a < na; a++)
    acc[a] = mlirOperationGetResult(op, a);
}

/* The keys a pair of query vectors may attend: [min lo, max hi). On the
 * dot product the key pairs holding them, [lo / 2, ceil(hi / 2)): outside
 * those both keys of a pair weigh 0 for these vectors. */
static void pair_range(vstep *s, ir_builder *b, int64_t g, MlirValue *lo, MlirValue *hi) {
  *lo = ir_binary(b, "arith.minui", s->lo[g], s->lo[g + 1]);
  *hi = ir_binary(b, "arith.maxui", s->hi[g], s->hi[g + 1]);
  if (s->dot) {
    *lo = ir_binary(b, "arith.divui", *lo, idx(b, 2));
    *hi = ir_binary(b, "arith.divui", ir_binary(b, "arith.addi", *hi, idx(b, 1)), idx(b, 2));
  }
}

/* The PV of a partial tile's chunk of 4 query vectors in three key
 * segments, from the mask's per-vector ranges: with F the pair that starts
 * first and O the other, keys [lo F, min(lo O, hi F)) run on F alone (a
 * 6 x 2 block), [lo O, min(hi F, hi O)) on both, and the rest up to the
 * larger hi on the pair that ends last. Keys outside a pair's range have
 * P = 0 in all its lanes: skipping them is exact. A band's tile with one
 * pair empty runs half its PV (strided's band part: 2 tiles of 6). */
static void pv_segments(vstep *s, ir_builder *b, MlirValue *acc) {
  MlirValue loA, hiA, loB, hiB;
  pair_range(s, b, s->g0, &loA, &hiA);
  pair_range(s, b, s->g0 + 2, &loB, &hiB);
  MlirValue a_first = ir_cmpi(b, "ule", loA, loB);
  MlirValue loF = ir_select(b, a_first, loA, loB), hiF = ir_select(b, a_first, hiA, hiB);
  MlirValue loO = ir_select(b, a_first, loB, loA), hiO = ir_select(b, a_first, hiB, hiA);
  MlirValue e1 = ir_binary(b, "arith.minui", loO, hiF);
  pv_pair_segment(s, b, a_first, loF, ir_binary(b, "arith.maxui", e1, loF), acc);
  MlirValue e2 = ir_binary(b, "arith.minui", hiF, hiO);
  MlirValue m1 = ir_binary(b, "arith.maxui", e2, loO);
  pv_seg both = {s, loO, m1, acc, s->g0, s->gn, -1};
  MlirValue out[MAXACC];
  pv_seg_loop(b, out, &both);
  for (int64_t a = 0; a < s->R * s->gn; a++)
    acc[a] = out[a];
  MlirValue b_last = ir_cmpi(b, "uge", hiB, hiA);
  MlirValue start = ir_binary(b, "arith.maxui", loO, e2);
  MlirValue end = ir_binary(b, "arith.maxui", hiA, hiB);
  pv_pair_segment(s, b, ir_binary(b, "arith.xori", b_last, ir_const_int(b, ir_i1(b), 1)), start,
                  ir_binary(b, "arith.maxui", end, start), acc);
}

/* The block's accumulators AT rows d .. d + R - 1 (at), rescaled by C
 * (corrected) or as they are (a dot step that kept every M: C = 1). */
typedef struct acc_ctx {
  vstep *s;
  MlirValue (*at)[2];
} acc_ctx;

static void acc_load(acc_ctx *x, ir_builder *b, MlirValue *out, bool corrected) {
  vstep *s = x->s;
  for (int64_t g = 0; g < s->gn; g++) {
    MlirValue col = idx(b, (s->g0 + g) * s->W), corr = {NULL};
    if (corrected)
      corr = ir_vload(b, s->vt, s->st.corr, 1, &col);
    for (int64_t r = 0; r < s->R; r++) {
      MlirValue a = ir_vload(b, s->vt, s->st.at, 2, x->at[r * s->gn + g]);
      out[r * s->gn + g] = corrected ? ir_binary(b, "arith.mulf", a, corr) : a;
    }
  }
}

static void acc_as_is(ir_builder *b, MlirValue *out, void *u) { acc_load(u, b, out, false); }
static void acc_corrected(ir_builder *b, MlirValue *out, void *u) { acc_load(u, b, out, true); }

/* AT rows d .. d + R - 1, query vector chunk by chunk. */
static void pv_dims(ir_builder *b, MlirValue d, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  s->c = d;
  for (int64_t ch = 0; ch < chunks(s->QV, s->st.t.cols); ch++) {
    chunk_at(s->QV, s->st.t.cols, ch, &s->g0, &s->gn);
    MlirValue init[MAXACC], at[MAXACC][2];
    for (int64_t r = 0; r < s->R; r++)
      for (int64_t g = 0; g < s->gn; g++) {
        MlirValue *a = at[r * s->gn + g];
        a[0] = ir_binary(b, "arith.addi", d, idx(b, r));
        a[1] = idx(b, (s->g0 + g) * s->W);
      }
    acc_ctx ax = {s, at};
    if (s->kept.ptr) {
      MlirType types[MAXACC];
      for (int64_t a = 0; a < s->R * s->gn; a++)
        types[a] = s->vt;
      MlirOperation acc = ir_if(b, s->kept, s->R * s->gn, types, acc_as_is, acc_corrected, &ax);
      for (int64_t a = 0; a < s->R * s->gn; a++)
        init[a] = mlirOperationGetResult(acc, a);
    } else {
      acc_load(&ax, b, init, true);
    }
    if (s->pv_skip && s->gn == 4) {
      pv_segments(s, b, init);
      for (int64_t a = 0; a < s->R * s->gn; a++)
        ir_vstore(b, init[a], s->st.at, 2, at[a]);
      continue;
    }
    MlirValue end = s->dot ? key_pairs(s, b) : s->n;
    MlirOperation loop = ir_for(b, idx(b, 0), end, idx(b, 1), s->R * s->gn, init, pv_key, s);
    for (int64_t a = 0; a < s->R * s->gn; a++)
      ir_vstore(b, mlirOperationGetResult(loop, a), s->st.at, 2, at[a]);
  }
}

/* ---- the step ------------------------------------------------------------------------ */

/* Scores on vectors: whole groups of ROWS keys (skipping query vectors
 * when s->skip), then the rest one by one. */
static void vector_scores(ir_builder *b, MlirValue *out, void *u) {
  vstep *s = u;
  MlirValue R = idx(b, s->st.t.rows);
  MlirValue split = ir_binary(b, "arith.muli", ir_binary(b, "arith.divui", s->n, R), R);
  s->R = s->st.t.rows;
  ir_for(b, idx(b, 0), split, R, 0, NULL, s->skip ? score_keys_skipping : score_keys, s);
  s->R = 1;
  ir_for(b, split, s->n, idx(b, 1), 0, NULL, score_keys, s);
  s->skip = false;
}

static void amx_block(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  cpu_amx_scores(b, s->k, s->bb, s->hk, ir_binary(b, "arith.addi", s->key0, c), c, s->st.qtv,
                 s->st.st, s->D, s->QV / 2);
}

static void amx_last_block(ir_builder *b, MlirValue *out, void *u) {
  vstep *s = u;
  amx_block(b, ir_binary(b, "arith.subi", s->n, idx(b, 32)), NULL, NULL, s);
}

/* Scores on AMX: blocks of 32 keys from 0, then one ending at n. */
static void amx_scores(ir_builder *b, MlirValue *out, void *u) {
  vstep *s = u;
  MlirValue T = idx(b, 32);
  MlirValue whole = ir_binary(b, "arith.muli", ir_binary(b, "arith.divui", s->n, T), T);
  ir_for(b, idx(b, 0), whole, T, 0, NULL, amx_block, s);
  MlirValue rest = ir_cmpi(b, "ult", whole, s->n);
  ir_if(b, rest, 0, NULL, amx_last_block, NULL, s);
}

/* ST[c] *= scale * log2(e) on the step's query vectors (AMX scores are
 * unscaled: QT is packed as the queries are). */
static void scale_key(ir_builder *b, MlirValue c, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue scale = ir_splat_f32(b, s->vt, s->qscale);
  for (int64_t g = 0; g < s->QV; g++) {
    MlirValue at[] = {c, idx(b, g * s->W)};
    ir_vstore(b, ir_binary(b, "arith.mulf", ir_vload(b, s->vt, s->st.st, 2, at), scale), s->st.st,
              2, at);
  }
}

/* VP row i from the V rows of keys 2i and 2i + 1 (of an odd step's last
 * pair: 2i again, its weight is 0; row 2i + 1 may lie past V's end). */
static void pack_v_pair(ir_builder *b, MlirValue i, const MlirValue *it, MlirValue *y, void *u) {
  vstep *s = u;
  MlirValue c0 = ir_binary(b, "arith.muli", i, idx(b, 2));
  MlirValue last = ir_binary(b, "arith.subi", s->n, idx(b, 1));
  MlirValue c1 = ir_binary(b, "arith.minui", ir_binary(b, "arith.addi", c0, idx(b, 1)), last);
  cpu_dot_pack_v(b, s->v, s->bb, s->hk, key_at(s, b, c0), key_at(s, b, c1), s->st.vp, i, s->D);
}

/* Scores, mask, softmax and PV over the query vectors 0 .. s->QV - 1. */
static void step_body(vstep *s, ir_builder *b) {
  s->kept = (MlirValue){NULL}; /* the dot product's softmax sets it */
  /* A partial tile with a vector mask and a whole register block of query
   * vectors: the mask first, then blocks of keys skip the query vectors
   * the mask leaves nothing to (the corners of a band's tiles). */
  bool skip = !s->amx && s->vec_mask && s->QV >= 4 && s->QV % 2 == 0 && s->QV <= s->st.t.cols;
  if (skip) {
    MlirValue init[2 * MAXACC];
    for (int64_t g = 0; g < s->QV; g++)
      init[2 * g] = s->n, init[2 * g + 1] = idx(b, 0);
    MlirOperation m = ir_for(b, idx(b, 0), s->n, idx(b, 1), 2 * s->QV, init, mask_first_key, s);
    if (s->failed)
      return;
    for (int64_t g = 0; g < s->QV; g++) {
      s->lo[g] = mlirOperationGetResult(m, 2 * g);
      s->hi[g] = mlirOperationGetResult(m, 2 * g + 1);
    }
    s->add_mask = true;
  }
  if (s->amx && s->nmap <= 0 && s->QV % 2 == 0 && ir_unit_inner_stride(s->k)) {
    /* AMX: 32 keys x pairs of query vectors at a time (a half step of
     * one vector runs on vectors), the last block ending at n (it may
     * overlap the one before: the same scores again); fewer than 32 keys
     * on vectors. Tile rows past n might lie past the end of K. */
    MlirValue enough = ir_cmpi(b, "uge", s->n, idx(b, 32));
    ir_if(b, enough, 0, NULL, amx_scores, vector_scores, s);
  } else {
    s->skip = skip;
    vector_scores(b, NULL, s);
  }
  if (s->amx)
    ir_for(b, idx(b, 0), s->n, idx(b, 1), 0, NULL, scale_key, s);
  s->add_mask = false;
  if (s->mask.ptr && !skip) {
    if (s->vec_mask)
      ir_for(b, idx(b, 0), s->n, idx(b, 1), 0, NULL, mask_key_vec, s);
    else
      ir_for(b, idx(b, 0), s->nr, idx(b, 1), 0, NULL, mask_row, s);
    if (s->failed)
      return;
  }
  softmax(s, b);
  if (s->dot)
    ir_for(b, idx(b, 0), key_pairs(s, b), idx(b, 1), 0, NULL, pack_v_pair, s);
  s->pv_skip = skip;
  /* PV: head dims in groups of ROWS, then the rest as one group. */
  s->R = s->st.t.rows;
  MlirValue R = idx(b, s->R);
  int64_t dsplit = s->D / s->R * s->R;
  ir_for(b, idx(b, 0), idx(b, dsplit), R, 0, NULL, pv_dims, s);
  if (dsplit < s->D) {
    s->R = s->D - dsplit;
    pv_dims(b, idx(b, dsplit), NULL, NULL, s);
  }
  s->pv_skip = false;
}

static void step_whole(ir_builder *b, MlirValue *out, void *u) { step_body(u, b); }

static void step_half(ir_builder *b, MlirValue *out, void *u) {
  vstep *s = u;
  int64_t QV = s->QV;
  s->QV = QV / 2;
  step_body(s, b);
  s->QV = QV;
}

int64_t cpu_step_padded_keys(int64_t block_k) { return (block_k + PAD - 1) / PAD * PAD; }
int64_t cpu_step_padded_rows(int64_t block_q) { return (block_q + PAD - 1) / PAD * PAD; }

bool cpu_step_lower(ir_builder *b, MlirOperation op, const cpu_state *st) {
  vstep s;
  memset(&s, 0, sizeof s);
  s.q = mlirOperationGetOperand(op, 0);
  s.k = mlirOperationGetOperand(op, 1);
  s.v = mlirOperationGetOperand(op, 2);
  MlirValue *fields[] = {&s.bb, &s.h, &s.hk, &s.row0, &s.row1, &s.key0};
  for (int i = 0; i < 6; i++)
    *fields[i] = mlirOperationGetOperand(op, 6 + i);
  MlirValue key1 = mlirOperationGetOperand(op, 12);
  s.shift = mlirOperationGetOperand(op, 13);
  s.q_next = mlirOperationGetOperand(op, 14);
  s.k_next = mlirOperationGetOperand(op, 15);
  s.v_next = mlirOperationGetOperand(op, 16);
  s.next_kv = !mlirValueEqual(s.k_next, s.k) || !mlirValueEqual(s.v_next, s.v);
  s.BQ = mlirShapedTypeGetDimSize(mlirValueGetType(mlirOperationGetOperand(op, 5)), 0);
  if (mlirOperationGetNumOperands(op) > 17) {
    s.mask = mlirOperationGetOperand(op, 17);
    s.vec_mask = predicate_vectorizable(s.mask);
  }
  s.nmap = sattn_get_i64_array(op, "key_map", s.map, 80);
  if (s.nmap > 80)
    return false;
  s.st = *st;
  s.W = st->t.lanes;
  s.qscale = (float)(mlirFloatAttrGetValueDouble(mlirOperationGetAttributeByName(
                         op, mlirStringRefCreateFromCString("scale"))) *
                     1.4426950408889634);
  s.D = mlirShapedTypeGetDimSize(mlirValueGetType(st->qt), 0);
  /* D is a multiple of 16 (lower_tile_cpu checks) */
  s.pf_line = mlirTypeIsAF32(mlirShapedTypeGetElementType(mlirValueGetType(s.k))) || s.D % 32
                  ? 16
                  : 32;
  s.QV = mlirShapedTypeGetDimSize(mlirValueGetType(st->qt), 1) / s.W;
  /* AMX: the state has the pair layout (lower_tile_cpu allocates it for
   * bf16 tiles of whole pairs of query vectors on an AMX target) */
  s.pack_scale = s.qscale;
  /* the dot product: a state with the pair buffers (lower_tile_cpu
   * decides per item, from its bf16 arguments of unit inner stride) and
   * views that keep that stride (all of sattn's do; another step would
   * widen bf16 on vectors, its scores scaled as they are stored) */
  s.dot = st->pp.ptr != NULL && ir_unit_inner_stride(s.k) && ir_unit_inner_stride(s.v);
  s.scale_at_store = st->pp.ptr != NULL && !s.dot;
  s.finite = s.dot && !s.mask.ptr && s.qscale < 1e7f;
  s.amx = st->qtv.ptr != NULL && st->pp.ptr == NULL;
  if (st->qtv.ptr)
    s.pack_scale = 1.0f;
  s.vt = ir_vec(b, ir_f32(b), s.W);
  s.n = ir_binary(b, "arith.subi", key1, s.key0);
  s.nr = ir_binary(b, "arith.subi", s.row1, s.row0);
  s.lk64 = ir_index_cast(b, ir_dim(b, s.k, 2), ir_i64(b));
  s.h64 = ir_index_cast(b, s.h, ir_i64(b));
  /* The first step of the tile packs its queries. */
  MlirValue z = idx(b, 0);
  MlirValue first = ir_cmpi(b, "eq", ir_load(b, st->flag, 1, &z), ir_const_int(b, ir_i8(b), 0));
  ir_if(b, first, 0, NULL, pack_q, NULL, &s);
  /* A tile of at most half the rows (the last tile of a sequence, the
   * short residue classes of a lattice at small L) runs on half the query
   * vectors: the rows past nr are padding, their scores not worth a flop. */
  int64_t QV = s.QV;
  if (QV >= 2 && QV % 2 == 0) {
    MlirValue half = ir_cmpi(b, "ule", s.nr, idx(b, QV / 2 * s.W));
    ir_if(b, half, 0, NULL, step_half, step_whole, &s);
  } else {
    step_body(&s, b);
  }
  return !s.failed;
}
