/* The CPU the kernels are generated for, as the micro-kernels of
 * sattn-lower-cpu see it (codegen/cpu_step.c): the f32 lanes of a vector
 * register and the shape of the register block. */
#ifndef SATTN_CPU_TARGET_H
#define SATTN_CPU_TARGET_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cpu_target {
  int64_t lanes; /* f32 lanes per vector: 8 (AVX2, 16 registers) or 16 (AVX-512, 32) */
  int64_t rows;  /* keys (QK^T) or head dims (PV) of a micro-kernel */
  int64_t cols;  /* query vectors of a micro-kernel */
  /* Intel AMX (tdpbf16ps): bf16 kernels compute QK^T on tiles
   * (cpu_step.c); the runtime asks the OS for the tile state
   * (sattn_cpu_kernel.amx). */
  bool amx;
  /* AVX512-BF16 (vdpbf16ps) where it has twice the FMA's flops (Zen 4/5):
   * bf16 kernels take both products on it (cpu_step_dot.h); elsewhere
   * (Intel: half the FMA's rate) they widen bf16 to f32. Every maker of a
   * target keeps it to 16 lanes without amx (cpu_target_host, the
   * sattn-lower-cpu options), so users test bf16dot alone. */
  bool bf16dot;
} cpu_target;

/* The register block for a vector width: rows x cols accumulators plus
 * cols loads and a broadcast fit in the register file (AVX2: 6 x 2 of
 * 16 ymm; 4 x 3 spilled one accumulator; AVX-512: 6 x 4 of 32 zmm, 24
 * accumulators + 4 loads + 1 broadcast: 0.42 loads per FMA against 4 x 4's
 * 0.5, measured 4-7% faster on a Sapphire Rapids class CPU). */
cpu_target cpu_target_for_lanes(int64_t lanes);

/* This process's CPU (LLVM's host features): 16 lanes with AVX-512F, else
 * 8; 8 when the environment has SATTN_CPU_LANES=8 (any other value is
 * ignored: wider than the host would not run). AMX with 16 lanes and
 * AMX-TILE + AMX-BF16 when the OS grants the tile state, unless the
 * environment has SATTN_CPU_AMX=0. bf16dot with 16 lanes, no AMX and
 * AVX512-BF16 on an AMD Zen (LLVM's host CPU znver*); SATTN_CPU_BF16DOT=0
 * turns it off, =1 on for any host with AVX512-BF16. */
cpu_target cpu_target_host(void);

#endif
