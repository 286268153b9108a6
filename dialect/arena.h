/* A bump allocator for one compilation (tokens, AST, resolved patterns).
 * Everything is freed at once by arena_destroy; arena_alloc returns zeroed
 * memory or NULL when out of memory (callers report it, never abort). */
#ifndef SATTN_ARENA_H
#define SATTN_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
  arena_chunk *head;
  size_t total; /* bytes handed out, for the limits of the front end */
} arena;

void *arena_alloc(arena *a, size_t size);
/* Copies n bytes and adds a NUL. */
char *arena_strndup(arena *a, const char *s, size_t n);
/* Frees every chunk; the arena can be reused. NULL does nothing. */
void arena_destroy(arena *a);

#endif
