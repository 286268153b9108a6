/* sattnc: the sattn ahead-of-time compiler driver.
 *
 *   sattnc FILE.sattn [--emit=sattn] [-o OUT] [--summary] [--seq N]
 *          [--check-len N] [--split-input-file] [--verify-diagnostics]
 *          [--mlir-print-debuginfo]
 *
 * Stages (--emit): sattn (the pattern-level IR). Later stages (blocks,
 * loops, llvm, asm, obj) come with the passes that produce them. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
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
        "  --emit=STAGE            output stage: sattn (the pattern IR; default)\n"
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
  const char *input, *output, *emit;
  bool summary, split, verify, debuginfo;
  int64_t seq, check_len;
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
  *o = (options){.emit = "sattn", .seq = 4096, .check_len = LANG_DEFAULT_CHECK_LEN};
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
  if (strcmp(o->emit, "sattn") != 0) {
    tool_error(TOOL, "unknown --emit stage '%s' (available: sattn)", o->emit);
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
  bool failed = false;
  for (size_t c = 0; c < nchunks; c++) {
    diag_source src = {file, chunks[c].text, chunks[c].len};
    diag_printer printer = {stderr, &src, 1};
    expect_state ex;
    diag_sink sink = {diag_print_fn, &printer, 0, 0};
    if (o.verify) {
      expect_init(&ex, file, chunks[c].text, chunks[c].len, &printer);
      sink = (diag_sink){expect_diag_fn, &ex, 0, 0};
    }
    lang_unit u;
    bool ok = lang_compile(&u, ctx, file, chunks[c].text, chunks[c].len, &lo, &sink);
    if (c)
      fputs("// -----\n", out.f);
    if (ok) {
      mlirOperationPrintWithFlags(mlirModuleGetOperation(u.module), flags,
                                  print_to_file, out.f);
      fputc('\n', out.f);
      if (o.summary)
        print_summary(summary_out, u.prog, o.seq);
    }
    if (o.verify) {
      failed |= !expect_finish(&ex);
      expect_free(&ex);
    } else {
      failed |= !ok;
    }
    lang_unit_destroy(&u);
  }
  mlirOpPrintingFlagsDestroy(flags);
  mlirContextDestroy(ctx);
  tool_chunks_free(chunks, nchunks);
  free(text);
  if (failed) {
    tool_out_abort(&out);
    return 1;
  }
  if (!tool_out_commit(&out, err, sizeof err)) {
    tool_error(TOOL, "%s", err);
    return 1;
  }
  return 0;
}
