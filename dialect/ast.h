/* The pattern-language syntax tree (parse.c builds it, sema.c reads it).
 * All nodes live in the compilation's arena. */
#ifndef SATTN_AST_H
#define SATTN_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct ast_expr ast_expr;

typedef enum ast_kind {
  AST_INT,    /* integer literal (maybe with a leading '-') */
  AST_FLOAT,  /* decimal literal */
  AST_NAME,   /* name or name(args): a term, a pattern or a parameter */
  AST_BINARY, /* lhs op rhs, op one of '|', '&', '-' */
} ast_kind;

typedef struct ast_arg {
  const char *name; /* NULL: positional */
  src_loc name_loc;
  ast_expr *value;
} ast_arg;

struct ast_expr {
  ast_kind kind;
  src_loc loc;
  /* AST_INT */
  uint64_t ival;
  bool negative;
  /* AST_FLOAT */
  double fval;
  /* AST_NAME */
  const char *name;
  bool has_args; /* name(...) rather than name */
  ast_arg *args;
  size_t nargs;
  src_loc rparen;
  /* AST_BINARY */
  char op;
  ast_expr *lhs, *rhs;
};

typedef struct ast_param {
  const char *name;
  src_loc loc;
} ast_param;

typedef struct ast_pattern {
  const char *name;
  src_loc loc;
  bool has_params;
  ast_param *params;
  size_t nparams;
  ast_expr *body;
  struct ast_pattern *next;
  /* sema state */
  bool expanding;
  bool broken; /* its definition has errors (reported once) */
} ast_pattern;

/* `key = value` or `key[lo:hi] = value` inside a kernel block. */
typedef struct ast_entry {
  const char *key;
  src_loc loc;
  bool has_range;
  bool has_lo, has_hi;
  uint64_t lo, hi;
  src_loc range_loc;
  ast_expr *value;
} ast_entry;

typedef struct ast_kernel {
  const char *name;
  src_loc loc;
  ast_entry *entries;
  size_t nentries;
  struct ast_kernel *next;
} ast_kernel;

typedef struct ast_file {
  const char *file;
  ast_pattern *patterns;
  ast_kernel *kernels;
} ast_file;

#endif
