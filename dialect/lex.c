/* The pattern-language lexer (grammar in lex.h and docs/pattern-language.md). */
#include "lex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void lex_init(lexer *lx, const char *file, const char *text, size_t len,
              diag_sink *diag) {
  lx->file = file;
  lx->cur = text;
  lx->end = text + len;
  lx->line = 1;
  lx->line_start = text;
  lx->diag = diag;
}

const char *lex_kind_name(tok_kind k) {
  switch (k) {
  case TOK_EOF: return "end of file";
  case TOK_IDENT: return "a name";
  case TOK_INT: return "an integer";
  case TOK_FLOAT: return "a number";
  case TOK_LPAREN: return "'('";
  case TOK_RPAREN: return "')'";
  case TOK_LBRACE: return "'{'";
  case TOK_RBRACE: return "'}'";
  case TOK_LBRACKET: return "'['";
  case TOK_RBRACKET: return "']'";
  case TOK_COMMA: return "','";
  case TOK_EQ: return "'='";
  case TOK_PIPE: return "'|'";
  case TOK_AMP: return "'&'";
  case TOK_MINUS: return "'-'";
  case TOK_COLON: return "':'";
  case TOK_SEMI: return "';'";
  case TOK_ERROR: return "an invalid token";
  }
  return "a token";
}

static src_loc here(const lexer *lx) {
  return (src_loc){lx->line, (unsigned)(lx->cur - lx->line_start) + 1};
}

static bool is_ident_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_ident_char(int c) { return is_ident_start(c) || is_digit(c); }
static bool is_hex(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Skips whitespace and comments, counting lines. */
static void skip_space(lexer *lx) {
  while (lx->cur < lx->end) {
    char c = *lx->cur;
    if (c == '\n') {
      lx->cur++;
      lx->line++;
      lx->line_start = lx->cur;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      lx->cur++;
    } else if (c == '#' ||
               (c == '/' && lx->cur + 1 < lx->end && lx->cur[1] == '/')) {
      while (lx->cur < lx->end && *lx->cur != '\n')
        lx->cur++;
    } else {
      return;
    }
  }
}

static token error_token(lexer *lx, token t, const char *fmt, unsigned arg) {
  diag_report(lx->diag, SATTN_ERROR, lx->file, t.loc, fmt, arg);
  t.kind = TOK_ERROR;
  return t;
}

/* number := digits | 0x hexdigits | digits '.' digits [exp] | digits exp */
static token lex_number(lexer *lx, token t) {
  const char *p = lx->cur;
  if (p[0] == '0' && p + 1 < lx->end && (p[1] == 'x' || p[1] == 'X')) {
    p += 2;
    const char *digits = p;
    uint64_t v = 0;
    bool over = false;
    while (p < lx->end && is_hex((unsigned char)*p)) {
      unsigned d = is_digit(*p) ? (unsigned)(*p - '0')
                                : (unsigned)((*p | 0x20) - 'a' + 10);
      if (v > (UINT64_MAX >> 4))
        over = true;
      v = (v << 4) | d;
      p++;
    }
    lx->cur = p;
    t.len = (size_t)(p - t.start);
    if (p == digits)
      return error_token(lx, t, "expected hexadecimal digits after '0x'", 0);
    if (over)
      return error_token(lx, t, "integer literal is too large (the limit is 2^64 - 1)", 0);
    if (p < lx->end && is_ident_char((unsigned char)*p))
      return error_token(lx, t, "invalid character in a number", 0);
    t.kind = TOK_INT;
    t.ival = v;
    return t;
  }
  uint64_t v = 0;
  bool over = false;
  while (p < lx->end && is_digit(*p)) {
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10)
      over = true;
    else
      v = v * 10 + d;
    p++;
  }
  bool is_float = false;
  if (p + 1 < lx->end && *p == '.' && is_digit(p[1])) {
    is_float = true;
    p++;
    while (p < lx->end && is_digit(*p))
      p++;
  }
  if (p < lx->end && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    if (q < lx->end && (*q == '+' || *q == '-'))
      q++;
    if (q < lx->end && is_digit(*q)) {
      is_float = true;
      p = q;
      while (p < lx->end && is_digit(*p))
        p++;
    }
  }
  lx->cur = p;
  t.len = (size_t)(p - t.start);
  if (p < lx->end && is_ident_char((unsigned char)*p))
    return error_token(lx, t, "invalid character in a number", 0);
  if (is_float) {
    char buf[64];
    if (t.len >= sizeof buf)
      return error_token(lx, t, "number literal is too long", 0);
    memcpy(buf, t.start, t.len);
    buf[t.len] = '\0';
    errno = 0;
    t.fval = strtod(buf, NULL);
    if (errno == ERANGE)
      return error_token(lx, t, "number literal is out of range", 0);
    t.kind = TOK_FLOAT;
    return t;
  }
  if (over)
    return error_token(lx, t, "integer literal is too large (the limit is 2^64 - 1)", 0);
  t.kind = TOK_INT;
  t.ival = v;
  return t;
}

token lex_next(lexer *lx) {
  skip_space(lx);
  token t = {TOK_EOF, lx->cur, 0, here(lx), 0, 0.0};
  if (lx->cur >= lx->end)
    return t;
  unsigned char c = (unsigned char)*lx->cur;
  if (is_ident_start(c)) {
    while (lx->cur < lx->end && is_ident_char((unsigned char)*lx->cur))
      lx->cur++;
    t.kind = TOK_IDENT;
    t.len = (size_t)(lx->cur - t.start);
    if (t.len > 256)
      return error_token(lx, t, "name is too long (more than %u characters)", 256);
    return t;
  }
  if (is_digit(c))
    return lex_number(lx, t);
  static const char punct[] = "(){}[],=|&-:;";
  static const tok_kind kinds[] = {
      TOK_LPAREN, TOK_RPAREN, TOK_LBRACE, TOK_RBRACE, TOK_LBRACKET,
      TOK_RBRACKET, TOK_COMMA, TOK_EQ, TOK_PIPE, TOK_AMP, TOK_MINUS,
      TOK_COLON, TOK_SEMI};
  const char *pos = c ? strchr(punct, c) : NULL;
  lx->cur++;
  t.len = 1;
  if (pos) {
    t.kind = kinds[pos - punct];
    return t;
  }
  if (c == '.' && lx->cur < lx->end && is_digit(*lx->cur))
    return error_token(lx, t, "a number must start with a digit (write 0.5, not .5)", 0);
  if (c >= 0x21 && c < 0x7f)
    return error_token(lx, t, "unexpected character '%c'", c);
  if (c >= 0x80)
    return error_token(lx, t, "unexpected byte 0x%02x (non-ASCII text is only allowed in comments)", c);
  return error_token(lx, t, "unexpected control byte 0x%02x", c);
}
