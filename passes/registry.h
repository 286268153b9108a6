/* The table of sattn passes: name -> constructor with options.
 *
 * The MLIR C API has no pass registry, so a pipeline string cannot name a C
 * pass (TOOLCHAIN.md). sattn-opt and the drivers look passes up here, build
 * them with their options, and hand everything else to the upstream
 * pipeline parser. */
#ifndef SATTN_PASS_REGISTRY_H
#define SATTN_PASS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlir-c/Pass.h"

typedef struct sattn_pass_info {
  const char *name;        /* as written in a pipeline: "sattn-verify" */
  const char *description; /* one line */
  const char *options;     /* "key=value ..." accepted, "" for none */
  /* Creates the pass from its option text (the part inside {...}, may be
   * empty). On bad options writes a message to err and returns a null pass. */
  MlirPass (*create)(const char *options, char *err, size_t errlen);
} sattn_pass_info;

/* The pass named name[0..len), or NULL. */
const sattn_pass_info *sattn_pass_find(const char *name, size_t len);
/* All passes; *n gets their number. */
const sattn_pass_info *sattn_pass_table(size_t *n);

/* Allocates a fresh MlirTypeID for a pass type (once per pass type). */
MlirTypeID sattn_pass_type_id(void);

/* An integer option `name=value` with its bounds, for pass_parse_options. */
typedef struct pass_option {
  const char *name;
  int64_t *value;
  int64_t min, max;
} pass_option;

/* Parses "key=value key=value" (spaces between) into the options; unknown
 * keys, bad numbers and values out of bounds are errors naming the pass. */
bool pass_parse_options(const char *pass, const char *text,
                        const pass_option *opts, size_t n, char *err,
                        size_t errlen);

/* The checks of sattn-verify on `op` and everything nested in it; errors
 * are emitted at the ops. Returns true when all values are valid. */
bool sattn_verify_values(MlirOperation op);

/* Warnings from passes: the C API can emit errors only. A tool installs a
 * handler (sattn-opt and sattnc print them like other diagnostics);
 * without one they go to stderr as "file:line:col: warning: ...". */
typedef void (*sattn_warn_fn)(void *user, MlirLocation loc, const char *message);
void sattn_pass_set_warn_handler(sattn_warn_fn fn, void *user);
void sattn_pass_warn(MlirLocation loc, const char *message);

/* Constructors (one per pass file). */
MlirPass sattn_create_verify_pass(const char *options, char *err, size_t errlen);
MlirPass sattn_create_simplify_pass(const char *options, char *err, size_t errlen);
MlirPass sattn_create_blockify_pass(const char *options, char *err, size_t errlen);
MlirPass sattn_create_tile_pass(const char *options, char *err, size_t errlen);
MlirPass sattn_create_lower_cpu_pass(const char *options, char *err, size_t errlen);

#endif
