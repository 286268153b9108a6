/* The micro-kernel shape per vector width (see cpu_target.h). */
#include "cpu_target.h"

#include <stdlib.h>
#include <string.h>

#include "amx_permit.h"
#include "llvm-c/Core.h"
#include "llvm-c/TargetMachine.h"

cpu_target cpu_target_for_lanes(int64_t lanes) {
  if (lanes == 16)
    return (cpu_target){16, 6, 4, false, false};
  return (cpu_target){8, 6, 2, false, false};
}

cpu_target cpu_target_host(void) {
  char *f = LLVMGetHostCPUFeatures();
  int64_t lanes = f && strstr(f, "+avx512f") ? 16 : 8;
  bool amx = f && strstr(f, "+amx-tile") && strstr(f, "+amx-bf16");
  bool bf16 = f && strstr(f, "+avx512bf16");
  if (f)
    LLVMDisposeMessage(f);
  /* SATTN_CPU_LANES=8 asks for the AVX2 shape on an AVX-512 host (the test
   * suite runs both shapes so; a user may prefer ymm code). Only narrower:
   * 16 lanes on a host without AVX-512 would not run. */
  const char *want = getenv("SATTN_CPU_LANES");
  if (want && strcmp(want, "8") == 0)
    lanes = 8;
  cpu_target t = cpu_target_for_lanes(lanes);
  const char *amx_env = getenv("SATTN_CPU_AMX");
  /* ... and only if the OS grants this process the tile state: a kernel
   * with tile instructions would else fail at every run (an AOT object's
   * process asks again when it runs one, runtime/amx_permit.c) */
  t.amx = lanes == 16 && amx && !(amx_env && strcmp(amx_env, "0") == 0) &&
          sattn_amx_permitted();
  /* vdpbf16ps: two per cycle on Zen 4/5 (64 flops against the FMA's 32 a
   * pipe), one every two cycles on Sapphire Rapids (docs/performance.md) */
  char *name = LLVMGetHostCPUName();
  bool zen = name && strncmp(name, "znver", 5) == 0;
  if (name)
    LLVMDisposeMessage(name);
  const char *dot_env = getenv("SATTN_CPU_BF16DOT");
  bool want_dot = dot_env && *dot_env ? strcmp(dot_env, "0") != 0 : zen;
  t.bf16dot = lanes == 16 && bf16 && !t.amx && want_dot;
  return t;
}
