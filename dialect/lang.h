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

/* Compiles a lone pattern expression (sattn-run --pattern) into a unit with
 * one kernel named "run": dtype 0 f32, 1 f16, 2 bf16; head_dim a multiple
 * of 16 up to 256 (checked by the caller). Diagnostics name `file` (e.g.
 * "<pattern>") at line 1. */
bool lang_compile_pattern(lang_unit *u, MlirContext ctx, const char *file,
                          const char *text, size_t len, int dtype,
                          int64_t head_dim, diag_sink *diag);

/* Runs the MLIR verifier and sattn-verify on a module. */
bool lang_verify(MlirContext ctx, MlirModule m);

#endif
