/* The sattn pass table (see registry.h). */
#include "registry.h"

#include <string.h>

static const sattn_pass_info passes[] = {
    {"sattn-verify",
     "Check the values of sattn ops (sizes, powers of two, static 'among', "
     "head groups, attention types) that IRDL cannot",
     "", sattn_create_verify_pass},
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
