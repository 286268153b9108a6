/* Semantic analysis: resolves names, instantiates parameterised patterns,
 * checks every value (PATTERN_LANGUAGE.md "Diagnostics") and produces
 * resolved mask trees that emit.c turns into sattn IR.
 *
 * A resolved tree has no pattern references left: every reference is
 * inlined, and each node remembers the chain of references (sem_site) that
 * brought it in, so that IR locations can say both where a term is written
 * and where it was used. */
#ifndef SATTN_SEMA_H
#define SATTN_SEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"

/* Limits that keep hostile input from exhausting memory or time. */
enum {
  SEMA_MAX_NODES = 10000,     /* resolved terms in one compilation */
  SEMA_MAX_GLOBAL = 4096,     /* tokens listed in one global(...) */
  SEMA_MAX_GROUPS = 64,       /* head groups of one kernel */
};
#define SEMA_MAX_SIZE ((int64_t)1 << 40) /* any size or position parameter */
#define SEMA_MAX_BLOCK ((int64_t)1 << 20)

typedef enum sem_kind {
  SEM_FULL,
  SEM_CAUSAL,
  SEM_WINDOW,  /* a = left, b = right */
  SEM_LOCAL,   /* a = width, b = block */
  SEM_DILATED, /* a = radius, b = dilation */
  SEM_STRIDE,  /* a = stride */
  SEM_SUMMARY, /* a = stride, b = count */
  SEM_GLOBAL,  /* ranges */
  SEM_RANDOM,  /* a = count, b = block, seed, per_head */
  SEM_TOPK,    /* a = k, b = block, score, input; lhs = among */
  SEM_BLOCKS,  /* b = block, input */
  SEM_SAME,    /* input */
  SEM_UNION,   /* lhs | rhs */
  SEM_INTERSECT,
  SEM_DIFFERENCE,
} sem_kind;

typedef enum sem_score { SEM_SCORE_MEANKEY, SEM_SCORE_INPUT } sem_score;

/* Where a pattern was referenced: a chain from the innermost reference out. */
typedef struct sem_site {
  src_loc loc;
  const char *pattern;
  const struct sem_site *parent;
} sem_site;

typedef struct sem_node {
  sem_kind kind;
  src_loc loc;
  const sem_site *site; /* NULL: written where it is used */
  int64_t a, b;
  uint64_t seed;
  bool per_head;
  sem_score score;
  int64_t input; /* dynamic input number, -1 for none */
  int64_t *ranges; /* SEM_GLOBAL: nranges sorted disjoint [start, end) */
  size_t nranges;
  struct sem_node *lhs, *rhs;
} sem_node;

typedef enum sem_dtype { SEM_F32, SEM_F16, SEM_BF16 } sem_dtype;

typedef struct sem_kernel {
  const char *name;
  src_loc loc;
  sem_dtype dtype;
  int64_t head_dim;
  double scale; /* 1/sqrt(head_dim) unless given */
  bool lse;
  size_t ngroups;
  int64_t *group_starts; /* ngroups + 1 entries; the last is -1 when open */
  sem_node **masks;      /* one per group */
  src_loc *mask_locs;    /* where each group's pattern is written */
  struct sem_kernel *next;
} sem_kernel;

/* A pattern without parameters, emitted on its own as @pattern.NAME. */
typedef struct sem_pattern {
  const char *name;
  src_loc loc;
  sem_node *mask;
  struct sem_pattern *next;
} sem_pattern;

typedef struct sem_program {
  const char *file;
  sem_pattern *patterns;
  sem_kernel *kernels;
} sem_program;

/* Checks and resolves a parsed file. Reports every semantic error it finds
 * (each definition independently) and returns NULL if there was any. */
sem_program *sema_file(arena *a, const ast_file *f, diag_sink *diag);

/* Resolves a lone expression against no definitions (sattn-run --pattern). */
sem_node *sema_expr(arena *a, const char *file, const ast_expr *e,
                    diag_sink *diag);

/* Whether a resolved tree holds a dynamic term (topk, blocks, same). */
bool sema_is_dynamic(const sem_node *n);

/* The built-in term names, NULL-terminated (for suggestions and docs). */
extern const char *const sema_term_names[];

#endif
