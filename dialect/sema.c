/* Semantic analysis of the pattern language (see sema.h).
 *
 * Every term has a parameter table (term_specs); arguments are bound to it
 * by position or by name, then each value is checked by its parameter type.
 * A value that comes through a pattern parameter is reported where it was
 * written (the argument of the reference), with a note at the term that
 * rejected it. */
#include "sema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- term table ---------------------------------------------------------- */

typedef enum ptype {
  P_SIZE0,  /* integer >= 0 */
  P_SIZE1,  /* integer >= 1 */
  P_BLOCK,  /* power of two, 1 .. 2^20 */
  P_SEED,   /* any 64-bit value */
  P_BOOL,   /* true | false */
  P_SCORE,  /* meankey | input */
  P_INPUT,  /* input */
  P_MASK,   /* a static pattern */
  P_TOKENS, /* global's positional token list */
} ptype;

typedef struct param_spec {
  const char *name;
  ptype type;
  bool required;
} param_spec;

enum { MAX_PARAMS = 4 };

typedef struct term_spec {
  const char *name;
  sem_kind kind;
  int nparams;
  param_spec params[MAX_PARAMS];
  const char *usage;
} term_spec;

static const term_spec term_specs[] = {
    {"full", SEM_FULL, 0, {{0}}, "full"},
    {"causal", SEM_CAUSAL, 0, {{0}}, "causal"},
    {"window", SEM_WINDOW, 3,
     {{"r", P_SIZE0, false}, {"left", P_SIZE0, false}, {"right", P_SIZE0, false}},
     "window(r) or window(left=a, right=b)"},
    {"local", SEM_LOCAL, 2,
     {{"w", P_SIZE0, true}, {"block", P_BLOCK, true}},
     "local(w, block=b)"},
    {"dilated", SEM_DILATED, 2,
     {{"r", P_SIZE0, true}, {"d", P_SIZE1, true}},
     "dilated(r, d)"},
    {"stride", SEM_STRIDE, 1, {{"s", P_SIZE1, true}}, "stride(s)"},
    {"summary", SEM_SUMMARY, 2,
     {{"s", P_SIZE1, true}, {"c", P_SIZE1, true}},
     "summary(s, c)"},
    {"global", SEM_GLOBAL, 2,
     {{"tokens", P_TOKENS, false}, {"first", P_SIZE1, false}},
     "global(t0, t1, ...) or global(first=n)"},
    {"random", SEM_RANDOM, 4,
     {{"r", P_SIZE1, true}, {"block", P_BLOCK, true}, {"seed", P_SEED, false},
      {"per_head", P_BOOL, false}},
     "random(r, block=b, seed=x [, per_head=true])"},
    {"topk", SEM_TOPK, 4,
     {{"k", P_SIZE1, true}, {"block", P_BLOCK, true}, {"score", P_SCORE, true},
      {"among", P_MASK, false}},
     "topk(k, block=b, score=meankey|input [, among=P])"},
    {"blocks", SEM_BLOCKS, 2,
     {{"block", P_BLOCK, true}, {"layout", P_INPUT, true}},
     "blocks(block=b, layout=input)"},
    {"same", SEM_SAME, 1, {{"label", P_INPUT, true}}, "same(label=input)"},
};
enum { NTERMS = sizeof term_specs / sizeof term_specs[0] };

const char *const sema_term_names[] = {
    "full", "causal", "window", "local", "dilated", "stride", "summary",
    "global", "random", "topk", "blocks", "same", NULL};

static const term_spec *find_term(const char *name) {
  for (int i = 0; i < NTERMS; i++)
    if (strcmp(term_specs[i].name, name) == 0)
      return &term_specs[i];
  return NULL;
}

/* ---- state --------------------------------------------------------------- */

/* An integer value with where it was written. */
typedef struct ival {
  uint64_t mag;
  bool neg;
  src_loc loc;
  const char *via; /* the pattern parameter it came through, or NULL */
  bool symbolic;   /* a parameter while its definition is checked alone */
} ival;

typedef struct binding {
  const char *name;
  ival value;
} binding;

typedef struct scope {
  const ast_pattern *pat; /* NULL at kernel level */
  const binding *b;
  size_t n;
  const sem_site *site;
} scope;

typedef struct sema {
  arena *a;
  diag_sink *diag;
  const char *file;
  const ast_file *f;
  size_t nodes;
  bool over_budget;
  int64_t next_input;
  int ref_depth;
  int depth;        /* resolve() nesting, references expanded */
  const char *root; /* the top-level pattern being resolved, if any */
} sema;

/* Expanded references nest the parser's depth limit; bound the product so
 * that resolution and emission stay well inside the C stack. */
enum { MAX_REF_DEPTH = 100, MAX_RESOLVE_DEPTH = 2 * SEMA_MAX_NODES };

static void err(sema *s, src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(sema *s, src_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(s->diag, SATTN_ERROR, s->file, loc, fmt, ap);
  va_end(ap);
}

static void note(sema *s, src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(sema *s, src_loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(s->diag, SATTN_NOTE, s->file, loc, fmt, ap);
  va_end(ap);
}

static const ast_pattern *find_pattern(const sema *s, const char *name) {
  for (const ast_pattern *p = s->f ? s->f->patterns : NULL; p; p = p->next)
    if (strcmp(p->name, name) == 0)
      return p;
  return NULL;
}

static const binding *find_binding(const scope *sc, const char *name) {
  for (size_t i = 0; i < sc->n; i++)
    if (strcmp(sc->b[i].name, name) == 0)
      return &sc->b[i];
  return NULL;
}

/* Levenshtein distance, capped; for "did you mean" suggestions. */
static size_t edit_distance(const char *x, const char *y) {
  size_t n = strlen(x), m = strlen(y);
  if (n > 64 || m > 64)
    return 99;
  size_t row[65];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t cur = row[j];
      size_t sub = prev + (x[i - 1] != y[j - 1]);
      size_t del = row[j] + 1, ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      prev = cur;
    }
  }
  return row[m];
}

/* The closest known name within distance 2, or NULL. */
static const char *suggest(const sema *s, const scope *sc, const char *name,
                           const char *const *extra) {
  const char *best = NULL;
  size_t best_d = 3;
  /* Parameters first: on a tie the nearest scope wins. */
  for (size_t i = 0; sc && i < sc->n; i++) {
    size_t d = edit_distance(name, sc->b[i].name);
    if (d < best_d)
      best = sc->b[i].name, best_d = d;
  }
  for (const char *const *t = sema_term_names; *t; t++) {
    size_t d = edit_distance(name, *t);
    if (d < best_d)
      best = *t, best_d = d;
  }
  for (const ast_pattern *p = s->f ? s->f->patterns : NULL; p; p = p->next) {
    size_t d = edit_distance(name, p->name);
    if (d < best_d)
      best = p->name, best_d = d;
  }
  for (; extra && *extra; extra++) {
    size_t d = edit_distance(name, *extra);
    if (d < best_d)
      best = *extra, best_d = d;
  }
  return best;
}

static sem_node *new_node(sema *s, sem_kind kind, src_loc loc,
                          const scope *sc) {
  if (s->over_budget)
    return NULL;
  if (++s->nodes > SEMA_MAX_NODES) {
    s->over_budget = true;
    err(s, loc, "patterns expand to more than %d terms (a pattern used many "
                "times inside itself?)", SEMA_MAX_NODES);
    return NULL;
  }
  sem_node *n = arena_alloc(s->a, sizeof *n);
  if (!n) {
    s->over_budget = true;
    err(s, loc, "out of memory");
    return NULL;
  }
  n->kind = kind;
  n->loc = loc;
  n->site = sc->site;
  n->input = -1;
  return n;
}

/* ---- values -------------------------------------------------------------- */

/* Evaluates an integer argument: a literal or an integer parameter. */
static bool eval_int(sema *s, const scope *sc, const ast_expr *e,
                     const char *what, ival *out) {
  if (e->kind == AST_INT) {
    *out = (ival){e->ival, e->negative && e->ival != 0, e->loc, NULL, false};
    return true;
  }
  if (e->kind == AST_NAME && !e->has_args) {
    const binding *b = find_binding(sc, e->name);
    if (b) {
      *out = b->value;
      out->via = b->name;
      return true;
    }
  }
  if (e->kind == AST_FLOAT) {
    err(s, e->loc, "%s must be an integer, found a decimal number", what);
  } else if (e->kind == AST_NAME && !e->has_args && !find_term(e->name) &&
             !find_pattern(s, e->name)) {
    /* Only a parameter can stand for an integer: suggest a parameter
     * within distance 2; a term or pattern only when it is one edit away
     * (a pattern written where a number goes). */
    const char *sug = NULL;
    size_t best = 3;
    for (size_t i = 0; i < sc->n; i++) {
      size_t d = edit_distance(e->name, sc->b[i].name);
      if (d < best)
        best = d, sug = sc->b[i].name;
    }
    if (!sug) {
      const char *other = suggest(s, NULL, e->name, NULL);
      if (other && edit_distance(e->name, other) <= 1)
        sug = other;
    }
    if (sc->pat)
      err(s, e->loc, "%s: unknown name '%s' (not a parameter of pattern '%s')%s%s%s",
          what, e->name, sc->pat->name, sug ? "; did you mean '" : "",
          sug ? sug : "", sug ? "'?" : "");
    else
      err(s, e->loc, "%s: unknown name '%s'%s%s%s", what, e->name,
          sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
  } else {
    err(s, e->loc, "%s must be an integer, found a pattern expression", what);
  }
  return false;
}

/* Reports a rejected value at the place it was written, plus a note at the
 * term when it came through a pattern parameter. */
static void value_error(sema *s, const ival *v, src_loc term_loc,
                        const char *term, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void value_error(sema *s, const ival *v, src_loc term_loc,
                        const char *term, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(s->diag, SATTN_ERROR, s->file, v->loc, fmt, ap);
  va_end(ap);
  if (v->via)
    note(s, term_loc, "the value reaches '%s' here through parameter '%s'",
         term, v->via);
}

/* Checks an integer of type P_SIZE0, P_SIZE1, P_BLOCK or P_SEED. */
static bool check_int(sema *s, const ival *v, ptype t, const char *term,
                      const char *param, src_loc term_loc, int64_t *out) {
  if (v->symbolic) { /* 1 passes every check; the real value comes later */
    *out = 1;
    return true;
  }
  if (t == P_SEED) {
    if (v->neg) {
      if (v->mag > (uint64_t)INT64_MAX + 1) {
        value_error(s, v, term_loc, term, "%s: seed = -%llu is out of the 64-bit range",
                    term, (unsigned long long)v->mag);
        return false;
      }
      *out = (int64_t)(0 - v->mag);
    } else {
      *out = (int64_t)v->mag; /* two's complement bits of the seed */
    }
    return true;
  }
  if (v->neg) {
    value_error(s, v, term_loc, term, "%s: %s must not be negative, got -%llu",
                term, param, (unsigned long long)v->mag);
    return false;
  }
  if (v->mag > (uint64_t)SEMA_MAX_SIZE) {
    value_error(s, v, term_loc, term,
                "%s: %s = %llu is too large (sizes and positions are limited "
                "to 2^40)", term, param, (unsigned long long)v->mag);
    return false;
  }
  if (t == P_SIZE1 && v->mag == 0) {
    value_error(s, v, term_loc, term, "%s: %s must be at least 1, got 0", term,
                param);
    return false;
  }
  if (t == P_BLOCK) {
    if (v->mag == 0 || (v->mag & (v->mag - 1)) != 0) {
      value_error(s, v, term_loc, term,
                  "%s: block = %llu is not a power of two (block sizes must be "
                  "1, 2, 4, ..., 2^20)", term, (unsigned long long)v->mag);
      return false;
    }
    if (v->mag > (uint64_t)SEMA_MAX_BLOCK) {
      value_error(s, v, term_loc, term,
                  "%s: block = %llu is too large (the limit is 2^20)", term,
                  (unsigned long long)v->mag);
      return false;
    }
  }
  *out = (int64_t)v->mag;
  return true;
}

/* Reads a bare word (meankey, input, true, ...) argument. */
static const char *eval_word(sema *s, const ast_expr *e, const char *term,
                             const char *param, const char *choices) {
  if (e->kind == AST_NAME && !e->has_args)
    return e->name;
  err(s, e->loc, "%s: %s must be %s", term, param, choices);
  return NULL;
}

/* ---- expressions --------------------------------------------------------- */

static sem_node *resolve(sema *s, const scope *sc, const ast_expr *e);

/* Arguments of a term bound to its parameter slots. */
typedef struct bound_args {
  const ast_expr *slot[MAX_PARAMS];
  src_loc slot_loc[MAX_PARAMS];
  const ast_arg *tokens[SEMA_MAX_GLOBAL];
  size_t ntokens;
} bound_args;

static bool bind_args(sema *s, const term_spec *t, const ast_expr *e,
                      bound_args *ba) {
  bool seen_kw = false;
  int next_pos = 0;
  for (size_t i = 0; i < e->nargs; i++) {
    const ast_arg *arg = &e->args[i];
    if (!arg->name) {
      if (seen_kw) {
        err(s, arg->value->loc, "%s: positional argument after a named one",
            t->name);
        return false;
      }
      if (t->kind == SEM_GLOBAL) {
        if (ba->ntokens >= SEMA_MAX_GLOBAL) {
          err(s, arg->value->loc, "global: more than %d tokens listed (use "
                                  "global(first=n) for a prefix)", SEMA_MAX_GLOBAL);
          return false;
        }
        ba->tokens[ba->ntokens++] = arg;
        continue;
      }
      /* window(r): the one positional parameter; others by name. */
      int limit = t->kind == SEM_WINDOW ? 1 : t->nparams;
      if (t->kind == SEM_TOPK || t->kind == SEM_RANDOM || t->kind == SEM_LOCAL)
        limit = 1; /* local(w, block=b): block by name */
      if (next_pos >= limit) {
        if (limit == 0)
          err(s, arg->value->loc, "'%s' takes no arguments", t->name);
        else
          err(s, arg->value->loc,
              "%s: too many positional arguments (usage: %s)", t->name, t->usage);
        return false;
      }
      ba->slot[next_pos] = arg->value;
      ba->slot_loc[next_pos] = arg->value->loc;
      next_pos++;
      continue;
    }
    seen_kw = true;
    int k = -1;
    for (int j = 0; j < t->nparams; j++)
      if (strcmp(t->params[j].name, arg->name) == 0 && t->params[j].type != P_TOKENS)
        k = j;
    if (k < 0) {
      err(s, arg->name_loc, "%s has no parameter named '%s' (usage: %s)",
          t->name, arg->name, t->usage);
      return false;
    }
    if (ba->slot[k]) {
      err(s, arg->name_loc, "%s: parameter '%s' is given twice", t->name,
          arg->name);
      note(s, ba->slot_loc[k], "first given here");
      return false;
    }
    ba->slot[k] = arg->value;
    ba->slot_loc[k] = arg->name_loc;
  }
  for (int j = 0; j < t->nparams; j++)
    if (t->params[j].required && !ba->slot[j]) {
      err(s, e->has_args ? e->rparen : e->loc, "%s needs '%s' (usage: %s)",
          t->name, t->params[j].name, t->usage);
      return false;
    }
  return true;
}

static int cmp_range(const void *x, const void *y) {
  const int64_t *a = x, *b = y;
  return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Sorts and merges [start, end) ranges in place; returns the new count. */
static size_t normalize_ranges(int64_t *r, size_t n) {
  qsort(r, n, 2 * sizeof *r, cmp_range);
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    if (out && r[2 * i] <= r[2 * out - 1]) {
      if (r[2 * i + 1] > r[2 * out - 1])
        r[2 * out - 1] = r[2 * i + 1];
    } else {
      r[2 * out] = r[2 * i];
      r[2 * out + 1] = r[2 * i + 1];
      out++;
    }
  }
  return out;
}

static sem_node *resolve_global(sema *s, const scope *sc, const ast_expr *e,
                                const bound_args *ba, sem_node *n) {
  const ast_expr *first = ba->slot[1];
  if (first && ba->ntokens) {
    err(s, first->loc, "global: give either tokens or first=n, not both");
    return NULL;
  }
  if (!first && !ba->ntokens) {
    err(s, e->has_args ? e->rparen : e->loc,
        "global needs at least one token (usage: global(t0, t1, ...) or "
        "global(first=n))");
    return NULL;
  }
  size_t count = first ? 1 : ba->ntokens;
  n->ranges = arena_alloc(s->a, 2 * count * sizeof *n->ranges);
  if (!n->ranges) {
    err(s, e->loc, "out of memory");
    return NULL;
  }
  if (first) {
    ival v;
    int64_t x;
    if (!eval_int(s, sc, first, "global: first", &v) ||
        !check_int(s, &v, P_SIZE1, "global", "first", e->loc, &x))
      return NULL;
    n->ranges[0] = 0;
    n->ranges[1] = x;
  } else {
    for (size_t i = 0; i < ba->ntokens; i++) {
      ival v;
      int64_t x;
      if (!eval_int(s, sc, ba->tokens[i]->value, "global: a token position", &v) ||
          !check_int(s, &v, P_SIZE0, "global", "a token position", e->loc, &x))
        return NULL;
      if (x >= SEMA_MAX_SIZE) { /* positions are < 2^40, like lengths */
        value_error(s, &v, e->loc, "global",
                    "global: a token position = %lld is too large (positions "
                    "are below 2^40)", (long long)x);
        return NULL;
      }
      n->ranges[2 * i] = x;
      n->ranges[2 * i + 1] = x + 1;
    }
  }
  n->nranges = normalize_ranges(n->ranges, count);
  return n;
}

static sem_node *resolve_term(sema *s, const scope *sc, const ast_expr *e,
                              const term_spec *t) {
  bound_args *ba = calloc(1, sizeof *ba);
  if (!ba) {
    err(s, e->loc, "out of memory");
    return NULL;
  }
  sem_node *n = NULL;
  if (!bind_args(s, t, e, ba))
    goto done;
  n = new_node(s, t->kind, e->loc, sc);
  if (!n)
    goto done;
  if (t->kind == SEM_GLOBAL) {
    n = resolve_global(s, sc, e, ba, n);
    goto done;
  }
  int64_t v[MAX_PARAMS] = {0};
  bool given[MAX_PARAMS] = {false};
  bool symbolic = false; /* a value is a placeholder: skip relations */
  for (int j = 0; j < t->nparams; j++) {
    const ast_expr *a = ba->slot[j];
    if (!a)
      continue;
    given[j] = true;
    const param_spec *ps = &t->params[j];
    char what[96];
    snprintf(what, sizeof what, "%s: %s", t->name, ps->name);
    switch (ps->type) {
    case P_SIZE0:
    case P_SIZE1:
    case P_BLOCK:
    case P_SEED: {
      ival iv;
      if (!eval_int(s, sc, a, what, &iv) ||
          !check_int(s, &iv, ps->type, t->name, ps->name, e->loc, &v[j])) {
        n = NULL;
        goto done;
      }
      symbolic = symbolic || iv.symbolic;
      break;
    }
    case P_BOOL: {
      const char *w = eval_word(s, a, t->name, ps->name, "true or false");
      if (!w) {
        n = NULL;
        goto done;
      }
      if (strcmp(w, "true") && strcmp(w, "false")) {
        err(s, a->loc, "%s: %s must be true or false, got '%s'", t->name,
            ps->name, w);
        n = NULL;
        goto done;
      }
      v[j] = strcmp(w, "true") == 0;
      break;
    }
    case P_SCORE: {
      const char *w = eval_word(s, a, t->name, ps->name, "meankey or input");
      if (w && strcmp(w, "meankey") && strcmp(w, "input")) {
        err(s, a->loc, "%s: score must be 'meankey' or 'input', got '%s'",
            t->name, w);
        w = NULL;
      }
      if (!w) {
        n = NULL;
        goto done;
      }
      v[j] = strcmp(w, "input") == 0 ? SEM_SCORE_INPUT : SEM_SCORE_MEANKEY;
      break;
    }
    case P_INPUT: {
      const char *w = eval_word(s, a, t->name, ps->name, "input");
      if (w && strcmp(w, "input")) {
        err(s, a->loc, "%s: %s must be 'input' (supplied by the caller at run "
                       "time), got '%s'", t->name, ps->name, w);
        w = NULL;
      }
      if (!w) {
        n = NULL;
        goto done;
      }
      break;
    }
    case P_MASK: {
      sem_node *m = resolve(s, sc, a);
      if (!m) {
        n = NULL;
        goto done;
      }
      if (sema_is_dynamic(m)) {
        err(s, a->loc, "%s: the '%s' pattern must be static (no topk, blocks "
                       "or same)", t->name, ps->name);
        n = NULL;
        goto done;
      }
      n->lhs = m;
      break;
    }
    case P_TOKENS:
      break;
    }
  }
  switch (t->kind) {
  case SEM_WINDOW:
    if (given[0] && (given[1] || given[2])) {
      err(s, ba->slot_loc[given[1] ? 1 : 2],
          "window: give either r or left=/right=, not both");
      n = NULL;
    } else if (!given[0] && !given[1] && !given[2]) {
      err(s, e->has_args ? e->rparen : e->loc,
          "window needs a radius (usage: window(r) or window(left=a, right=b))");
      n = NULL;
    } else {
      n->a = given[0] ? v[0] : v[1];
      n->b = given[0] ? v[0] : v[2];
    }
    break;
  case SEM_DILATED:
    if (!symbolic && v[0] > SEMA_MAX_SIZE / v[1]) {
      err(s, e->loc, "dilated: r * d = %lld * %lld is too large (the reach "
                     "is limited to 2^40)", (long long)v[0], (long long)v[1]);
      n = NULL;
      break;
    }
    /* fall through */
  case SEM_LOCAL:
  case SEM_SUMMARY:
    n->a = v[0];
    n->b = v[1];
    if (t->kind == SEM_SUMMARY && !symbolic && v[1] > v[0]) {
      err(s, ba->slot_loc[1], "summary: c = %lld exceeds s = %lld (the last c "
                              "of every s keys)", (long long)v[1], (long long)v[0]);
      n = NULL;
    }
    break;
  case SEM_STRIDE:
    n->a = v[0];
    break;
  case SEM_RANDOM:
    if (v[0] > 65536) {
      err(s, ba->slot_loc[0], "random: r = %lld is too large (at most 65536 blocks "
                              "per query block)", (long long)v[0]);
      n = NULL;
      break;
    }
    n->a = v[0];
    n->b = v[1];
    n->seed = (uint64_t)v[2];
    n->per_head = v[3] != 0;
    break;
  case SEM_TOPK:
    n->a = v[0];
    n->b = v[1];
    n->score = (sem_score)v[2];
    if (!n->lhs && !(n->lhs = new_node(s, SEM_FULL, e->loc, sc)))
      n = NULL;
    else if (n->score == SEM_SCORE_INPUT)
      n->input = s->next_input++;
    break;
  case SEM_BLOCKS:
    n->b = v[0];
    n->input = s->next_input++;
    break;
  case SEM_SAME:
    n->input = s->next_input++;
    break;
  default:
    break;
  }
done:
  free(ba);
  return n;
}

/* Describes the reference chain a -> b -> a for a recursion error. */
static void recursion_error(sema *s, const scope *sc, const ast_expr *e) {
  char chain[512] = "";
  size_t len = 0;
  /* sites list innermost first: collect then print outermost first */
  const sem_site *stack[MAX_REF_DEPTH + 1];
  int n = 0;
  for (const sem_site *st = sc->site; st && n < MAX_REF_DEPTH; st = st->parent)
    stack[n++] = st;
  if (s->root)
    len += (size_t)snprintf(chain, sizeof chain, "%s -> ", s->root);
  for (int i = n - 1; i >= 0 && len < sizeof chain - 80; i--)
    len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ",
                            stack[i]->pattern);
  snprintf(chain + len, sizeof chain - len, "%s", e->name);
  err(s, e->loc, "pattern '%s' refers to itself (%s)", e->name, chain);
}

static sem_node *instantiate(sema *s, const scope *sc, const ast_expr *e,
                             const ast_pattern *p) {
  ast_pattern *pm = (ast_pattern *)p; /* sema-only flag */
  if (pm->broken) /* its errors were reported with its definition */
    return NULL;
  if (pm->expanding) {
    recursion_error(s, sc, e);
    return NULL;
  }
  if (p->has_params && !e->has_args) {
    err(s, e->loc, "pattern '%s' takes %zu argument%s; write %s(...)", p->name,
        p->nparams, p->nparams == 1 ? "" : "s", p->name);
    return NULL;
  }
  if (!p->has_params && e->has_args && e->nargs) {
    err(s, e->loc, "pattern '%s' takes no arguments", p->name);
    return NULL;
  }
  if (e->nargs > p->nparams) {
    err(s, e->args[p->nparams].value->loc,
        "pattern '%s' takes %zu argument%s, got %zu", p->name, p->nparams,
        p->nparams == 1 ? "" : "s", e->nargs);
    return NULL;
  }
  if (s->ref_depth >= MAX_REF_DEPTH) {
    err(s, e->loc, "patterns refer to each other more than %d levels deep",
        MAX_REF_DEPTH);
    return NULL;
  }
  binding *b = p->nparams ? arena_alloc(s->a, p->nparams * sizeof *b) : NULL;
  bool *set = p->nparams ? arena_alloc(s->a, p->nparams * sizeof *set) : NULL;
  if (p->nparams && (!b || !set)) {
    err(s, e->loc, "out of memory");
    return NULL;
  }
  bool seen_kw = false;
  for (size_t i = 0; i < e->nargs; i++) {
    const ast_arg *arg = &e->args[i];
    size_t k = i;
    if (arg->name) {
      seen_kw = true;
      for (k = 0; k < p->nparams && strcmp(p->params[k].name, arg->name); k++)
        ;
      if (k == p->nparams) {
        err(s, arg->name_loc, "pattern '%s' has no parameter named '%s'",
            p->name, arg->name);
        return NULL;
      }
    } else if (seen_kw) {
      err(s, arg->value->loc, "%s: positional argument after a named one",
          p->name);
      return NULL;
    }
    if (set[k]) {
      err(s, arg->name ? arg->name_loc : arg->value->loc,
          "pattern '%s': parameter '%s' is given twice", p->name,
          p->params[k].name);
      return NULL;
    }
    char what[96];
    snprintf(what, sizeof what, "argument '%s' of pattern '%s'",
             p->params[k].name, p->name);
    if (!eval_int(s, sc, arg->value, what, &b[k].value))
      return NULL;
    b[k].name = p->params[k].name;
    set[k] = true;
  }
  for (size_t k = 0; k < p->nparams; k++)
    if (!set[k]) {
      err(s, e->has_args ? e->rparen : e->loc,
          "pattern '%s' needs a value for parameter '%s'", p->name,
          p->params[k].name);
      return NULL;
    }
  sem_site *site = arena_alloc(s->a, sizeof *site);
  if (!site) {
    err(s, e->loc, "out of memory");
    return NULL;
  }
  site->loc = e->loc;
  site->pattern = p->name;
  site->parent = sc->site;
  scope inner = {p, b, p->nparams, site};
  pm->expanding = true;
  s->ref_depth++;
  sem_node *n = resolve(s, &inner, p->body);
  s->ref_depth--;
  pm->expanding = false;
  return n;
}

static sem_node *resolve_expr(sema *s, const scope *sc, const ast_expr *e);

static sem_node *resolve(sema *s, const scope *sc, const ast_expr *e) {
  if (s->over_budget)
    return NULL;
  if (s->depth >= MAX_RESOLVE_DEPTH) {
    s->over_budget = true;
    err(s, e->loc, "patterns nest more than %d levels deep once references are "
                   "expanded", MAX_RESOLVE_DEPTH);
    return NULL;
  }
  s->depth++;
  sem_node *n = resolve_expr(s, sc, e);
  s->depth--;
  return n;
}

static sem_node *resolve_expr(sema *s, const scope *sc, const ast_expr *e) {
  switch (e->kind) {
  case AST_INT:
  case AST_FLOAT:
    err(s, e->loc, "expected a pattern, found a number");
    return NULL;
  case AST_BINARY: {
    sem_node *l = resolve(s, sc, e->lhs);
    sem_node *r = l ? resolve(s, sc, e->rhs) : NULL;
    if (!r)
      return NULL;
    sem_kind k = e->op == '|' ? SEM_UNION
                 : e->op == '&' ? SEM_INTERSECT
                                : SEM_DIFFERENCE;
    sem_node *n = new_node(s, k, e->loc, sc);
    if (n) {
      n->lhs = l;
      n->rhs = r;
    }
    return n;
  }
  case AST_NAME:
    break;
  }
  if (!e->has_args && find_binding(sc, e->name)) {
    err(s, e->loc, "'%s' is an integer parameter of pattern '%s', not a pattern",
        e->name, sc->pat ? sc->pat->name : "?");
    return NULL;
  }
  const term_spec *t = find_term(e->name);
  if (t) {
    if (!e->has_args && t->nparams && t->params[0].required) {
      err(s, e->loc, "'%s' needs arguments (usage: %s)", t->name, t->usage);
      return NULL;
    }
    if (!e->has_args && (t->kind == SEM_WINDOW || t->kind == SEM_GLOBAL)) {
      err(s, e->loc, "'%s' needs arguments (usage: %s)", t->name, t->usage);
      return NULL;
    }
    return resolve_term(s, sc, e, t);
  }
  const ast_pattern *p = find_pattern(s, e->name);
  if (p)
    return instantiate(s, sc, e, p);
  const char *sug = suggest(s, sc, e->name, NULL);
  if (sug)
    err(s, e->loc, "unknown pattern or term '%s'; did you mean '%s'?", e->name, sug);
  else
    err(s, e->loc, "unknown pattern or term '%s'", e->name);
  return NULL;
}

bool sema_is_dynamic(const sem_node *n) {
  for (; n; n = n->rhs) {
    if (n->kind == SEM_TOPK || n->kind == SEM_BLOCKS || n->kind == SEM_SAME)
      return true;
    if (n->kind != SEM_UNION && n->kind != SEM_INTERSECT &&
        n->kind != SEM_DIFFERENCE)
      return false;
    if (sema_is_dynamic(n->lhs))
      return true;
  }
  return false;
}

/* ---- definitions --------------------------------------------------------- */

static const char *const enum_words[] = {"meankey", "input", "true", "false", NULL};

/* Names in a parameterised pattern's body must resolve even if it is never
 * used: report unknown ones now. */
static void check_names(sema *s, const ast_pattern *p, const ast_expr *e,
                        int depth) {
  if (!e || depth > (PARSE_MAX_DEPTH * 4))
    return;
  if (e->kind == AST_BINARY) {
    check_names(s, p, e->lhs, depth + 1);
    check_names(s, p, e->rhs, depth + 1);
    return;
  }
  if (e->kind != AST_NAME)
    return;
  bool known = find_term(e->name) || find_pattern(s, e->name);
  for (size_t i = 0; !known && i < p->nparams; i++)
    known = strcmp(p->params[i].name, e->name) == 0;
  for (const char *const *w = enum_words; !known && *w; w++)
    known = !e->has_args && strcmp(*w, e->name) == 0;
  if (!known) {
    binding bs[64];
    size_t n = p->nparams < 64 ? p->nparams : 64;
    for (size_t i = 0; i < n; i++)
      bs[i].name = p->params[i].name;
    scope sc = {p, bs, n, NULL};
    const char *sug = suggest(s, &sc, e->name, NULL);
    if (sug)
      err(s, e->loc, "unknown name '%s' in pattern '%s'; did you mean '%s'?",
          e->name, p->name, sug);
    else
      err(s, e->loc, "unknown name '%s' in pattern '%s'", e->name, p->name);
  }
  for (size_t i = 0; i < e->nargs; i++)
    check_names(s, p, e->args[i].value, depth + 1);
}

/* Starts the term budget of one top-level definition. */
static void begin_definition(sema *s) {
  s->nodes = 0;
  s->over_budget = false;
  s->next_input = 0;
}

/* Resolves a parameterised pattern once with symbolic parameters, so that
 * recursion and misused parameters are reported even if it is never used;
 * value checks wait for real arguments. */
static void check_symbolic(sema *s, const ast_pattern *p) {
  binding *b = p->nparams ? arena_alloc(s->a, p->nparams * sizeof *b) : NULL;
  if (p->nparams && !b)
    return;
  for (size_t i = 0; i < p->nparams; i++)
    b[i] = (binding){p->params[i].name, {1, false, p->params[i].loc, NULL, true}};
  scope sc = {p, b, p->nparams, NULL};
  begin_definition(s);
  ((ast_pattern *)p)->expanding = true;
  s->root = p->name;
  resolve(s, &sc, p->body);
  s->root = NULL;
  ((ast_pattern *)p)->expanding = false;
}

static bool check_definitions(sema *s) {
  bool ok = true;
  for (const ast_pattern *p = s->f->patterns; p; p = p->next) {
    if (find_term(p->name)) {
      err(s, p->loc, "'%s' is a built-in term; choose another name for the "
                     "pattern", p->name);
      ok = false;
    }
    for (const ast_pattern *q = s->f->patterns; q != p; q = q->next)
      if (strcmp(q->name, p->name) == 0) {
        err(s, p->loc, "pattern '%s' is defined twice", p->name);
        note(s, q->loc, "first defined here");
        ok = false;
        break;
      }
    for (size_t i = 0; i < p->nparams; i++)
      for (size_t j = 0; j < i; j++)
        if (strcmp(p->params[i].name, p->params[j].name) == 0) {
          err(s, p->params[i].loc, "parameter '%s' of pattern '%s' is declared twice",
              p->params[i].name, p->name);
          ok = false;
        }
    unsigned before = s->diag->errors;
    if (p->has_params) {
      check_names(s, p, p->body, 0);
      if (s->diag->errors == before)
        check_symbolic(s, p);
    }
    if (s->diag->errors != before)
      ((ast_pattern *)p)->broken = true;
  }
  for (const ast_kernel *k = s->f->kernels; k; k = k->next)
    for (const ast_kernel *q = s->f->kernels; q != k; q = q->next)
      if (strcmp(q->name, k->name) == 0) {
        err(s, k->loc, "kernel '%s' is defined twice", k->name);
        note(s, q->loc, "first defined here");
        ok = false;
        break;
      }
  return ok;
}

/* ---- kernels ------------------------------------------------------------- */

static const char *const kernel_keys[] = {"pattern", "dtype", "head_dim",
                                          "scale", "lse", NULL};

typedef struct group_entry {
  int64_t lo, hi; /* hi = -1: open */
  const ast_entry *en;
} group_entry;

static int cmp_group(const void *x, const void *y) {
  const group_entry *a = x, *b = y;
  return (a->lo > b->lo) - (a->lo < b->lo);
}

static bool kernel_groups(sema *s, const ast_kernel *k, sem_kernel *out) {
  size_t n = 0;
  const ast_entry *plain = NULL;
  for (size_t i = 0; i < k->nentries; i++)
    if (strcmp(k->entries[i].key, "pattern") == 0) {
      n++;
      if (!k->entries[i].has_range)
        plain = plain ? plain : &k->entries[i];
    }
  if (n == 0) {
    err(s, k->loc, "kernel '%s' has no pattern (add 'pattern = ...')", k->name);
    return false;
  }
  if (n > SEMA_MAX_GROUPS) {
    err(s, k->loc, "kernel '%s' has more than %d head groups", k->name,
        SEMA_MAX_GROUPS);
    return false;
  }
  group_entry *g = arena_alloc(s->a, n * sizeof *g);
  out->group_starts = arena_alloc(s->a, (n + 1) * sizeof *out->group_starts);
  out->masks = arena_alloc(s->a, n * sizeof *out->masks);
  out->mask_locs = arena_alloc(s->a, n * sizeof *out->mask_locs);
  if (!g || !out->group_starts || !out->masks || !out->mask_locs) {
    err(s, k->loc, "out of memory");
    return false;
  }
  size_t m = 0;
  for (size_t i = 0; i < k->nentries; i++) {
    const ast_entry *en = &k->entries[i];
    if (strcmp(en->key, "pattern") != 0)
      continue;
    if (plain && en != plain) {
      err(s, en->loc, "kernel '%s' sets 'pattern' for all heads and again %s",
          k->name, en->has_range ? "for a head range" : "(set it once)");
      note(s, plain->loc, "the pattern for all heads is set here");
      return false;
    }
    if (en->has_range) {
      if ((en->has_lo && en->lo > (uint64_t)SEMA_MAX_SIZE) ||
          (en->has_hi && en->hi > (uint64_t)SEMA_MAX_SIZE)) {
        err(s, en->range_loc, "head range is too large (the limit is 2^40)");
        return false;
      }
      g[m].lo = en->has_lo ? (int64_t)en->lo : 0;
      g[m].hi = en->has_hi ? (int64_t)en->hi : -1;
      if (g[m].hi >= 0 && g[m].hi <= g[m].lo) {
        err(s, en->range_loc, "head range [%lld:%lld] is empty", (long long)g[m].lo,
            (long long)g[m].hi);
        return false;
      }
    } else {
      g[m].lo = 0;
      g[m].hi = -1;
    }
    g[m].en = en;
    m++;
  }
  qsort(g, m, sizeof *g, cmp_group);
  for (size_t i = 0; i < m; i++) {
    int64_t expect_lo = i ? g[i - 1].hi : 0;
    if (i && g[i - 1].hi < 0) {
      err(s, g[i - 1].en->range_loc, "only the last head group may be open-ended "
                                     "([%lld:] is followed by a group at head %lld)",
          (long long)g[i - 1].lo, (long long)g[i].lo);
      return false;
    }
    if (g[i].lo < expect_lo) {
      err(s, g[i].en->range_loc, "head groups overlap: heads %lld..%lld have two "
                                 "patterns", (long long)g[i].lo,
          (long long)((g[i].hi < 0 || g[i].hi > expect_lo ? expect_lo : g[i].hi) - 1));
      return false;
    }
    if (g[i].lo > expect_lo) {
      err(s, g[i].en->range_loc, "head groups leave heads %lld..%lld without a "
                                 "pattern", (long long)expect_lo,
          (long long)(g[i].lo - 1));
      return false;
    }
    out->group_starts[i] = g[i].lo;
  }
  out->group_starts[m] = g[m - 1].hi;
  out->ngroups = m;
  /* Resolve in source order, so that dynamic inputs are numbered in order
   * of appearance; the masks are stored in head order. */
  bool ok = true;
  for (size_t e = 0; e < k->nentries; e++)
    for (size_t i = 0; i < m; i++) {
      if (g[i].en != &k->entries[e])
        continue;
      scope sc = {NULL, NULL, 0, NULL};
      out->mask_locs[i] = g[i].en->value->loc;
      out->masks[i] = resolve(s, &sc, g[i].en->value);
      ok = ok && out->masks[i];
    }
  return ok;
}

static sem_kernel *resolve_kernel(sema *s, const ast_kernel *k) {
  sem_kernel *out = arena_alloc(s->a, sizeof *out);
  if (!out) {
    err(s, k->loc, "out of memory");
    return NULL;
  }
  out->name = k->name;
  out->loc = k->loc;
  out->dtype = SEM_F32;
  bool ok = true, has_dim = false, has_scale = false;
  for (size_t i = 0; i < k->nentries; i++) {
    const ast_entry *en = &k->entries[i];
    bool known = false;
    for (const char *const *key = kernel_keys; *key; key++)
      known = known || strcmp(*key, en->key) == 0;
    if (!known) {
      const char *sug = NULL;
      size_t best = 3;
      for (const char *const *key = kernel_keys; *key; key++) {
        size_t d = edit_distance(en->key, *key);
        if (d < best)
          best = d, sug = *key;
      }
      err(s, en->loc, "unknown kernel setting '%s'%s%s%s (settings: pattern, "
                      "dtype, head_dim, scale, lse)", en->key,
          sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
      ok = false;
      continue;
    }
    if (strcmp(en->key, "pattern") == 0)
      continue;
    has_dim = has_dim || strcmp(en->key, "head_dim") == 0;
    if (en->has_range) {
      err(s, en->range_loc, "only 'pattern' takes a head range");
      ok = false;
      continue;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(k->entries[j].key, en->key) == 0) {
        err(s, en->loc, "'%s' is set twice in kernel '%s'", en->key, k->name);
        note(s, k->entries[j].loc, "first set here");
        ok = false;
        break;
      }
    const ast_expr *v = en->value;
    if (strcmp(en->key, "dtype") == 0) {
      const char *w = v->kind == AST_NAME && !v->has_args ? v->name : NULL;
      if (w && strcmp(w, "f32") == 0)
        out->dtype = SEM_F32;
      else if (w && strcmp(w, "f16") == 0)
        out->dtype = SEM_F16;
      else if (w && strcmp(w, "bf16") == 0)
        out->dtype = SEM_BF16;
      else {
        err(s, v->loc, "unknown dtype%s%s%s (expected f32, f16 or bf16)",
            w ? " '" : "", w ? w : "", w ? "'" : "");
        ok = false;
      }
    } else if (strcmp(en->key, "head_dim") == 0) {
      has_dim = true;
      if (v->kind != AST_INT || v->negative || v->ival == 0 || v->ival > 256 ||
          v->ival % 16) {
        if (v->kind == AST_INT)
          err(s, v->loc, "head_dim must be a multiple of 16 from 16 to 256, got "
                         "%s%llu", v->negative ? "-" : "",
              (unsigned long long)v->ival);
        else
          err(s, v->loc, "head_dim must be an integer (a multiple of 16 from 16 "
                         "to 256)");
        ok = false;
      } else {
        out->head_dim = (int64_t)v->ival;
      }
    } else if (strcmp(en->key, "scale") == 0) {
      has_scale = true;
      double x = v->kind == AST_FLOAT ? v->fval
                 : v->kind == AST_INT ? (v->negative ? -(double)v->ival : (double)v->ival)
                                      : NAN;
      if (!(x > 0) || !isfinite(x)) {
        err(s, v->loc, "scale must be a positive number");
        ok = false;
      } else {
        out->scale = x;
      }
    } else if (strcmp(en->key, "lse") == 0) {
      const char *w = v->kind == AST_NAME && !v->has_args ? v->name : NULL;
      if (w && (strcmp(w, "true") == 0 || strcmp(w, "false") == 0)) {
        out->lse = strcmp(w, "true") == 0;
      } else {
        err(s, v->loc, "lse must be true or false");
        ok = false;
      }
    }
  }
  if (!has_dim) {
    err(s, k->loc, "kernel '%s' needs head_dim (a multiple of 16 from 16 to 256)",
        k->name);
    ok = false;
  }
  ok = kernel_groups(s, k, out) && ok;
  if (ok && !has_scale)
    out->scale = 1.0 / sqrt((double)out->head_dim);
  return ok ? out : NULL;
}

sem_program *sema_file(arena *a, const ast_file *f, diag_sink *diag) {
  sema s = {a, diag, f->file, f, 0, false, 0, 0, 0, NULL};
  unsigned before = diag->errors;
  sem_program *prog = arena_alloc(a, sizeof *prog);
  if (!prog) {
    err(&s, (src_loc){0, 0}, "out of memory");
    return NULL;
  }
  prog->file = f->file;
  if (!check_definitions(&s))
    return NULL;
  sem_pattern **ptail = &prog->patterns;
  for (const ast_pattern *p = f->patterns; p; p = p->next) {
    if (p->has_params || p->broken)
      continue;
    begin_definition(&s);
    scope sc = {p, NULL, 0, NULL};
    sem_pattern *sp = arena_alloc(a, sizeof *sp);
    if (!sp) {
      err(&s, p->loc, "out of memory");
      return NULL;
    }
    sp->name = p->name;
    sp->loc = p->loc;
    ((ast_pattern *)p)->expanding = true; /* catches a = ... a ... */
    s.root = p->name;
    sp->mask = resolve(&s, &sc, p->body);
    s.root = NULL;
    ((ast_pattern *)p)->expanding = false;
    if (sp->mask) {
      *ptail = sp;
      ptail = &sp->next;
    } else if (s.over_budget) {
      /* A blown limit is reported once: its users fail quietly. (Other
       * errors, like a cycle, are reported from each definition.) */
      ((ast_pattern *)p)->broken = true;
    }
  }
  sem_kernel **ktail = &prog->kernels;
  for (const ast_kernel *k = f->kernels; k; k = k->next) {
    begin_definition(&s);
    sem_kernel *sk = resolve_kernel(&s, k);
    if (sk) {
      *ktail = sk;
      ktail = &sk->next;
    }
  }
  return diag->errors == before ? prog : NULL;
}

sem_node *sema_expr(arena *a, const char *file, const ast_expr *e,
                    diag_sink *diag) {
  sema s = {a, diag, file, NULL, 0, false, 0, 0, 0, NULL};
  scope sc = {NULL, NULL, 0, NULL};
  unsigned before = diag->errors;
  sem_node *n = resolve(&s, &sc, e);
  return diag->errors == before ? n : NULL;
}
