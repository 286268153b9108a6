/* The pattern-language driver (see lang.h). */
#include "lang.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "mlir-c/Pass.h"
#include "mlir_diag.h"
#include "parse.h"
#include "registry.h"
#include "to_oracle.h"

bool lang_verify(MlirContext ctx, MlirModule m) {
  MlirOperation op = mlirModuleGetOperation(m);
  if (!mlirOperationVerify(op))
    return false;
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  char err[256];
  MlirPass verify = sattn_create_verify_pass("", err, sizeof err);
  mlirPassManagerAddOwnedPass(pm, verify);
  MlirLogicalResult r = mlirPassManagerRunOnOp(pm, op);
  mlirPassManagerDestroy(pm);
  return mlirLogicalResultIsSuccess(r);
}

/* Writes the runs of empty rows as "a..b, c" (", ..." when more). */
static void describe_rows(char *buf, size_t cap, const int64_t *runs,
                          size_t nruns, bool more) {
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < nruns && len < cap; i++) {
    int64_t a = runs[2 * i], b = runs[2 * i + 1] - 1;
    len += (size_t)(a == b ? snprintf(buf + len, cap - len, "%s%lld",
                                      i ? ", " : "", (long long)a)
                           : snprintf(buf + len, cap - len, "%s%lld..%lld",
                                      i ? ", " : "", (long long)a, (long long)b));
  }
  if (more && len < cap)
    snprintf(buf + len, cap - len, ", ...");
}

/* Warns when a pattern leaves rows empty at Lq = Lk = len (the rows whose
 * every key is ORC_NO; dynamic terms count as possibly allowed). */
static size_t count_nodes(const sem_node *n) {
  size_t c = 0;
  for (; n; n = n->lhs) /* iterate left, recurse right: chains lean left */
    c += 1 + count_nodes(n->rhs);
  return c;
}

/* Node evaluations the empty-row check may spend on one pattern. A row's
 * scan stops at its first allowed key, so most patterns cost about one
 * evaluation per row; a pattern with many long empty rows runs out of
 * budget, and then only the rows checked so far are reported (the warning
 * says so). */
#define ROW_CHECK_BUDGET 1000000000.0

/* Whether row i is empty, spending at most *budget node evaluations;
 * returns -1 when the budget ran out first. */
static int row_empty(const orc_node *o, double nodes, int64_t i, int64_t len,
                     double *budget) {
  /* The diagonal first (window, causal, local, dilated and stride all allow
   * j = i), then key 0 (global and summary columns), then the rest: most
   * rows are decided by one evaluation. */
  for (int64_t k = -1; k < len; k++) {
    int64_t j = k < 0 ? i : k;
    if (k == i)
      continue;
    if ((*budget -= nodes) < 0)
      return -1;
    if (orc_eval(o, i, j, len, len, 0) != ORC_NO)
      return 0;
  }
  return 1;
}

static void check_rows(diag_sink *diag, const char *file, const char *what,
                       const char *name, src_loc loc, const sem_node *mask,
                       int64_t len) {
  double nodes = (double)count_nodes(mask), budget = ROW_CHECK_BUDGET;
  orc_node *o = sem_to_oracle(mask);
  if (!o)
    return;
  int64_t rows = len;
  int64_t empty = 0, runs[8];
  size_t nruns = 0, total_runs = 0;
  bool prev = false; /* row i - 1 was empty */
  for (int64_t i = 0; i < rows; i++) {
    int r = row_empty(o, nodes, i, len, &budget);
    if (r < 0) {
      rows = i;
      break;
    }
    bool e = r == 1;
    if (e) {
      empty++;
      if (!prev) {
        total_runs++;
        if (nruns < 4) {
          runs[2 * nruns] = i;
          nruns++;
        }
      }
      if (total_runs == nruns) /* the current run is a stored one */
        runs[2 * nruns - 1] = i + 1;
    }
    prev = e;
  }
  orc_node_destroy(o);
  if (rows < 1)
    return;
  char checked[96] = "";
  if (rows < len)
    snprintf(checked, sizeof checked, "; only the first %lld rows were checked",
             (long long)rows);
  if (empty == len) {
    diag_report(diag, SATTN_WARNING, file, loc,
                "%s '%s' allows no key for any row at Lq = Lk = %lld (every "
                "output row will be 0)", what, name, (long long)len);
  } else if (empty) {
    char rows_text[160];
    describe_rows(rows_text, sizeof rows_text, runs, nruns, total_runs > nruns);
    diag_report(diag, SATTN_WARNING, file, loc,
                "%s '%s' leaves %s%lld of %lld rows empty at Lq = Lk = %lld "
                "(%s %s %s 0%s)", what, name, rows < len ? "at least " : "",
                (long long)empty,
                (long long)len, (long long)len, empty == 1 ? "row" : "rows",
                rows_text, empty == 1 ? "gives" : "give", checked);
  }
}

bool lang_compile(lang_unit *u, MlirContext ctx, const char *file,
                  const char *text, size_t len, const lang_options *opt,
                  diag_sink *diag) {
  memset(u, 0, sizeof *u);
  unsigned errors = diag->errors;
  ast_file *f = parse_file(&u->arena, file, text, len, diag);
  if (!f || diag->errors != errors)
    return false;
  u->prog = sema_file(&u->arena, f, diag);
  if (!u->prog || diag->errors != errors)
    return false;
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, diag);
  u->module = emit_program(ctx, u->prog);
  bool ok = lang_verify(ctx, u->module);
  mlir_diag_detach(ctx, h);
  if (!ok || diag->errors != errors) {
    if (diag->errors == errors)
      diag_report(diag, SATTN_ERROR, file, (src_loc){0, 0},
                  "internal error: the emitted IR does not verify");
    mlirModuleDestroy(u->module);
    u->module = (MlirModule){NULL};
    return false;
  }
  int64_t n = opt ? opt->check_len : LANG_DEFAULT_CHECK_LEN;
  if (n > 0) {
    for (const sem_pattern *p = u->prog->patterns; p; p = p->next)
      check_rows(diag, file, "pattern", p->name, p->loc, p->mask, n);
    for (const sem_kernel *k = u->prog->kernels; k; k = k->next)
      for (size_t g = 0; g < k->ngroups; g++)
        check_rows(diag, file, "the pattern of kernel", k->name, k->mask_locs[g],
                   k->masks[g], n);
  }
  return true;
}

void lang_unit_destroy(lang_unit *u) {
  if (!u)
    return;
  if (!mlirModuleIsNull(u->module))
    mlirModuleDestroy(u->module);
  u->module = (MlirModule){NULL};
  arena_destroy(&u->arena);
  u->prog = NULL;
}

bool lang_compile_pattern(lang_unit *u, MlirContext ctx, const char *file,
                          const char *text, size_t len, int dtype,
                          int64_t head_dim, diag_sink *diag) {
  memset(u, 0, sizeof *u);
  unsigned errors = diag->errors;
  ast_expr *e = parse_expr_string(&u->arena, file, text, len, diag);
  sem_node *mask = e ? sema_expr(&u->arena, file, e, diag) : NULL;
  if (!mask || diag->errors != errors)
    return false;
  sem_program *prog = arena_alloc(&u->arena, sizeof *prog);
  sem_kernel *k = arena_alloc(&u->arena, sizeof *k);
  int64_t *groups = arena_alloc(&u->arena, 2 * sizeof *groups);
  sem_node **masks = arena_alloc(&u->arena, sizeof *masks);
  src_loc *locs = arena_alloc(&u->arena, sizeof *locs);
  if (!prog || !k || !groups || !masks || !locs) {
    diag_report(diag, SATTN_ERROR, file, (src_loc){0, 0}, "out of memory");
    return false;
  }
  groups[0] = 0;
  groups[1] = -1;
  masks[0] = mask;
  locs[0] = e->loc;
  *k = (sem_kernel){"run", {1, 1}, (sem_dtype)dtype, head_dim,
                    1.0 / sqrt((double)head_dim), false, 1, groups, masks, locs, NULL};
  prog->file = file;
  prog->kernels = k;
  u->prog = prog;
  MlirDiagnosticHandlerID h = mlir_diag_attach(ctx, diag);
  u->module = emit_program(ctx, prog);
  bool ok = lang_verify(ctx, u->module);
  mlir_diag_detach(ctx, h);
  if (!ok || diag->errors != errors) {
    mlirModuleDestroy(u->module);
    u->module = (MlirModule){NULL};
    return false;
  }
  return true;
}
