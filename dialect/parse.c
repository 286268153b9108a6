/* Recursive-descent parser for the pattern language.
 *
 *   file        := (pattern_def | kernel_def)* EOF
 *   pattern_def := 'pattern' NAME ['(' [NAME (',' NAME)*] ')'] '=' expr
 *   kernel_def  := 'kernel' NAME '{' entry* '}'
 *   entry       := NAME ['[' [INT] ':' [INT] ']'] '=' expr [';']
 *   expr        := and_expr ('|' and_expr)*          (lowest precedence)
 *   and_expr    := diff_expr ('&' diff_expr)*
 *   diff_expr   := primary ('-' primary)*            (highest)
 *   primary     := INT | FLOAT | '-' (INT | FLOAT)
 *                | NAME ['(' [arg (',' arg)*] [','] ')'] | '(' expr ')'
 *   arg         := NAME '=' expr | expr
 *
 * Precedence is Python's for sets: `a | b & c - d` is `a | (b & (c - d))`.
 * Newlines are whitespace; an expression ends at the first token that cannot
 * continue it. */
#include "parse.h"

#include <string.h>

typedef struct parser {
  lexer lx;
  token tok;
  arena *a;
  diag_sink *diag;
  const char *file;
  int depth;
  bool failed;
} parser;

static void advance(parser *p) {
  if (p->tok.kind != TOK_EOF && p->tok.kind != TOK_ERROR)
    p->tok = lex_next(&p->lx);
  if (p->tok.kind == TOK_ERROR) /* reported by the lexer */
    p->failed = true;
}

static void error_at(parser *p, src_loc loc, const char *fmt, const char *a1,
                     const char *a2) {
  if (!p->failed)
    diag_report(p->diag, SATTN_ERROR, p->file, loc, fmt, a1, a2);
  p->failed = true;
}

/* Describes the current token for "expected X, found Y" messages. */
static const char *found(parser *p, char *buf, size_t n) {
  if (p->tok.kind == TOK_IDENT || p->tok.kind == TOK_INT ||
      p->tok.kind == TOK_FLOAT) {
    size_t len = p->tok.len < 40 ? p->tok.len : 40;
    snprintf(buf, n, "'%.*s'%s", (int)len, p->tok.start,
             p->tok.len > 40 ? "..." : "");
    return buf;
  }
  return lex_kind_name(p->tok.kind);
}

static void expected(parser *p, const char *what) {
  char buf[64];
  if (p->tok.kind == TOK_ERROR) { /* the lexer has reported it */
    p->failed = true;
    return;
  }
  error_at(p, p->tok.loc, "expected %s, found %s", what, found(p, buf, sizeof buf));
}

static bool accept(parser *p, tok_kind k) {
  if (p->tok.kind != k)
    return false;
  advance(p);
  return true;
}

static bool expect(parser *p, tok_kind k, const char *what) {
  if (accept(p, k))
    return true;
  expected(p, what);
  return false;
}

/* `(what)` expected to close the construct opened at `open`
 * (Lua: "')' expected (to close '(' at line 3)"). */
static bool expect_close(parser *p, tok_kind k, const char *open_tok,
                         src_loc open) {
  if (accept(p, k))
    return true;
  if (p->tok.kind == TOK_ERROR) {
    p->failed = true;
    return false;
  }
  char buf[64], msg[160];
  snprintf(msg, sizeof msg, "expected %s to close '%s' at line %u:%u, found %%s",
           lex_kind_name(k), open_tok, open.line, open.col);
  error_at(p, p->tok.loc, msg, found(p, buf, sizeof buf), NULL);
  return false;
}

static void *alloc(parser *p, size_t size) {
  void *m = arena_alloc(p->a, size);
  if (!m)
    error_at(p, p->tok.loc, "out of memory", NULL, NULL);
  return m;
}

static char *tok_name(parser *p) {
  char *s = arena_strndup(p->a, p->tok.start, p->tok.len);
  if (!s)
    error_at(p, p->tok.loc, "out of memory", NULL, NULL);
  return s;
}

/* Growable array in the arena (old copies are left behind; argument lists
 * are short). */
static void *grow(parser *p, void *old, size_t n, size_t elem) {
  if (n & (n - 1)) /* grow at powers of two only */
    return old;
  void *m = alloc(p, (n ? 2 * n : 4) * elem);
  if (m && old)
    memcpy(m, old, n * elem);
  return m;
}

static ast_expr *parse_expr(parser *p);

/* `pattern` and `kernel` start definitions and are never names. */
static bool is_keyword(const token *t) {
  return t->kind == TOK_IDENT &&
         ((t->len == 7 && memcmp(t->start, "pattern", 7) == 0) ||
          (t->len == 6 && memcmp(t->start, "kernel", 6) == 0));
}

static ast_expr *new_expr(parser *p, ast_kind kind, src_loc loc) {
  ast_expr *e = alloc(p, sizeof *e);
  if (e) {
    e->kind = kind;
    e->loc = loc;
  }
  return e;
}

/* arg := NAME '=' expr | expr */
static bool parse_arg(parser *p, ast_arg *arg) {
  if (p->tok.kind == TOK_IDENT) {
    /* Look one token ahead for '=' without consuming the name. */
    /* The look-ahead lexes quietly: the token is lexed (and any error in
     * it reported) once more when the parser gets there. */
    lexer save = p->lx;
    diag_sink quiet = {NULL, NULL, 0, 0};
    save.diag = &quiet;
    token name = p->tok;
    token next = lex_next(&save);
    if (next.kind == TOK_EQ) {
      arg->name = tok_name(p);
      arg->name_loc = name.loc;
      save.diag = p->lx.diag;
      p->lx = save;
      p->tok = lex_next(&p->lx);
      if (p->tok.kind == TOK_ERROR)
        p->failed = true;
      arg->value = parse_expr(p);
      return !p->failed;
    }
  }
  arg->value = parse_expr(p);
  return !p->failed;
}

/* NAME ['(' [arg (',' arg)*] [','] ')'] */
static ast_expr *parse_name(parser *p) {
  ast_expr *e = new_expr(p, AST_NAME, p->tok.loc);
  if (!e || !(e->name = tok_name(p)))
    return NULL;
  advance(p);
  if (p->tok.kind != TOK_LPAREN)
    return e;
  src_loc open = p->tok.loc;
  advance(p);
  e->has_args = true;
  while (p->tok.kind != TOK_RPAREN) {
    if (e->nargs >= 4096) {
      error_at(p, p->tok.loc, "too many arguments (more than 4096)", NULL, NULL);
      return NULL;
    }
    e->args = grow(p, e->args, e->nargs, sizeof *e->args);
    if (!e->args || !parse_arg(p, &e->args[e->nargs]))
      return NULL;
    e->nargs++;
    if (!accept(p, TOK_COMMA))
      break;
  }
  e->rparen = p->tok.loc;
  if (!expect_close(p, TOK_RPAREN, "(", open))
    return NULL;
  return e;
}

static ast_expr *parse_primary(parser *p) {
  switch (p->tok.kind) {
  case TOK_INT:
  case TOK_FLOAT: {
    ast_expr *e = new_expr(p, p->tok.kind == TOK_INT ? AST_INT : AST_FLOAT,
                           p->tok.loc);
    if (!e)
      return NULL;
    e->ival = p->tok.ival;
    e->fval = p->tok.fval;
    advance(p);
    return e;
  }
  case TOK_MINUS: {
    src_loc loc = p->tok.loc;
    advance(p);
    if (p->tok.kind != TOK_INT && p->tok.kind != TOK_FLOAT) {
      expected(p, "a number after '-' (a pattern expression cannot start with '-')");
      return NULL;
    }
    ast_expr *e = parse_primary(p);
    if (e) {
      e->negative = true;
      e->fval = -e->fval;
      e->loc = loc;
    }
    return e;
  }
  case TOK_IDENT:
    if (is_keyword(&p->tok)) { /* `pattern a =` with its body missing */
      expected(p, "a pattern term, a name or a number");
      return NULL;
    }
    return parse_name(p);
  case TOK_LPAREN: {
    src_loc open = p->tok.loc;
    advance(p);
    ast_expr *e = parse_expr(p);
    if (!e || !expect_close(p, TOK_RPAREN, "(", open))
      return NULL;
    return e;
  }
  default:
    expected(p, "a pattern term, a name or a number");
    return NULL;
  }
}

typedef ast_expr *(*operand_fn)(parser *);

/* Left-associative chain of one operator over `operand`. */
static ast_expr *parse_chain(parser *p, tok_kind op_tok, char op,
                             operand_fn operand) {
  ast_expr *lhs = operand(p);
  while (lhs && p->tok.kind == op_tok) {
    src_loc loc = p->tok.loc;
    advance(p);
    ast_expr *rhs = operand(p);
    if (!rhs)
      return NULL;
    ast_expr *e = new_expr(p, AST_BINARY, loc);
    if (!e)
      return NULL;
    e->op = op;
    e->lhs = lhs;
    e->rhs = rhs;
    lhs = e;
  }
  return lhs;
}

static ast_expr *parse_diff(parser *p) {
  return parse_chain(p, TOK_MINUS, '-', parse_primary);
}
static ast_expr *parse_and(parser *p) {
  return parse_chain(p, TOK_AMP, '&', parse_diff);
}

static ast_expr *parse_expr(parser *p) {
  if (++p->depth > PARSE_MAX_DEPTH) {
    char lim[16];
    snprintf(lim, sizeof lim, "%d", PARSE_MAX_DEPTH);
    error_at(p, p->tok.loc, "expression is nested too deeply (more than %s levels)",
             lim, NULL);
    return NULL;
  }
  ast_expr *e = parse_chain(p, TOK_PIPE, '|', parse_and);
  p->depth--;
  return e;
}

/* pattern_def := 'pattern' NAME ['(' [NAME (',' NAME)*] ')'] '=' expr */
static ast_pattern *parse_pattern(parser *p) {
  advance(p); /* 'pattern' */
  ast_pattern *pat = alloc(p, sizeof *pat);
  if (!pat)
    return NULL;
  pat->loc = p->tok.loc;
  if (p->tok.kind != TOK_IDENT) {
    expected(p, "a pattern name after 'pattern'");
    return NULL;
  }
  if (!(pat->name = tok_name(p)))
    return NULL;
  advance(p);
  if (p->tok.kind == TOK_LPAREN) {
    src_loc open = p->tok.loc;
    advance(p);
    pat->has_params = true;
    while (p->tok.kind == TOK_IDENT) {
      if (pat->nparams >= 64) {
        error_at(p, p->tok.loc, "too many parameters (more than 64)", NULL, NULL);
        return NULL;
      }
      pat->params = grow(p, pat->params, pat->nparams, sizeof *pat->params);
      if (!pat->params)
        return NULL;
      ast_param *prm = &pat->params[pat->nparams++];
      prm->loc = p->tok.loc;
      if (!(prm->name = tok_name(p)))
        return NULL;
      advance(p);
      if (!accept(p, TOK_COMMA))
        break;
    }
    if (p->tok.kind != TOK_RPAREN && p->tok.kind != TOK_IDENT) {
      if (p->tok.kind == TOK_ERROR) {
        p->failed = true;
        return NULL;
      }
      expected(p, "a parameter name or ')'");
      return NULL;
    }
    if (!expect_close(p, TOK_RPAREN, "(", open))
      return NULL;
  }
  if (!expect(p, TOK_EQ, "'=' after the pattern name"))
    return NULL;
  pat->body = parse_expr(p);
  return pat->body ? pat : NULL;
}

/* entry := NAME ['[' [INT] ':' [INT] ']'] '=' expr [';'] */
static bool parse_entry(parser *p, ast_entry *en) {
  en->loc = p->tok.loc;
  if (!(en->key = tok_name(p)))
    return false;
  advance(p);
  if (p->tok.kind == TOK_LBRACKET) {
    src_loc open = p->tok.loc;
    en->has_range = true;
    en->range_loc = open;
    advance(p);
    if (p->tok.kind == TOK_INT) {
      en->has_lo = true;
      en->lo = p->tok.ival;
      advance(p);
    }
    if (!expect(p, TOK_COLON, "':' in a head range such as [0:4]"))
      return false;
    if (p->tok.kind == TOK_INT) {
      en->has_hi = true;
      en->hi = p->tok.ival;
      advance(p);
    }
    if (!expect_close(p, TOK_RBRACKET, "[", open))
      return false;
  }
  if (!expect(p, TOK_EQ, "'=' after the kernel setting name"))
    return false;
  en->value = parse_expr(p);
  if (!en->value)
    return false;
  accept(p, TOK_SEMI);
  return true;
}

/* kernel_def := 'kernel' NAME '{' entry* '}' */
static ast_kernel *parse_kernel(parser *p) {
  advance(p); /* 'kernel' */
  ast_kernel *k = alloc(p, sizeof *k);
  if (!k)
    return NULL;
  k->loc = p->tok.loc;
  if (p->tok.kind != TOK_IDENT) {
    expected(p, "a kernel name after 'kernel'");
    return NULL;
  }
  if (!(k->name = tok_name(p)))
    return NULL;
  advance(p);
  src_loc open = p->tok.loc;
  if (!expect(p, TOK_LBRACE, "'{' to open the kernel block"))
    return NULL;
  while (p->tok.kind == TOK_IDENT) {
    if (k->nentries >= 1024) {
      error_at(p, p->tok.loc, "too many kernel settings (more than 1024)", NULL, NULL);
      return NULL;
    }
    k->entries = grow(p, k->entries, k->nentries, sizeof *k->entries);
    if (!k->entries || !parse_entry(p, &k->entries[k->nentries]))
      return NULL;
    k->nentries++;
  }
  if (p->tok.kind != TOK_RBRACE && p->tok.kind != TOK_EOF &&
      p->tok.kind != TOK_ERROR) {
    expected(p, "a kernel setting (pattern, dtype, head_dim, scale, lse) or '}'");
    return NULL;
  }
  if (!expect_close(p, TOK_RBRACE, "{", open))
    return NULL;
  return k;
}

static void init(parser *p, arena *a, const char *file, const char *text,
                 size_t len, diag_sink *diag) {
  memset(p, 0, sizeof *p);
  p->a = a;
  p->diag = diag;
  p->file = file;
  lex_init(&p->lx, file, text, len, diag);
  p->tok = lex_next(&p->lx);
  if (p->tok.kind == TOK_ERROR)
    p->failed = true;
}

ast_file *parse_file(arena *a, const char *file, const char *text, size_t len,
                     diag_sink *diag) {
  parser p;
  init(&p, a, file, text, len, diag);
  ast_file *f = alloc(&p, sizeof *f);
  if (!f || p.failed)
    return NULL;
  f->file = file;
  ast_pattern **pat_tail = &f->patterns;
  ast_kernel **ker_tail = &f->kernels;
  while (!p.failed && p.tok.kind != TOK_EOF) {
    if (p.tok.kind == TOK_IDENT && p.tok.len == 7 &&
        memcmp(p.tok.start, "pattern", 7) == 0) {
      ast_pattern *pat = parse_pattern(&p);
      if (!pat)
        break;
      *pat_tail = pat;
      pat_tail = &pat->next;
    } else if (p.tok.kind == TOK_IDENT && p.tok.len == 6 &&
               memcmp(p.tok.start, "kernel", 6) == 0) {
      ast_kernel *k = parse_kernel(&p);
      if (!k)
        break;
      *ker_tail = k;
      ker_tail = &k->next;
    } else {
      expected(&p, "'pattern' or 'kernel' at the top level");
    }
  }
  return p.failed ? NULL : f;
}

ast_expr *parse_expr_string(arena *a, const char *file, const char *text,
                            size_t len, diag_sink *diag) {
  parser p;
  init(&p, a, file, text, len, diag);
  if (p.failed)
    return NULL;
  ast_expr *e = parse_expr(&p);
  if (e && p.tok.kind != TOK_EOF)
    expected(&p, "an operator ('|', '&', '-') or the end of the pattern");
  return p.failed ? NULL : e;
}
