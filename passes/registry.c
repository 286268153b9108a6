/* The sattn pass table (see registry.h). */
#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sattn_pass_info passes[] = {
    {"sattn-verify",
     "Check the values of sattn ops (sizes, powers of two, static 'among', "
     "head groups, attention types) that IRDL cannot",
     "", sattn_create_verify_pass},
    {"sattn-simplify",
     "Simplify the masks of each sattn.attention (flatten, merge windows, fold "
     "causal & window, drop repeated and subsumed terms) and warn about empty rows",
     "check-len=N (the length of the empty-row check, default 1024; 0: off)",
     sattn_create_simplify_pass},
    {"sattn-blockify",
     "Give each sattn.attention a closed-form block schedule: per head group, "
     "the keys a query tile may attend (sattn.blocked_attention)",
     "block-q=N (query rows per tile, default 32) block-k=N (keys per tile, "
     "default 64)",
     sattn_create_blockify_pass},
    {"sattn-tile",
     "Turn each blockified kernel into its item function: the online-softmax "
     "loop over the key tiles of its schedule; remove the sattn-level functions",
     "", sattn_create_tile_pass},
    {"sattn-lower-cpu",
     "Expand the tile ops (tile_init, tile_step, tile_finish) into CPU loops "
     "(scf, vector, memref, arith, math) with register-blocked micro-kernels",
     "lanes=N (f32 lanes per vector: 16 for AVX-512, the default; 8 for AVX2); "
     "amx=1 (bf16 QK^T on Intel AMX tiles, with lanes=16); "
     "bf16dot=1 (bf16 QK^T and PV on the AVX512-BF16 dot product, with lanes=16)",
     sattn_create_lower_cpu_pass},
};

const sattn_pass_info *sattn_pass_table(size_t *n) {
  *n = sizeof passes / sizeof passes[0];
  return passes;
}

const sattn_pass_info *sattn_pass_find(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++)
    if (strlen(passes[i].name) == len && memcmp(passes[i].name, name, len) == 0)
      return &passes[i];
  return NULL;
}

MlirTypeID sattn_pass_type_id(void) {
  /* One allocator for the process; type ids live as long as it does. */
  static MlirTypeIDAllocator alloc;
  if (!alloc.ptr)
    alloc = mlirTypeIDAllocatorCreate();
  return mlirTypeIDAllocatorAllocateTypeID(alloc);
}

bool pass_parse_options(const char *pass, const char *text,
                        const pass_option *opts, size_t n, char *err,
                        size_t errlen) {
  const char *p = text ? text : "";
  while (*p) {
    while (*p == ' ')
      p++;
    if (!*p)
      break;
    size_t klen = strcspn(p, "= ");
    if (p[klen] != '=') {
      snprintf(err, errlen, "%s: option '%.*s' needs a value (key=value)", pass,
               (int)klen, p);
      return false;
    }
    const pass_option *o = NULL;
    for (size_t i = 0; i < n; i++)
      if (strlen(opts[i].name) == klen && !memcmp(opts[i].name, p, klen))
        o = &opts[i];
    if (!o) {
      snprintf(err, errlen, "%s: unknown option '%.*s'", pass, (int)klen, p);
      return false;
    }
    const char *v = p + klen + 1;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || (*end && *end != ' ') || errno || x < o->min || x > o->max) {
      snprintf(err, errlen, "%s: %s must be an integer from %lld to %lld, got '%.*s'",
               pass, o->name, (long long)o->min, (long long)o->max,
               (int)strcspn(v, " "), v);
      return false;
    }
    *o->value = x;
    p = end;
  }
  return true;
}

static sattn_warn_fn warn_fn;
static void *warn_user;

void sattn_pass_set_warn_handler(sattn_warn_fn fn, void *user) {
  warn_fn = fn;
  warn_user = user;
}

void sattn_pass_warn(MlirLocation loc, const char *message) {
  if (warn_fn) {
    warn_fn(warn_user, loc, message);
    return;
  }
  /* No handler: the location as MLIR prints it, then the message. */
  fprintf(stderr, "warning: %s\n", message);
}
