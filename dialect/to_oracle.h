/* Resolved pattern -> oracle description, for the empty-row check and the
 * density summary. Dynamic terms become ORC_UNKNOWN. */
#ifndef SATTN_TO_ORACLE_H
#define SATTN_TO_ORACLE_H

#include "oracle.h"
#include "sema.h"

/* A new oracle tree (free with orc_node_destroy), or NULL when out of memory. */
orc_node *sem_to_oracle(const sem_node *n);

#endif
