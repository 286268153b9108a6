// The sattn dialect, declared in IRDL (MLIR 22).
//
// Embedded in libsattn at build time (cmake/embed.cmake) and loaded with
// mlirLoadIRDLDialects when a sattn context is created; also usable directly:
//   mlir-opt --irdl-file=dialect/sattn.irdl.mlir file.mlir
//
// IRDL in 22 checks structure only (kinds of attributes, operand and result
// types; one SSA constraint binds one value, so each attribute has its own);
// value rules (positive sizes, powers of two, k > 0, a static
// `among`, head_dim) are checked by the `sattn-verify` pass
// (passes/verify.c). Every attribute is required: each term has exactly one
// encoding (docs/dialect.md). IRDL ops print in the generic form.
//
// Pattern-level ops produce `!sattn.mask`, a predicate M(i, j) over query
// and key positions (docs/pattern-language.md gives the meaning of each).
irdl.dialect @sattn {
  // A sparsity predicate over (query position, key position).
  irdl.type @mask

  // M(i, j) = true.
  irdl.operation @full {
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // j <= i.
  irdl.operation @causal {
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // -left <= j - i <= right.
  irdl.operation @window {
    %left = irdl.base "#builtin.integer"
    %right = irdl.base "#builtin.integer"
    irdl.attributes {"left" = %left, "right" = %right}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // |floor(i/block) - floor(j/block)| <= width.
  irdl.operation @local {
    %width = irdl.base "#builtin.integer"
    %block = irdl.base "#builtin.integer"
    irdl.attributes {"width" = %width, "block" = %block}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // |i - j| <= radius * dilation and (i - j) mod dilation = 0.
  irdl.operation @dilated {
    %radius = irdl.base "#builtin.integer"
    %dilation = irdl.base "#builtin.integer"
    irdl.attributes {"radius" = %radius, "dilation" = %dilation}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // (i - j) mod stride = 0.
  irdl.operation @stride {
    %stride = irdl.base "#builtin.integer"
    irdl.attributes {"stride" = %stride}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // j mod stride >= stride - count.
  irdl.operation @summary {
    %stride = irdl.base "#builtin.integer"
    %count = irdl.base "#builtin.integer"
    irdl.attributes {"stride" = %stride, "count" = %count}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // i in G or j in G. `ranges` lists G as sorted, disjoint, non-adjacent
  // half-open [start, end) pairs: global(0) is array<i64: 0, 1>,
  // global(first=128) is array<i64: 0, 128>.
  irdl.operation @global {
    %arr = irdl.base "#builtin.dense_array"
    irdl.attributes {"ranges" = %arr}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // Key block floor(j/block) is one of the `count` blocks drawn for query
  // block floor(i/block) by the pinned splitmix64 generator from `seed`
  // (a 64-bit pattern stored as i64), per query head when per_head is true.
  irdl.operation @random {
    %count = irdl.base "#builtin.integer"
    %block = irdl.base "#builtin.integer"
    %seed = irdl.base "#builtin.integer"
    %t = irdl.is true
    %f = irdl.is false
    %bool = irdl.any_of(%t, %f)
    irdl.attributes {"count" = %count, "block" = %block, "seed" = %seed, "per_head" = %bool}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // Dynamic: key block among the k best-scoring candidate blocks of the
  // query block; candidates are the blocks that the static `among` mask
  // touches. score = "meankey" (mean q . mean k, input = -1) or "input"
  // (caller scores: dynamic input number `input`).
  irdl.operation @topk {
    %k = irdl.base "#builtin.integer"
    %block = irdl.base "#builtin.integer"
    %input = irdl.base "#builtin.integer"
    %meankey = irdl.is "meankey"
    %inp = irdl.is "input"
    %score = irdl.any_of(%meankey, %inp)
    irdl.attributes {"k" = %k, "block" = %block, "score" = %score, "input" = %input}
    %m = irdl.parametric @sattn::@mask<>
    irdl.operands(among: %m)
    irdl.results(mask: %m)
  }

  // Dynamic: block (floor(i/block), floor(j/block)) is set in a caller
  // block layout, dynamic input number `input`.
  irdl.operation @blocks {
    %block = irdl.base "#builtin.integer"
    %input = irdl.base "#builtin.integer"
    irdl.attributes {"block" = %block, "input" = %input}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // Dynamic: label_q[i] = label_k[j], labels from dynamic input `input`.
  irdl.operation @same {
    %input = irdl.base "#builtin.integer"
    irdl.attributes {"input" = %input}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // M = M_0 | M_1 | ... (two or more operands).
  irdl.operation @union {
    %m = irdl.parametric @sattn::@mask<>
    irdl.operands(masks: variadic %m)
    irdl.results(mask: %m)
  }

  // M = M_0 & M_1 & ... (two or more operands).
  irdl.operation @intersect {
    %m = irdl.parametric @sattn::@mask<>
    irdl.operands(masks: variadic %m)
    irdl.results(mask: %m)
  }

  // M = lhs and not rhs.
  irdl.operation @difference {
    %m = irdl.parametric @sattn::@mask<>
    irdl.operands(lhs: %m, rhs: %m)
    irdl.results(mask: %m)
  }

  // out[b, h, i] = sum over allowed j of softmax_j(scale * q_i . k_j) v_j.
  // q: tensor<B x Hq x Lq x D x T>, k and v: tensor<B x Hkv x Lk x D x T>
  // (T = f32, f16 or bf16; D static). One mask per query-head group:
  // `groups` holds the first head of each group and then the end of the
  // last group (-1: open, any number of heads). The optional second result
  // is the log-sum-exp, tensor<B x Hq x Lq x f32>.
  irdl.operation @attention {
    %q = irdl.base "!builtin.tensor"
    %k = irdl.base "!builtin.tensor"
    %v = irdl.base "!builtin.tensor"
    %out = irdl.base "!builtin.tensor"
    %lse = irdl.base "!builtin.tensor"
    %m = irdl.parametric @sattn::@mask<>
    %f = irdl.base "#builtin.float"
    %arr = irdl.base "#builtin.dense_array"
    irdl.attributes {"scale" = %f, "groups" = %arr}
    irdl.operands(q: %q, k: %k, v: %v, masks: variadic %m)
    irdl.results(out: %out, lse: optional %lse)
  }

  // ---- Block schedule (sattn-blockify) --------------------------------------
  //
  // A query tile is block_q consecutive query rows, absolute positions
  // [p0, p1] (p = i + Lk - Lq); a key tile is block_k consecutive keys. The
  // `!sattn.keys` ops say, in closed form in (p0, p1), which keys a query
  // tile may attend: the kernel visits exactly the key tiles that hold one
  // of them, each once, and classifies each visited tile from the mask as
  // full (no element mask), partial (element predicate) or empty (skipped).
  irdl.type @keys
  // One head group's schedule: its mask and the keys to visit.
  irdl.type @schedule

  // Every key.
  irdl.operation @keys_all {
    %k = irdl.parametric @sattn::@keys<>
    irdl.results(keys: %k)
  }

  // Keys [A(from) + lo, A(to) + hi], inclusive, clipped to [0, Lk); anchors
  // A: "zero" = 0, "first" = p0 and "last" = p1 (both rounded down to a
  // multiple of `align`), "end" = Lk - 1.
  irdl.operation @keys_range {
    %from = irdl.base "#builtin.string"
    %lo = irdl.base "#builtin.integer"
    %to = irdl.base "#builtin.string"
    %hi = irdl.base "#builtin.integer"
    %align = irdl.base "#builtin.integer"
    irdl.attributes {"from" = %from, "lo" = %lo, "to" = %to, "hi" = %hi, "align" = %align}
    %k = irdl.parametric @sattn::@keys<>
    irdl.results(keys: %k)
  }

  // The keys of fixed ranges [s, e) (pairs in `ranges`): global columns.
  irdl.operation @keys_columns {
    %arr = irdl.base "#builtin.dense_array"
    irdl.attributes {"ranges" = %arr}
    %k = irdl.parametric @sattn::@keys<>
    irdl.results(keys: %k)
  }

  // Every key when the query tile meets one of the row ranges [s, e), no key
  // otherwise: global rows.
  irdl.operation @keys_rows {
    %arr = irdl.base "#builtin.dense_array"
    irdl.attributes {"ranges" = %arr}
    %k = irdl.parametric @sattn::@keys<>
    irdl.results(keys: %k)
  }

  // Keys j with (j - A(anchor) - offset) mod period < count; anchor "zero"
  // or "first" (p0): summary columns, the residues a stride reaches.
  irdl.operation @keys_periodic {
    %period = irdl.base "#builtin.integer"
    %offset = irdl.base "#builtin.integer"
    %count = irdl.base "#builtin.integer"
    %anchor = irdl.base "#builtin.string"
    irdl.attributes {"period" = %period, "offset" = %offset, "count" = %count, "anchor" = %anchor}
    %k = irdl.parametric @sattn::@keys<>
    irdl.results(keys: %k)
  }

  // The key blocks drawn by `random` (same attributes) for the query blocks
  // the tile's rows fall in: block j / block of key j drawn for one of the
  // query blocks p0 / block .. p1 / block.
  irdl.operation @keys_random {
    %count = irdl.base "#builtin.integer"
    %block = irdl.base "#builtin.integer"
    %seed = irdl.base "#builtin.integer"
    %t = irdl.is true
    %f = irdl.is false
    %bool = irdl.any_of(%t, %f)
    irdl.attributes {"count" = %count, "block" = %block, "seed" = %seed, "per_head" = %bool}
    %k = irdl.parametric @sattn::@keys<>
    irdl.results(keys: %k)
  }

  // The union of key sets (two or more).
  irdl.operation @keys_union {
    %k = irdl.parametric @sattn::@keys<>
    irdl.operands(inputs: variadic %k)
    irdl.results(keys: %k)
  }

  // The intersection of key sets (two or more).
  irdl.operation @keys_intersect {
    %k = irdl.parametric @sattn::@keys<>
    irdl.operands(inputs: variadic %k)
    irdl.results(keys: %k)
  }

  // j in one of the ranges [s, e): the columns of global tokens, as a mask
  // of its own (schedules exclude stripe columns from range tiles with it).
  irdl.operation @columns {
    %arr = irdl.base "#builtin.dense_array"
    irdl.attributes {"ranges" = %arr}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // p in one of the ranges [s, e): the rows of global tokens, as a mask of
  // its own (a kernel's global rows can run as a part of their own).
  irdl.operation @rows {
    %arr = irdl.base "#builtin.dense_array"
    irdl.attributes {"ranges" = %arr}
    %m = irdl.parametric @sattn::@mask<>
    irdl.results(mask: %m)
  }

  // A stripe (sattn.stripe_schedule -> !sattn.stripe): key columns shared by every query (global columns, summary
  // columns; `columns`, a static keys_columns or keys_periodic with anchor
  // "zero"), gathered into dense key tiles: tile k holds the columns
  // k * block_k ... of the list. `mask` decides per pair on partial tiles;
  // `class_mask` classifies a tile from its bounding rectangle (the mask
  // with the stripe's own term true, as it is on its columns).
  irdl.type @stripe
  irdl.operation @stripe_schedule {
    %m = irdl.parametric @sattn::@mask<>
    %c = irdl.parametric @sattn::@mask<>
    %k = irdl.parametric @sattn::@keys<>
    %s = irdl.parametric @sattn::@stripe<>
    irdl.operands(mask: %m, class_mask: %c, columns: %k)
    irdl.results(stripe: %s)
  }

  // A head group's schedule: the mask (which pairs are allowed) and the
  // keys to visit (a superset of the allowed keys of every query tile),
  // then its stripes (their columns are not in `mask`'s pairs: each pair
  // is computed once).
  irdl.operation @group_schedule {
    %m = irdl.parametric @sattn::@mask<>
    %k = irdl.parametric @sattn::@keys<>
    %st = irdl.parametric @sattn::@stripe<>
    %s = irdl.parametric @sattn::@schedule<>
    irdl.operands(mask: %m, keys: %k, stripes: variadic %st)
    irdl.results(schedule: %s)
  }

  // sattn.attention with one schedule per head group and the tile sizes.
  // lattice = s > 1: every mask allows only pairs with p = j (mod s); rows
  // and keys are split into residue classes of their positions, and each
  // class is a dense problem in compressed positions p' = (p - r) / s,
  // j' = (j - r) / s, which the masks and keys of the schedules are
  // written in (lattice = 1: no split).
  irdl.operation @blocked_attention {
    %q = irdl.base "!builtin.tensor"
    %k = irdl.base "!builtin.tensor"
    %v = irdl.base "!builtin.tensor"
    %out = irdl.base "!builtin.tensor"
    %lse = irdl.base "!builtin.tensor"
    %s = irdl.parametric @sattn::@schedule<>
    %f = irdl.base "#builtin.float"
    %arr = irdl.base "#builtin.dense_array"
    %bq = irdl.base "#builtin.integer"
    %bk = irdl.base "#builtin.integer"
    %lat = irdl.base "#builtin.integer"
    irdl.attributes {"scale" = %f, "groups" = %arr, "block_q" = %bq, "block_k" = %bk, "lattice" = %lat}
    irdl.operands(q: %q, k: %k, v: %v, schedules: variadic %s)
    irdl.results(out: %out, lse: optional %lse)
  }

  // ---- Tiled loops (sattn-tile) ---------------------------------------------
  //
  // The online-softmax state of one work item lives in memrefs: m (running
  // max) and l (running sum), memref<BQ x f32>, acc memref<BQ x D x f32>.
  // q, k, v, out: memref<B x H x L x D x T>; rows/keys are [row0, row1) and
  // [key0, key1); b, h, hk: batch, query head, key/value head.

  // m = -inf, l = 0, acc = 0.
  irdl.operation @tile_init {
    %mem = irdl.base "!builtin.memref"
    %mem2 = irdl.base "!builtin.memref"
    %mem3 = irdl.base "!builtin.memref"
    irdl.operands(m: %mem, l: %mem2, acc: %mem3)
  }

  // Folds the scores of one tile into the state; with a mask operand (a
  // partial tile) only the pairs it allows count. key1 - key0 <= block_k;
  // row i has position i + pos0 (what the mask is evaluated at). key_map
  // says where key index c is: [] itself; [1, s0, e0, s1, e1, ...] the c-th
  // column of the ranges; [2, period, offset, count] the c-th column j with
  // (j - offset) mod period < count (a stripe's gathered keys).
  // q_next, k_next, v_next: where the next work item's rows are when they
  // are not past row1 / key1 in q, k, v (the next residue class of a
  // lattice; else q, k, v themselves). The step only prefetches from them.
  irdl.operation @tile_step {
    %q = irdl.base "!builtin.memref"
    %k = irdl.base "!builtin.memref"
    %v = irdl.base "!builtin.memref"
    %m = irdl.base "!builtin.memref"
    %l = irdl.base "!builtin.memref"
    %acc = irdl.base "!builtin.memref"
    %i = irdl.is index
    %mask = irdl.parametric @sattn::@mask<>
    %f = irdl.base "#builtin.float"
    %bk = irdl.base "#builtin.integer"
    %map = irdl.base "#builtin.dense_array"
    irdl.attributes {"scale" = %f, "block_k" = %bk, "key_map" = %map}
    %pos = irdl.is i64
    irdl.operands(q: %q, k: %k, v: %v, m: %m, l: %l, acc: %acc, b: %i, h: %i,
                  hk: %i, row0: %i, row1: %i, key0: %i, key1: %i, pos0: %pos,
                  q_next: %q, k_next: %k, v_next: %v, mask: optional %mask)
  }

  // Writes out[b, h, row0:row1] = acc / l (0 for a row with no allowed key)
  // and, when write_lse != 0, lse = m + log l (-inf for such a row).
  // out_next: the view the next work item writes (prefetched), or out.
  irdl.operation @tile_finish {
    %out = irdl.base "!builtin.memref"
    %lse = irdl.base "!builtin.memref"
    %w = irdl.is i64
    %m = irdl.base "!builtin.memref"
    %l = irdl.base "!builtin.memref"
    %acc = irdl.base "!builtin.memref"
    %i = irdl.is index
    irdl.operands(out: %out, lse: %lse, write_lse: %w, m: %m, l: %l, acc: %acc,
                  b: %i, h: %i, row0: %i, row1: %i, out_next: %out)
  }
}
