/* sattn-opt: runs sattn and upstream passes over .mlir input, for lit tests.
 *
 *   sattn-opt [FILE|-] [-o OUT] [--pass-pipeline=PIPE | --PASS[=OPTS] ...]
 *             [--split-input-file] [--verify-diagnostics]
 *             [--mlir-print-debuginfo] [--list-passes]
 *
 * The MLIR C API cannot register a C pass by name, so pipelines are parsed
 * here (grammar below): sattn passes come from passes/registry.c, every
 * other name goes to the upstream parser through
 * mlirOpPassManagerAddPipeline, one element at a time.
 *
 *   pipeline := NAME '(' [elem (',' elem)*] ')'      NAME: the anchor op
 *   elem     := NAME '(' [elem (',' elem)*] ')'      nested pass manager
 *             | NAME ['{' options '}']               a pass
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "expect.h"
#include "lang.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"
#include "mlir_diag.h"
#include "registry.h"
#include "tool_io.h"

static const char *const TOOL = "sattn-opt";

static void usage(FILE *f) {
  fputs("usage: sattn-opt [FILE|-] [options]\n"
        "Runs sattn and upstream MLIR passes over an .mlir file and prints the\n"
        "result.\n\n"
        "options:\n"
        "  -o FILE                 write the output to FILE (default: stdout)\n"
        "  --pass-pipeline=PIPE    e.g. 'builtin.module(sattn-verify,canonicalize)'\n"
        "  --PASS[=OPTIONS]        append one pass (sattn or upstream), in order,\n"
        "                          e.g. --sattn-verify --cse --canonicalize='max-iterations=2'\n"
        "  --split-input-file      process each '// -----' chunk on its own\n"
        "  --verify-diagnostics    check diagnostics against expected-error\n"
        "                          {{...}} comments\n"
        "  --mlir-print-debuginfo  print op locations\n"
        "  --list-passes           list the sattn passes\n"
        "  --help, --version\n", f);
}

/* ---- pipeline parsing ---------------------------------------------------- */

typedef struct pipe_parser {
  const char *s, *p;
  char err[1024];
} pipe_parser;

static void skip_ws(pipe_parser *pp) {
  while (*pp->p && isspace((unsigned char)*pp->p))
    pp->p++;
}

static size_t name_len(const char *p) {
  size_t n = 0;
  while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-' || p[n] == '.')
    n++;
  return n;
}

static void upstream_error(MlirStringRef msg, void *user) {
  pipe_parser *pp = user;
  size_t len = strlen(pp->err);
  snprintf(pp->err + len, sizeof pp->err - len, "%.*s", (int)msg.length, msg.data);
}

/* Adds one pass `name{opts}` to opm. */
static bool add_pass(pipe_parser *pp, MlirOpPassManager opm, const char *name,
                     size_t nlen, const char *opts, size_t olen) {
  const sattn_pass_info *info = sattn_pass_find(name, nlen);
  if (info) {
    char o[1024];
    if (olen >= sizeof o) {
      snprintf(pp->err, sizeof pp->err, "options of '%s' are too long", info->name);
      return false;
    }
    if (olen)
      memcpy(o, opts, olen);
    o[olen] = '\0';
    char why[256] = "";
    MlirPass pass = info->create(o, why, sizeof why);
    if (!pass.ptr) {
      snprintf(pp->err, sizeof pp->err, "%s", why);
      return false;
    }
    mlirOpPassManagerAddOwnedPass(opm, pass);
    return true;
  }
  char text[1400];
  if (nlen + olen + 3 >= sizeof text) {
    snprintf(pp->err, sizeof pp->err, "pass '%.*s' is too long", (int)nlen, name);
    return false;
  }
  int n = snprintf(text, sizeof text, "%.*s", (int)nlen, name);
  if (opts)
    snprintf(text + n, sizeof text - (size_t)n, "{%.*s}", (int)olen, opts);
  pp->err[0] = '\0';
  /* LLVM's option parser prints bad option values straight to fd 2 instead
   * of the error callback: capture fd 2 meanwhile and keep its text. */
  fflush(stderr);
  int saved = dup(2);
  FILE *capture = tmpfile();
  if (saved >= 0 && capture)
    dup2(fileno(capture), 2);
  MlirLogicalResult added = mlirOpPassManagerAddPipeline(
      opm, mlirStringRefCreateFromCString(text), upstream_error, pp);
  fflush(stderr);
  char printed[512] = "";
  if (saved >= 0 && capture) {
    dup2(saved, 2);
    rewind(capture);
    size_t got = fread(printed, 1, sizeof printed - 1, capture);
    printed[got] = '\0';
  }
  if (saved >= 0)
    close(saved);
  if (capture)
    fclose(capture);
  if (mlirLogicalResultIsFailure(added)) {
    /* Keep the first line of what upstream said, without "file:1:1:". */
    const char *why = NULL;
    const char *sources[] = {pp->err, printed};
    for (int k = 0; k < 2 && !why; k++) {
      const char *w = sources[k];
      const char *e = strstr(w, "error: ");
      if (e)
        w = e + 7;
      w += strspn(w, " :\n");
      if (*w)
        why = w;
    }
    if (!why)
      why = "";
    char up[512];
    int n = snprintf(up, sizeof up, "%.*s", (int)strcspn(why, "\n"), why);
    const char *extra = printed + strspn(printed, " :\n");
    if (why < printed || why >= printed + sizeof printed) /* why is pp->err */
      if (*extra && n > 0 && (size_t)n < sizeof up)
        snprintf(up + n, sizeof up - (size_t)n, " (%.*s)",
                 (int)strcspn(extra, "\n"), extra);
    snprintf(pp->err, sizeof pp->err, "unknown or invalid pass '%.200s': %s",
             text, up[0] ? up : "not a sattn or upstream pass");
    return false;
  }
  if (printed[0]) /* a warning that did not fail: pass it on */
    fputs(printed, stderr);
  return true;
}

static bool parse_elems(pipe_parser *pp, MlirOpPassManager opm, int depth);

static bool parse_elem(pipe_parser *pp, MlirOpPassManager opm, int depth) {
  skip_ws(pp);
  const char *name = pp->p;
  size_t nlen = name_len(name);
  if (!nlen) {
    snprintf(pp->err, sizeof pp->err, "expected a pass or op name at offset %ld",
             (long)(pp->p - pp->s));
    return false;
  }
  pp->p += nlen;
  skip_ws(pp);
  if (*pp->p == '(') {
    pp->p++;
    char op[256];
    snprintf(op, sizeof op, "%.*s", (int)(nlen < 255 ? nlen : 255), name);
    MlirOpPassManager nested =
        mlirOpPassManagerGetNestedUnder(opm, mlirStringRefCreateFromCString(op));
    return parse_elems(pp, nested, depth + 1);
  }
  const char *opts = NULL;
  size_t olen = 0;
  if (*pp->p == '{') {
    int braces = 1;
    opts = ++pp->p;
    while (*pp->p && braces) {
      braces += *pp->p == '{';
      braces -= *pp->p == '}';
      pp->p++;
    }
    if (braces) {
      snprintf(pp->err, sizeof pp->err, "unclosed '{' in the options of '%.*s'",
               (int)nlen, name);
      return false;
    }
    olen = (size_t)(pp->p - 1 - opts);
  }
  return add_pass(pp, opm, name, nlen, opts, olen);
}

/* elems ')' */
static bool parse_elems(pipe_parser *pp, MlirOpPassManager opm, int depth) {
  if (depth > 32) {
    snprintf(pp->err, sizeof pp->err, "pipeline nested too deeply");
    return false;
  }
  skip_ws(pp);
  if (*pp->p == ')') {
    pp->p++;
    return true;
  }
  for (;;) {
    if (!parse_elem(pp, opm, depth))
      return false;
    skip_ws(pp);
    if (*pp->p == ',') {
      pp->p++;
      continue;
    }
    if (*pp->p == ')') {
      pp->p++;
      return true;
    }
    snprintf(pp->err, sizeof pp->err, "expected ',' or ')' at offset %ld",
             (long)(pp->p - pp->s));
    return false;
  }
}

/* Builds a pass manager from `NAME(elems)`. */
static bool parse_pipeline(MlirContext ctx, const char *text, MlirPassManager *pm,
                           char *err, size_t errlen) {
  pipe_parser pp = {text, text, ""};
  skip_ws(&pp);
  size_t nlen = name_len(pp.p);
  char anchor[256];
  snprintf(anchor, sizeof anchor, "%.*s", (int)(nlen < 255 ? nlen : 255), pp.p);
  pp.p += nlen;
  skip_ws(&pp);
  if (!nlen || *pp.p != '(') {
    snprintf(err, errlen, "--pass-pipeline must look like "
                          "'builtin.module(pass1,pass2,...)'");
    return false;
  }
  pp.p++;
  *pm = mlirPassManagerCreateOnOperation(ctx, mlirStringRefCreateFromCString(anchor));
  bool ok = parse_elems(&pp, mlirPassManagerGetAsOpPassManager(*pm), 0);
  skip_ws(&pp);
  if (ok && *pp.p) {
    snprintf(pp.err, sizeof pp.err, "unexpected text after the pipeline: '%s'", pp.p);
    ok = false;
  }
  if (!ok) {
    snprintf(err, errlen, "invalid pass pipeline: %s", pp.err);
    mlirPassManagerDestroy(*pm);
  }
  return ok;
}

/* ---- parsing ------------------------------------------------------------- */

/* Diagnostics held back during a first parse attempt. */
typedef struct held_diags {
  int count;
  char first_msg[256];
} held_diags;

static void keep_first(MlirStringRef s, void *user) {
  held_diags *h = user;
  size_t len = strlen(h->first_msg);
  snprintf(h->first_msg + len, sizeof h->first_msg - len, "%.*s", (int)s.length,
           s.data);
}

static MlirLogicalResult hold(MlirDiagnostic d, void *user) {
  held_diags *h = user;
  if (h->count++ == 0)
    mlirDiagnosticPrint(d, keep_first, h);
  return mlirLogicalResultSuccess();
}

/* MLIR 22 fails without any diagnostic when an IRDL op is written in custom
 * form (`sattn.window {...}`): IRDL ops have only the generic form. Point at
 * the first such use, or at the file when there is none. */
static void report_silent_failure(const char *text, size_t len,
                                  const char *file, diag_sink *sink) {
  unsigned line = 1;
  const char *line_start = text;
  bool comment = false;
  for (size_t i = 0; i + 6 < len; i++) {
    char c = text[i];
    if (c == '\n') {
      line++;
      line_start = text + i + 1;
      comment = false;
      continue;
    }
    if (c == '/' && text[i + 1] == '/')
      comment = true;
    if (comment || memcmp(text + i, "sattn.", 6) != 0)
      continue;
    /* An op starts a line or follows `=`; anything else (an attribute name
     * in {...}, a type !sattn.mask, a string) is not a custom-form op. */
    const char *b = text + i;
    while (b > line_start && (b[-1] == ' ' || b[-1] == '\t'))
      b--;
    if (b != line_start && b[-1] != '=')
      continue;
    size_t n = 6;
    while (i + n < len && (text[i + n] == '_' || (text[i + n] >= 'a' && text[i + n] <= 'z')))
      n++;
    diag_report(sink, SATTN_ERROR, file,
                (src_loc){line, (unsigned)(text + i - line_start) + 1},
                "'%.*s' must be written in the generic form: \"%.*s\"(operands) "
                "{attributes} : (types) -> !sattn.mask (IRDL ops have no custom "
                "syntax)", (int)n, text + i, (int)n, text + i);
    return;
  }
  diag_report(sink, SATTN_ERROR, file, (src_loc){0, 0},
              "the input did not parse (MLIR reported no reason)");
}

/* The wrapper "module {" sits on line 1 and shifts its columns: give the
 * ops and block arguments parsed from line 1 their real columns back. */
typedef struct unshift {
  MlirContext ctx;
  MlirStringRef file;
  unsigned by;
} unshift;

static MlirLocation unshift_loc(const unshift *u, MlirLocation loc) {
  if (!mlirLocationIsAFileLineColRange(loc) ||
      mlirLocationFileLineColRangeGetStartLine(loc) != 1)
    return loc;
  MlirStringRef f = mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(loc));
  int col = mlirLocationFileLineColRangeGetStartColumn(loc);
  if (f.length != u->file.length || memcmp(f.data, u->file.data, f.length) ||
      col <= (int)u->by)
    return loc;
  return mlirLocationFileLineColGet(u->ctx, u->file, 1, (unsigned)col - u->by);
}

static MlirWalkResult unshift_op(MlirOperation op, void *user) {
  const unshift *u = user;
  mlirOperationSetLocation(op, unshift_loc(u, mlirOperationGetLocation(op)));
  for (MlirRegion r = mlirOperationGetFirstRegion(op); !mlirRegionIsNull(r);
       r = mlirRegionGetNextInOperation(r))
    for (MlirBlock b = mlirRegionGetFirstBlock(r); !mlirBlockIsNull(b);
         b = mlirBlockGetNextInRegion(b))
      for (intptr_t i = 0; i < mlirBlockGetNumArguments(b); i++) {
        MlirValue arg = mlirBlockGetArgument(b, i);
        mlirBlockArgumentSetLocation(arg, unshift_loc(u, mlirValueGetLocation(arg)));
      }
  return MlirWalkResultAdvance;
}

/* Forwards diagnostics, moving columns on line 1 of `file` back by `by`
 * (the wrapper's width). */
typedef struct shifted_sink {
  diag_sink *inner;
  const char *file;
  unsigned by;
} shifted_sink;

static void shifted_fn(void *user, const sattn_diag *d) {
  shifted_sink *s = user;
  sattn_diag copy = *d;
  if (copy.loc.line == 1 && copy.loc.col > s->by && copy.file &&
      strcmp(copy.file, s->file) == 0)
    copy.loc.col -= s->by;
  if (copy.severity == SATTN_ERROR)
    s->inner->errors++;
  else if (copy.severity == SATTN_WARNING)
    s->inner->warnings++;
  if (s->inner->fn)
    s->inner->fn(s->inner->user, &copy);
}

/* Parses one chunk as mlir-opt does: a lone builtin.module is used as is;
 * anything else (several top-level ops, one non-module op, nothing) goes
 * into an implicit module. Diagnostics go to `sink`. Returns a null op
 * after a parse error. */
static MlirOperation parse_chunk(MlirContext ctx, const char *text, size_t len,
                                 const char *file, diag_sink *sink) {
  MlirStringRef name = mlirStringRefCreateFromCString(file);
  held_diags held = {.count = 0};
  MlirDiagnosticHandlerID hid = mlirContextAttachDiagnosticHandler(ctx, hold, &held, NULL);
  MlirOperation op = mlirOperationCreateParse(ctx, mlirStringRefCreate(text, len), name);
  mlirContextDetachDiagnosticHandler(ctx, hid);
  if (!mlirOperationIsNull(op)) {
    MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
    if (n.length == 14 && memcmp(n.data, "builtin.module", 14) == 0)
      return op;
    MlirModule m = mlirModuleCreateEmpty(mlirLocationFileLineColGet(ctx, name, 0, 0));
    mlirBlockAppendOwnedOperation(mlirModuleGetBody(m), op);
    return mlirModuleGetOperation(m);
  }
  bool several = held.count == 1 &&
                 strstr(held.first_msg, "single top-level operation, found:");
  if (several && strstr(held.first_msg, "found: 0"))
    return mlirModuleGetOperation(
        mlirModuleCreateEmpty(mlirLocationFileLineColGet(ctx, name, 0, 0)));
  /* Parse again, reporting: wrapped in a module when there were several
   * top-level ops (the implicit module is at file:0:0, as in mlir-opt). */
  shifted_sink shim = {sink, file, several ? 8 : 0};
  diag_sink shifted = {shifted_fn, &shim, 0, 0};
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, &shifted);
  if (several) {
    char *wrapped = malloc(len + 16);
    if (wrapped) {
      memcpy(wrapped, "module {", 8);
      memcpy(wrapped + 8, text, len);
      memcpy(wrapped + 8 + len, "\n}", 3);
      op = mlirOperationCreateParse(ctx, mlirStringRefCreate(wrapped, len + 10), name);
      free(wrapped);
      if (!mlirOperationIsNull(op)) {
        unshift u = {ctx, name, 8};
        mlirOperationWalk(op, unshift_op, &u, MlirWalkPreOrder);
        mlirOperationSetLocation(op, mlirLocationFileLineColGet(ctx, name, 0, 0));
      }
    }
  } else {
    op = mlirOperationCreateParse(ctx, mlirStringRefCreate(text, len), name);
  }
  mlir_diag_detach(ctx, h);
  if (mlirOperationIsNull(op) && held.count == 0)
    report_silent_failure(text, len, file, sink);
  return op;
}

/* ---- driver -------------------------------------------------------------- */

typedef struct options {
  const char *input, *output, *pipeline;
  bool split, verify, debuginfo;
  /* --PASS flags, as pipeline elements */
  char *flag_passes;
} options;

static bool append_flag_pass(options *o, const char *flag) {
  const char *eq = strchr(flag, '=');
  size_t nlen = eq ? (size_t)(eq - flag) : strlen(flag);
  size_t old = o->flag_passes ? strlen(o->flag_passes) : 0;
  size_t add = strlen(flag) + 4;
  char *s = realloc(o->flag_passes, old + add + 1);
  if (!s)
    return false;
  if (old)
    s[old++] = ',';
  if (eq)
    snprintf(s + old, add, "%.*s{%s}", (int)nlen, flag, eq + 1);
  else
    snprintf(s + old, add, "%s", flag);
  o->flag_passes = s;
  return true;
}

static int parse_args(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 1;
    } else if (!strcmp(a, "--version")) {
      printf("sattn-opt %s (MLIR 22)\n", SATTN_VERSION);
      return 1;
    } else if (!strcmp(a, "--list-passes")) {
      size_t n;
      const sattn_pass_info *t = sattn_pass_table(&n);
      puts("sattn passes (every upstream MLIR pass is available too):");
      for (size_t k = 0; k < n; k++)
        printf("  %-22s %s%s%s%s\n", t[k].name, t[k].description,
               t[k].options[0] ? " [options: " : "", t[k].options,
               t[k].options[0] ? "]" : "");
      return 1;
    } else if (!strcmp(a, "-o")) {
      if (++i >= argc) {
        tool_error(TOOL, "-o needs a file name");
        return 2;
      }
      o->output = argv[i];
    } else if (!strncmp(a, "--pass-pipeline=", 16)) {
      o->pipeline = a + 16;
    } else if (!strcmp(a, "--split-input-file")) {
      o->split = true;
    } else if (!strcmp(a, "--verify-diagnostics")) {
      o->verify = true;
    } else if (!strcmp(a, "--mlir-print-debuginfo")) {
      o->debuginfo = true;
    } else if (a[0] == '-' && a[1] == '-' && a[2]) {
      if (!append_flag_pass(o, a + 2)) {
        tool_error(TOOL, "out of memory");
        return 2;
      }
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
  if (o->pipeline && o->flag_passes) {
    tool_error(TOOL, "give either --pass-pipeline or pass flags (--%s), not both",
               o->flag_passes);
    return 2;
  }
  if (!o->input)
    o->input = "-";
  return 0;
}

static void print_to_file(MlirStringRef s, void *user) {
  fwrite(s.data, 1, s.length, user);
}

typedef struct opt_ctx {
  MlirContext ctx;
  MlirPassManager pm;
  MlirOpPrintingFlags flags;
  const char *file;
} opt_ctx;

/* One chunk: parse, run the pipeline, print. */
static bool opt_chunk(void *user, const char *text, size_t len, diag_sink *sink,
                      FILE *out) {
  opt_ctx *oc = user;
  MlirOperation op = parse_chunk(oc->ctx, text, len, oc->file, sink);
  bool ok = !mlirOperationIsNull(op);
  if (ok) {
    MlirDiagnosticHandlerID h = mlir_diag_attach(oc->ctx, sink);
    ok = mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(oc->pm, op));
    mlir_diag_detach(oc->ctx, h);
  }
  if (ok) {
    mlirOperationPrintWithFlags(op, oc->flags, print_to_file, out);
    fputc('\n', out);
  }
  if (!mlirOperationIsNull(op))
    mlirOperationDestroy(op);
  return ok;
}

static int run(options *o, MlirContext ctx) {
  char err[1024] = "";
  MlirPassManager pm;
  if (o->pipeline) {
    if (!parse_pipeline(ctx, o->pipeline, &pm, err, sizeof err)) {
      tool_error(TOOL, "%s", err);
      return 2;
    }
  } else {
    size_t n = o->flag_passes ? strlen(o->flag_passes) : 0;
    char *text = malloc(n + 32);
    if (!text) {
      tool_error(TOOL, "out of memory");
      return 1;
    }
    snprintf(text, n + 32, "builtin.module(%s)", o->flag_passes ? o->flag_passes : "");
    bool ok = parse_pipeline(ctx, text, &pm, err, sizeof err);
    free(text);
    if (!ok) {
      tool_error(TOOL, "%s", err);
      return 2;
    }
  }
  size_t len;
  char *input = tool_read_file(o->input, &len, err, sizeof err);
  if (!input) {
    tool_error(TOOL, "%s", err);
    mlirPassManagerDestroy(pm);
    return 1;
  }
  const char *file = strcmp(o->input, "-") == 0 ? "<stdin>" : o->input;
  tool_chunk *chunks;
  size_t nchunks = tool_split(input, len, o->split, &chunks);
  tool_out out;
  if (!nchunks || !tool_out_open(&out, o->output, err, sizeof err)) {
    tool_error(TOOL, "%s", nchunks ? err : "out of memory");
    tool_chunks_free(chunks, nchunks);
    free(input);
    mlirPassManagerDestroy(pm);
    return 1;
  }
  MlirOpPrintingFlags flags = mlirOpPrintingFlagsCreate();
  if (o->debuginfo)
    mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
  opt_ctx oc = {ctx, pm, flags, file};
  bool ok = expect_run_chunks(file, chunks, nchunks, o->verify, out.f, opt_chunk, &oc);
  mlirOpPrintingFlagsDestroy(flags);
  mlirPassManagerDestroy(pm);
  tool_chunks_free(chunks, nchunks);
  free(input);
  return tool_out_finish(&out, ok, TOOL);
}

int main(int argc, char **argv) {
  options o;
  int r = parse_args(argc, argv, &o);
  if (r) {
    free(o.flag_passes);
    return r == 1 ? 0 : 2;
  }
  mlirRegisterAllPasses();
  MlirContext ctx = sattn_context_create();
  if (mlirContextIsNull(ctx)) {
    free(o.flag_passes);
    return 1;
  }
  r = run(&o, ctx);
  mlirContextDestroy(ctx);
  free(o.flag_passes);
  return r;
}
