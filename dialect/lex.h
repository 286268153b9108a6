/* The pattern-language lexer.
 *
 * Tokens: identifiers [A-Za-z_][A-Za-z0-9_]*, integers (decimal or 0x hex,
 * up to 2^64 - 1), decimal floats (1.5, 2e-3), punctuation ( ) { } [ ] , =
 * | & - : ; and end of input. Comments run from `#` or `//` to the end of
 * the line; whitespace and newlines separate tokens only. Any other byte
 * (NUL, control bytes, non-ASCII outside comments) is an error at its
 * position. */
#ifndef SATTN_LEX_H
#define SATTN_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

typedef enum tok_kind {
  TOK_EOF,
  TOK_IDENT,
  TOK_INT,
  TOK_FLOAT,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_LBRACE,
  TOK_RBRACE,
  TOK_LBRACKET,
  TOK_RBRACKET,
  TOK_COMMA,
  TOK_EQ,
  TOK_PIPE,
  TOK_AMP,
  TOK_MINUS,
  TOK_COLON,
  TOK_SEMI,
  TOK_ERROR, /* already reported */
} tok_kind;

typedef struct token {
  tok_kind kind;
  const char *start;
  size_t len;
  src_loc loc;
  uint64_t ival; /* TOK_INT */
  double fval;   /* TOK_FLOAT */
} token;

typedef struct lexer {
  const char *file;
  const char *cur, *end;
  unsigned line;
  const char *line_start;
  diag_sink *diag;
} lexer;

void lex_init(lexer *lx, const char *file, const char *text, size_t len,
              diag_sink *diag);
/* The next token; on a bad byte or literal reports an error and returns
 * TOK_ERROR. */
token lex_next(lexer *lx);
/* A printable description of a token kind for messages ("')'", "a number"). */
const char *lex_kind_name(tok_kind k);

#endif
