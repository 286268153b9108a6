#!/usr/bin/env bash
# Runs the whole test suite: builds (installing what is missing), then ctest
# runs every lit suite and C test. Extra arguments go to ctest.
#   SATTN_SANITIZE_TESTS=1  also build with AddressSanitizer + UBSan (in
#                           build-asan/) and run the suite there; CI=true
#                           turns it on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd "${SATTN_BUILD_DIR:-build}" && ctest --output-on-failure -j2 "$@")
if [ -n "${SATTN_SANITIZE_TESTS:-}" ] || [ "${CI:-}" = "true" ]; then
  echo "test: again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)" >&2
  if [ ! -f build-asan/CMakeCache.txt ]; then
    cmake -S . -B build-asan -DSATTN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
  fi
  cmake --build build-asan -j"${SATTN_JOBS:-2}"
  # Leaks: the C tests are leak-clean (detect_leaks=1 by hand); the tools'
  # runs under lit hold MLIR's process-lifetime singletons, so leak checking
  # is off here. UBSan findings fail the run.
  # kernel_cpu_8_lanes and kernel_cpu_bf16_{widened,dot} are left out here:
  # they run the same C code as kernel_cpu with other parameters (the
  # generated code they add is not instrumented), and would add 4-5 and 3
  # minutes each.
  # schedule runs 150 random patterns here, not 500: the instrumented code
  # is the same for each, and the 500 JIT compiles took 6 minutes. It runs
  # beside ctest, whose last minutes are kernel_cpu alone on one core.
  (cd build-asan && export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 &&
     echo "test: schedule (150 patterns) under the sanitizers, beside ctest" >&2 &&
     { ./test/test_schedule 150 > schedule-asan.log 2>&1 & } && sched=$! &&
     { ctest --output-on-failure -j2 -E '^(kernel_cpu_8_lanes|kernel_cpu_bf16_widened|kernel_cpu_bf16_dot|schedule)$' "$@"; rc=$?; } &&
     { wait "$sched"; srs=$?; } &&
     if [ "$srs" -ne 0 ]; then tail -40 schedule-asan.log; echo "test: schedule failed under the sanitizers" >&2; exit 1; fi &&
     exit "$rc")
fi
