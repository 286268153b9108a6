/* The pattern-language driver: text -> verified sattn module.
 *
 * Runs the lexer, parser, semantic checks and emission, then the MLIR
 * verifier and sattn-verify, then warns about rows the pattern leaves empty
 * at a sample length. Diagnostics go to the sink; MLIR diagnostics raised
 * meanwhile are routed there too. */
#ifndef SATTN_LANG_H
#define SATTN_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "mlir-c/IR.h"
#include "sema.h"

typedef struct lang_options {
  /* Lq = Lk used by the empty-row warning; 0 turns the check off. */
  int64_t check_len;
} lang_options;

enum { LANG_DEFAULT_CHECK_LEN = 1024 };

typedef struct lang_unit {
  arena arena;        /* owns prog */
  sem_program *prog;  /* resolved patterns and kernels */
  MlirModule module;  /* owned; null after errors */
} lang_unit;

/* Compiles `text` (named `file` in diagnostics). Returns true on success
 * (warnings allowed); on failure the unit holds no module. Call
 * lang_unit_destroy either way. */
bool lang_compile(lang_unit *u, MlirContext ctx, const char *file,
                  const char *text, size_t len, const lang_options *opt,
                  diag_sink *diag);

void lang_unit_destroy(lang_unit *u);

/* Runs the MLIR verifier and sattn-verify on a module. */
bool lang_verify(MlirContext ctx, MlirModule m);

#endif
