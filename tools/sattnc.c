/* sattnc: the sattn ahead-of-time compiler driver.
 *
 *   sattnc FILE.sattn [--emit=sattn] [-o OUT] [--summary] [--seq N]
 *          [--check-len N] [--split-input-file] [--verify-diagnostics]
 *          [--mlir-print-debuginfo]
 *
 * Stages (--emit): sattn (the pattern-level IR), blocks (after
 * sattn-blockify: the block schedule), tiles (after sattn-tile: the item
 * functions with their tile loops), loops (after sattn-lower-cpu: the CPU
 * kernels in scf/memref/arith), llvm (LLVM IR after O3), asm, obj (an
 * object file plus a C header, FILE.h next to -o FILE.o or --header). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aot.h"
#include "blockify.h"
#include "blockmap.h"
#include "simplify.h"
#include "sched_stats.h"
#include "tile.h"
#include "context.h"
#include "jit_kernel.h"
#include "mlir_diag.h"
#include "pipeline_cpu.h"
#include "expect.h"
#include "lang.h"
#include "mlir-c/IR.h"
#include "oracle.h"
#include "to_oracle.h"
#include "tool_io.h"

static const char *const TOOL = "sattnc";

static void usage(FILE *f) {
  fputs("usage: sattnc FILE.sattn [options]\n"
        "Compiles sattn pattern-language source.\n\n"
        "options:\n"
        "  --emit=STAGE            output stage: sattn (the pattern IR; default),\n"
        "                          blocks (the block schedule), tiles (the tile\n"
        "                          loops), loops (CPU kernels in scf/memref),\n"
        "                          llvm (LLVM IR), asm, obj (an object file and a\n"
        "                          C header)\n"
        "                          stats: the schedule's work as key=value lines\n"
        "                          for --seq-q/--seq-k; blockmap: a text map of the\n"
        "                          schedule (and with -o FILE.svg, a picture)\n"
        "  --block-q N, --block-k N  query rows and keys per tile (default: chosen\n"
        "                          per kernel for this CPU)\n"
        "  --seq-q N, --seq-k N    lengths for --emit=stats (default 4096; seq-k:\n"
        "                          seq-q)\n"
        "  --cpu=NAME              target CPU for llvm/asm/obj (default: this host;\n"
        "                          another CPU: no AMX)\n"
        "  --header=FILE           the header for --emit=obj (default: -o's name\n"
        "                          with .h)\n"
        "  -o FILE                 write the output to FILE ('-': stdout, the default)\n"
        "  --summary               print, per kernel and pattern, the density and\n"
        "                          the empty rows at Lq = Lk = --seq (oracle-computed)\n"
        "  --seq N                 sequence length for --summary (default 4096,\n"
        "                          at most 16384: it evaluates every pair)\n"
        "  --check-len N           length of the empty-row warning check\n"
        "                          (default 1024; 0 turns it off)\n"
        "  --split-input-file      compile each '// -----' (or '# -----') chunk\n"
        "                          on its own\n"
        "  --verify-diagnostics    check diagnostics against expected-error\n"
        "                          {{...}} comments instead of printing them\n"
        "  --mlir-print-debuginfo  print op locations\n"
        "  --help, --version\n", f);
}

typedef struct options {
  const char *input, *output, *emit, *cpu, *header;
  bool summary, split, verify, debuginfo;
  int64_t seq, check_len, block_q, block_k, seq_q, seq_k;
} options;

static bool parse_int_arg(const char *flag, const char *s, int64_t min,
                          int64_t max, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (!*s || *end || errno || v < min || v > max) {
    tool_error(TOOL, "%s expects an integer from %lld to %lld, got '%s'", flag,
               (long long)min, (long long)max, s);
    return false;
  }
  *out = v;
  return true;
}

/* Returns 0 to go on, 1 to exit successfully, 2 on a usage error. */
static int parse_args(int argc, char **argv, options *o) {
  *o = (options){.emit = "sattn", .seq = 4096, .check_len = LANG_DEFAULT_CHECK_LEN,
                 .block_q = 0, .block_k = 0,
                 .seq_q = 4096, .seq_k = -1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 1;
    } else if (!strcmp(a, "--version")) {
      printf("sattnc %s (MLIR 22)\n", SATTN_VERSION);
      return 1;
    } else if (!strcmp(a, "-o")) {
      if (++i >= argc) {
        tool_error(TOOL, "-o needs a file name");
        return 2;
      }
      o->output = argv[i];
    } else if (!strncmp(a, "--emit=", 7)) {
      o->emit = a + 7;
    } else if (!strncmp(a, "--cpu=", 6) && a[6]) {
      o->cpu = a + 6;
    } else if (!strncmp(a, "--header=", 9) && a[9]) {
      o->header = a + 9;
    } else if (!strcmp(a, "--summary")) {
      o->summary = true;
    } else if (!strncmp(a, "--seq=", 6) || !strcmp(a, "--seq")) {
      const char *v = a[5] == '=' ? a + 6 : (++i < argc ? argv[i] : "");
      /* The summary evaluates every pair (O(L^2)): 16384 takes seconds. */
      if (!parse_int_arg("--seq", v, 1, 1 << 14, &o->seq))
        return 2;
    } else if (!strncmp(a, "--check-len=", 12) || !strcmp(a, "--check-len")) {
      const char *v = a[11] == '=' ? a + 12 : (++i < argc ? argv[i] : "");
      if (!parse_int_arg("--check-len", v, 0, 1 << 16, &o->check_len))
        return 2;
    } else if (!strncmp(a, "--block-q=", 10) || !strcmp(a, "--block-q")) {
      const char *v = a[9] == '=' ? a + 10 : (++i < argc ? argv[i] : "");
      if (!parse_int_arg("--block-q", v, 1, 4096, &o->block_q))
        return 2;
    } else if (!strncmp(a, "--block-k=", 10) || !strcmp(a, "--block-k")) {
      const char *v = a[9] == '=' ? a + 10 : (++i < argc ? argv[i] : "");
      if (!parse_int_arg("--block-k", v, 1, 4096, &o->block_k))
        return 2;
    } else if (!strncmp(a, "--seq-q=", 8) || !strcmp(a, "--seq-q")) {
      const char *v = a[7] == '=' ? a + 8 : (++i < argc ? argv[i] : "");
      if (!parse_int_arg("--seq-q", v, 1, (int64_t)1 << 31, &o->seq_q))
        return 2;
    } else if (!strncmp(a, "--seq-k=", 8) || !strcmp(a, "--seq-k")) {
      const char *v = a[7] == '=' ? a + 8 : (++i < argc ? argv[i] : "");
      if (!parse_int_arg("--seq-k", v, 1, (int64_t)1 << 31, &o->seq_k))
        return 2;
    } else if (!strcmp(a, "--split-input-file")) {
      o->split = true;
    } else if (!strcmp(a, "--verify-diagnostics")) {
      o->verify = true;
    } else if (!strcmp(a, "--mlir-print-debuginfo")) {
      o->debuginfo = true;
    } else if (a[0] == '-' && a[1]) {
      tool_error(TOOL, "unknown option '%s' (see --help)", a);
      return 2;
    } else if (o->input) {
      tool_error(TOOL, "more than one input file ('%s' and '%s')", o->input, a);
      return 2;
    } else {
      o->input = a;
    }
  }
  if (!o->input) {
    tool_error(TOOL, "no input file (see --help)");
    return 2;
  }
  static const char *const stages[] = {"sattn", "blocks", "tiles", "loops",
                                       "llvm",  "asm",    "obj",   "stats", "blockmap"};
  bool known = false;
  for (size_t i = 0; i < sizeof stages / sizeof *stages; i++)
    known = known || !strcmp(o->emit, stages[i]);
  if (!known) {
    tool_error(TOOL, "unknown --emit stage '%s' (available: sattn, blocks, tiles, "
                     "loops, llvm, asm, obj, stats, blockmap)", o->emit);
    return 2;
  }
  if (!strcmp(o->emit, "obj") && (!o->output || !strcmp(o->output, "-"))) {
    tool_error(TOOL, "--emit=obj needs -o FILE.o (the header goes next to it)");
    return 2;
  }
  if (o->split && strcmp(o->emit, "sattn") && strcmp(o->emit, "blocks") &&
      strcmp(o->emit, "tiles") && strcmp(o->emit, "stats")) {
    tool_error(TOOL, "--split-input-file works with --emit=sattn, blocks, tiles and stats "
                     "only");
    return 2;
  }
  return 0;
}

static void print_to_file(MlirStringRef s, void *user) {
  fwrite(s.data, 1, s.length, user);
}

/* Density of one mask at Lq = Lk = seq, and its empty rows. */
static void summarize(FILE *out, const char *what, const char *name,
                      const sem_node *mask, int64_t seq) {
  orc_node *o = sem_to_oracle(mask);
  if (!o) {
    fprintf(out, "%s %s: out of memory\n", what, name);
    return;
  }
  double yes = 0, maybe = 0;
  int64_t empty = 0;
  for (int64_t i = 0; i < seq; i++) {
    int64_t y, m;
    orc_row_count(o, i, seq, seq, 0, &y, &m);
    yes += (double)y;
    maybe += (double)m;
    empty += y + m == 0;
  }
  orc_node_destroy(o);
  double total = (double)seq * (double)seq;
  if (maybe > 0)
    fprintf(out, "%s %s: Lq = Lk = %lld: density %.2f%% to %.2f%% (dynamic terms "
                 "decide at run time), %lld empty rows\n",
            what, name, (long long)seq, 100 * yes / total,
            100 * (yes + maybe) / total, (long long)empty);
  else
    fprintf(out, "%s %s: Lq = Lk = %lld: density %.2f%% (%.0f of %.0f pairs), "
                 "%lld empty rows\n",
            what, name, (long long)seq, 100 * yes / total, yes, total,
            (long long)empty);
}

static void print_summary(FILE *out, const sem_program *prog, int64_t seq) {
  for (const sem_kernel *k = prog->kernels; k; k = k->next) {
    if (k->ngroups == 1) {
      summarize(out, "kernel", k->name, k->masks[0], seq);
      continue;
    }
    for (size_t g = 0; g < k->ngroups; g++) {
      char name[320];
      if (k->group_starts[g + 1] < 0)
        snprintf(name, sizeof name, "%s[%lld:]", k->name, (long long)k->group_starts[g]);
      else
        snprintf(name, sizeof name, "%s[%lld:%lld]", k->name,
                 (long long)k->group_starts[g], (long long)k->group_starts[g + 1]);
      summarize(out, "kernel", name, k->masks[g], seq);
    }
  }
  for (const sem_pattern *p = prog->patterns; p; p = p->next)
    summarize(out, "pattern", p->name, p->mask, seq);
}

/* Another CPU than this host (--cpu): no AMX (its features are not known
 * here; tile instructions on a CPU without them would not run), and the
 * bf16 dot product only for the Zen generations that have it at twice the
 * FMA's rate. */
static void target_named_cpu(const char *cpu) {
  if (!cpu)
    return;
  setenv("SATTN_CPU_AMX", "0", 1);
  bool zen_dot = strcmp(cpu, "znver4") == 0 || strcmp(cpu, "znver5") == 0;
  setenv("SATTN_CPU_BF16DOT", zen_dot ? "1" : "0", 1);
}

/* --emit=stats: per kernel (and head group) the schedule's work. */
static bool emit_stats(MlirContext ctx, const options *o, lang_unit *u, FILE *out,
                       diag_sink *sink) {
  int64_t lq = o->seq_q, lk = o->seq_k > 0 ? o->seq_k : o->seq_q;
  bool ok = true;
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, sink);
  target_named_cpu(o->cpu);
  for (const sem_kernel *k = u->prog->kernels; k && ok; k = k->next) {
    sched_stats st[64];
    int64_t heads[64];
    int n = 0;
    ok = sched_stats_compute(ctx, jit_find_kernel(u->module, k->name), o->block_q, o->block_k,
                             lq, lk, st, heads, 64, &n, NULL, NULL);
    for (int g = 0; ok && g < n; g++) {
      fprintf(out, "kernel=%s\n", k->name);
      if (n > 1)
        fprintf(out, "group=%d\nfirst_head=%lld\n", g, (long long)heads[g]);
      double total = (double)lq * (double)lk;
      fprintf(out,
              "seq_q=%lld\nseq_k=%lld\nblock_q=%lld\nblock_k=%lld\nlattice=%lld\n"
              "parts=%lld\nquery_tiles=%lld\n"
              "visited_tiles=%lld\nfull_tiles=%lld\npartial_tiles=%lld\n"
              "allowed_pairs=%.0f\ncomputed_pairs=%.0f\nmasked_pairs=%.0f\n"
              "density=%.6f\nmasked_per_allowed=%.6f\n\n",
              (long long)lq, (long long)lk, (long long)st[g].block_q, (long long)st[g].block_k,
              (long long)st[g].lattice, (long long)st[g].parts, (long long)st[g].query_tiles, (long long)st[g].visited_tiles,
              (long long)st[g].full_tiles, (long long)st[g].partial_tiles, st[g].allowed_pairs,
              st[g].computed_pairs, st[g].masked_pairs, st[g].allowed_pairs / total,
              st[g].allowed_pairs > 0 ? st[g].masked_pairs / st[g].allowed_pairs : 0.0);
    }
  }
  mlir_diag_detach(ctx, h);
  return ok;
}

/* Feeds two maps: the picture (128 x 128 cells) and the text (64 x 32),
 * with the tiles of one head group. */
typedef struct two_maps {
  blockmap svg, text;
} two_maps;

typedef struct group_filter {
  int group;
  two_maps *maps;
} group_filter;

static void add_group_tile(void *user, const sched_tile *t) {
  group_filter *f = user;
  if (t->group != f->group)
    return;
  blockmap_add_tile(&f->maps->svg, t);
  blockmap_add_tile(&f->maps->text, t);
}

/* --emit=blockmap: per kernel and head group, a text map of the schedule
 * (to stdout); with -o FILE, the first one's picture as SVG into FILE. */
static bool emit_blockmap(MlirContext ctx, const options *o, lang_unit *u, FILE *out,
                          diag_sink *sink, char *err, size_t errlen) {
  int64_t lq = o->seq_q, lk = o->seq_k > 0 ? o->seq_k : o->seq_q;
  if (lq > BLOCKMAP_MAX_SEQ || lk > BLOCKMAP_MAX_SEQ) {
    snprintf(err, errlen, "--emit=blockmap draws at most %d x %d (got --seq-q %lld, --seq-k "
                          "%lld); --emit=stats counts longer ones",
             BLOCKMAP_MAX_SEQ, BLOCKMAP_MAX_SEQ, (long long)lq, (long long)lk);
    return false;
  }
  bool svg = o->output && strcmp(o->output, "-");
  FILE *text_out = svg ? stdout : out;
  bool ok = true, drew = false;
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, sink);
  target_named_cpu(o->cpu);
  for (const sem_kernel *k = u->prog->kernels; k && ok; k = k->next) {
    for (size_t g = 0; g < k->ngroups && ok; g++) {
      two_maps maps;
      if (!blockmap_init(&maps.svg, lq, lk, 128, 128) ||
          !blockmap_init(&maps.text, lq, lk, 64, 32)) {
        blockmap_free(&maps.svg);
        snprintf(err, errlen, "out of memory for the block map");
        ok = false;
        break;
      }
      sched_stats st[64];
      int64_t heads[64];
      int n = 0;
      /* One walk per group: the hook sees every group's tiles, so filter. */
      group_filter gf = {(int)g, &maps};
      ok = sched_stats_compute(ctx, jit_find_kernel(u->module, k->name), o->block_q,
                               o->block_k, lq, lk, st, heads, 64, &n, add_group_tile, &gf);
      char title[400];
      if (k->ngroups > 1)
        snprintf(title, sizeof title, "kernel %s, heads from %lld", k->name,
                 (long long)k->group_starts[g]);
      else
        snprintf(title, sizeof title, "kernel %s", k->name);
      if (ok) {
        blockmap_print_text(&maps.text, text_out, title);
        fprintf(text_out, "  %lld query tiles, %lld key tiles visited (%lld full, %lld "
                          "partial), %.0f allowed pairs, %.0f computed then masked\n\n",
                (long long)st[g].query_tiles, (long long)st[g].visited_tiles,
                (long long)st[g].full_tiles, (long long)st[g].partial_tiles,
                st[g].allowed_pairs, st[g].masked_pairs);
        if (svg && !drew) {
          blockmap_write_svg(&maps.svg, out, title);
          drew = true;
        }
      }
      blockmap_free(&maps.svg);
      blockmap_free(&maps.text);
    }
  }
  mlir_diag_detach(ctx, h);
  return ok;
}

typedef struct compile_ctx_opts {
  const options *o;
  MlirOpPrintingFlags flags;
} compile_ctx_opts;

/* --emit=blocks|tiles: the unit's module after sattn-blockify (and
 * sattn-tile), printed like --emit=sattn. */
static bool emit_schedule(MlirContext ctx, const compile_ctx_opts *co, lang_unit *u,
                          FILE *out, diag_sink *sink) {
  MlirOperation copy = mlirOperationClone(mlirModuleGetOperation(u->module));
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, sink);
  bool ok = simplify_masks(copy, 0) && blockify(copy, co->o->block_q, co->o->block_k);
  if (ok && !strcmp(co->o->emit, "tiles"))
    ok = tile_module(ctx, mlirModuleFromOperation(copy));
  mlir_diag_detach(ctx, h);
  if (ok) {
    mlirOperationPrintWithFlags(copy, co->flags, print_to_file, out);
    fputc('\n', out);
  }
  mlirOperationDestroy(copy);
  return ok;
}

/* --emit=loops|llvm|asm|obj: every kernel of the unit into one module. */
static bool emit_code(MlirContext ctx, const options *o, lang_unit *u, FILE *out,
                      diag_sink *sink, char *err, size_t errlen) {
  MlirModule code = mlirModuleCreateEmpty(mlirModuleGetOperation(u->module).ptr
                                              ? mlirOperationGetLocation(
                                                    mlirModuleGetOperation(u->module))
                                              : mlirLocationUnknownGet(ctx));
  aot_kernel kernels[256];
  size_t n = 0;
  bool ok = true;
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, sink);
  target_named_cpu(o->cpu);
  for (const sem_kernel *k = u->prog->kernels; k && ok; k = k->next) {
    if (n == 256) {
      snprintf(err, errlen, "more than 256 kernels in one object");
      ok = false;
      break;
    }
    MlirOperation kf = jit_find_kernel(u->module, k->name);
    kernels[n].name = k->name;
    ok = kernel_cpu_build(ctx, code, kf, k->name, o->block_q, o->block_k,
                          &kernels[n].info);
    n++;
  }
  if (ok && !n) {
    snprintf(err, errlen, "'%s' has no kernel to compile", o->input);
    ok = false;
  }
  bool loops = !strcmp(o->emit, "loops");
  if (ok && loops) {
    mlirOperationPrint(mlirModuleGetOperation(code), print_to_file, out);
    fputc('\n', out);
  }
  if (ok && !loops)
    ok = cpu_lower_to_llvm(ctx, code);
  mlir_diag_detach(ctx, h);
  if (ok && !loops) {
    aot_kind kind = !strcmp(o->emit, "llvm") ? AOT_LLVM_IR
                    : !strcmp(o->emit, "asm") ? AOT_ASM
                                              : AOT_OBJECT;
    ok = aot_emit(ctx, code, kind, o->cpu, out, err, errlen);
  }
  if (ok && !strcmp(o->emit, "obj")) {
    /* The header: --header, or -o's name with its extension replaced. */
    char path[4096];
    if (o->header) {
      snprintf(path, sizeof path, "%s", o->header);
    } else {
      snprintf(path, sizeof path, "%s", o->output);
      char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
      if (dot && (!slash || dot > slash))
        *dot = '\0';
      strncat(path, ".h", sizeof path - strlen(path) - 1);
    }
    tool_out hdr;
    if (!tool_out_open(&hdr, path, err, errlen)) {
      ok = false;
    } else {
      const char *base = strrchr(path, '/');
      aot_write_header(hdr.f, base ? base + 1 : path, kernels, n);
      ok = tool_out_commit(&hdr, err, errlen);
    }
  }
  mlirModuleDestroy(code);
  return ok;
}

typedef struct compile_ctx {
  MlirContext ctx;
  const options *o;
  const lang_options *lo;
  MlirOpPrintingFlags flags;
  FILE *summary_out;
  const char *file;
} compile_ctx;

/* One chunk: compile, then print the requested stage. */
static bool compile_chunk(void *user, const char *text, size_t len,
                          diag_sink *sink, FILE *out) {
  compile_ctx *cc = user;
  lang_unit u;
  bool ok = lang_compile(&u, cc->ctx, cc->file, text, len, cc->lo, sink);
  if (ok && !strcmp(cc->o->emit, "stats")) {
    ok = emit_stats(cc->ctx, cc->o, &u, out, sink);
  } else if (ok && !strcmp(cc->o->emit, "blockmap")) {
    char err[512] = "";
    ok = emit_blockmap(cc->ctx, cc->o, &u, out, sink, err, sizeof err);
    if (!ok && err[0])
      tool_error(TOOL, "%s", err);
  } else if (ok && (!strcmp(cc->o->emit, "blocks") || !strcmp(cc->o->emit, "tiles"))) {
    compile_ctx_opts co = {cc->o, cc->flags};
    ok = emit_schedule(cc->ctx, &co, &u, out, sink);
  } else if (ok && strcmp(cc->o->emit, "sattn")) {
    char err[512] = "";
    ok = emit_code(cc->ctx, cc->o, &u, out, sink, err, sizeof err);
    if (!ok && err[0])
      tool_error(TOOL, "%s", err);
  } else if (ok) {
    mlirOperationPrintWithFlags(mlirModuleGetOperation(u.module), cc->flags,
                                print_to_file, out);
    fputc('\n', out);
  }
  if (ok && cc->o->summary)
    print_summary(cc->summary_out, u.prog, cc->o->seq);
  lang_unit_destroy(&u);
  return ok;
}

int main(int argc, char **argv) {
  options o;
  int r = parse_args(argc, argv, &o);
  if (r)
    return r == 1 ? 0 : 2;
  char err[512] = "";
  size_t len;
  char *text = tool_read_file(o.input, &len, err, sizeof err);
  if (!text) {
    tool_error(TOOL, "%s", err);
    return 1;
  }
  const char *file = strcmp(o.input, "-") == 0 ? "<stdin>" : o.input;
  tool_chunk *chunks;
  size_t nchunks = tool_split(text, len, o.split, &chunks);
  if (!nchunks) {
    tool_error(TOOL, "out of memory");
    free(text);
    return 1;
  }
  MlirContext ctx = sattn_context_create();
  if (mlirContextIsNull(ctx)) {
    tool_chunks_free(chunks, nchunks);
    free(text);
    return 1;
  }
  tool_out out;
  if (!tool_out_open(&out, o.output, err, sizeof err)) {
    tool_error(TOOL, "%s", err);
    mlirContextDestroy(ctx);
    tool_chunks_free(chunks, nchunks);
    free(text);
    return 1;
  }
  /* The summary goes to stdout when the IR goes to a file, else to stderr
   * so that stdout stays pure IR. */
  FILE *summary_out = out.tmp ? stdout : stderr;
  MlirOpPrintingFlags flags = mlirOpPrintingFlagsCreate();
  if (o.debuginfo)
    mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
  lang_options lo = {o.check_len};
  compile_ctx cc = {ctx, &o, &lo, flags, summary_out, file};
  bool ok = expect_run_chunks(file, chunks, nchunks, o.verify, out.f, compile_chunk, &cc);
  mlirOpPrintingFlagsDestroy(flags);
  mlirContextDestroy(ctx);
  tool_chunks_free(chunks, nchunks);
  free(text);
  return tool_out_finish(&out, ok, TOOL);
}
