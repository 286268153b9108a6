/* sem_node -> orc_node (see to_oracle.h). */
#include "to_oracle.h"

orc_node *sem_to_oracle(const sem_node *n) {
  switch (n->kind) {
  case SEM_FULL: return orc_full();
  case SEM_CAUSAL: return orc_causal();
  case SEM_WINDOW: return orc_window(n->a, n->b);
  case SEM_LOCAL: return orc_local(n->a, n->b);
  case SEM_DILATED: return orc_dilated(n->a, n->b);
  case SEM_STRIDE: return orc_stride(n->a);
  case SEM_SUMMARY: return orc_summary(n->a, n->b);
  case SEM_GLOBAL: return orc_global(n->ranges, n->nranges);
  case SEM_RANDOM: return orc_random(n->a, n->b, n->seed, n->per_head);
  case SEM_TOPK:
  case SEM_BLOCKS:
  case SEM_SAME: return orc_unknown();
  case SEM_UNION: return orc_union(sem_to_oracle(n->lhs), sem_to_oracle(n->rhs));
  case SEM_INTERSECT:
    return orc_intersect(sem_to_oracle(n->lhs), sem_to_oracle(n->rhs));
  case SEM_DIFFERENCE:
    return orc_difference(sem_to_oracle(n->lhs), sem_to_oracle(n->rhs));
  }
  return NULL;
}
