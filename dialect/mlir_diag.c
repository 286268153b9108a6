/* MLIR diagnostics -> diag_sink (see mlir_diag.h). */
#include "mlir_diag.h"

#include "registry.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct text_buf {
  char *s;
  size_t len, cap;
  bool oom;
} text_buf;

static void append(MlirStringRef str, void *user) {
  text_buf *b = user;
  if (b->oom)
    return;
  if (b->len + str.length + 1 > b->cap) {
    size_t cap = (b->len + str.length + 1) * 2;
    char *s = realloc(b->s, cap);
    if (!s) {
      b->oom = true;
      return;
    }
    b->s = s;
    b->cap = cap;
  }
  memcpy(b->s + b->len, str.data, str.length);
  b->len += str.length;
  b->s[b->len] = '\0';
}

/* A file:line:col position from a location: the callee of a call site, the
 * first of a fused location, the child of a name. Returns false if none. */
static bool file_pos(MlirLocation loc, MlirStringRef *file, src_loc *pos) {
  for (int guard = 0; guard < 64; guard++) {
    if (mlirLocationIsAFileLineColRange(loc)) {
      *file = mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(loc));
      pos->line = (unsigned)mlirLocationFileLineColRangeGetStartLine(loc);
      pos->col = (unsigned)mlirLocationFileLineColRangeGetStartColumn(loc);
      return true;
    }
    if (mlirLocationIsACallSite(loc))
      loc = mlirLocationCallSiteGetCallee(loc);
    else if (mlirLocationIsAName(loc))
      loc = mlirLocationNameGetChildLoc(loc);
    else
      return false;
  }
  return false;
}

static void report(diag_sink *sink, sattn_severity sev, MlirLocation loc,
                   const char *msg) {
  MlirStringRef file = {NULL, 0};
  src_loc pos = {0, 0};
  char name[512] = "";
  if (file_pos(loc, &file, &pos))
    snprintf(name, sizeof name, "%.*s", (int)file.length, file.data);
  diag_report(sink, sev, name, pos, "%s", msg);
  /* Use sites of a term written inside a pattern, innermost first. */
  for (int guard = 0; guard < 64 && mlirLocationIsACallSite(loc); guard++) {
    MlirLocation caller = mlirLocationCallSiteGetCaller(loc);
    MlirLocation at = mlirLocationIsACallSite(caller)
                          ? mlirLocationCallSiteGetCallee(caller)
                          : caller;
    if (file_pos(at, &file, &pos)) {
      snprintf(name, sizeof name, "%.*s", (int)file.length, file.data);
      diag_report(sink, SATTN_NOTE, name, pos, "used here");
    }
    loc = caller;
  }
}

static sattn_severity severity(MlirDiagnostic d) {
  switch (mlirDiagnosticGetSeverity(d)) {
  case MlirDiagnosticError: return SATTN_ERROR;
  case MlirDiagnosticWarning: return SATTN_WARNING;
  case MlirDiagnosticNote: return SATTN_NOTE;
  case MlirDiagnosticRemark: return SATTN_REMARK;
  }
  return SATTN_ERROR;
}

void mlir_diag_forward(diag_sink *sink, MlirDiagnostic d) {
  text_buf b = {0};
  mlirDiagnosticPrint(d, append, &b);
  report(sink, severity(d), mlirDiagnosticGetLocation(d),
         b.s ? b.s : (b.oom ? "(diagnostic text lost: out of memory)" : ""));
  free(b.s);
  intptr_t n = mlirDiagnosticGetNumNotes(d);
  for (intptr_t i = 0; i < n; i++)
    mlir_diag_forward(sink, mlirDiagnosticGetNote(d, i));
}

static MlirLogicalResult handler(MlirDiagnostic d, void *user) {
  mlir_diag_forward(user, d);
  return mlirLogicalResultSuccess();
}

/* Warnings from passes (the C API cannot emit them) into the same sink. */
static void pass_warning(void *user, MlirLocation loc, const char *message) {
  report(user, SATTN_WARNING, loc, message);
}

MlirDiagnosticHandlerID mlir_diag_attach(MlirContext ctx, diag_sink *sink) {
  sattn_pass_set_warn_handler(pass_warning, sink);
  return mlirContextAttachDiagnosticHandler(ctx, handler, sink, NULL);
}

void mlir_diag_detach(MlirContext ctx, MlirDiagnosticHandlerID id) {
  sattn_pass_set_warn_handler(NULL, NULL);
  mlirContextDetachDiagnosticHandler(ctx, id);
}
