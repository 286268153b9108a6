/* Whether this process may run AMX tile instructions (asked once). */
#ifndef SATTN_AMX_PERMIT_H
#define SATTN_AMX_PERMIT_H

#include <stdbool.h>

bool sattn_amx_permitted(void);

#endif
