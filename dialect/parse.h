/* The pattern-language parser: text -> ast_file (grammar in parse.c and
 * docs/pattern-language.md). Stops at the first syntax error (reported to
 * the sink); never recurses deeper than PARSE_MAX_DEPTH. */
#ifndef SATTN_PARSE_H
#define SATTN_PARSE_H

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "lex.h"

enum { PARSE_MAX_DEPTH = 200 };

/* Parses a whole file. Returns NULL after reporting an error. */
ast_file *parse_file(arena *a, const char *file, const char *text,
                     size_t len, diag_sink *diag);

/* Parses a single pattern expression (sattn-run --pattern). */
ast_expr *parse_expr_string(arena *a, const char *file, const char *text,
                            size_t len, diag_sink *diag);

#endif
