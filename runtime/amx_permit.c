#define _GNU_SOURCE /* syscall */
/* The OS's permission for the AMX tile state (sattn_cpu_kernel.amx): on
 * Linux a process must ask before its first tile instruction, which else
 * dies of SIGILL (kernel Documentation/arch/x86/xstate.rst). Asked once;
 * every thread of the process has it after. */
#include "amx_permit.h"

#include <pthread.h>

#if defined(__linux__) && defined(__x86_64__)
#include <sys/syscall.h>
#include <unistd.h>

enum { ARCH_REQ_XCOMP_PERM = 0x1023, XFEATURE_XTILEDATA = 18 };
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool granted;

static void ask(void) {
#if defined(__linux__) && defined(__x86_64__)
  granted = syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
#else
  granted = false;
#endif
}

bool sattn_amx_permitted(void) {
  pthread_once(&once, ask);
  return granted;
}
