#!/usr/bin/env bash
# Runs the whole test suite: builds (installing what is missing), then ctest
# runs every lit suite and C test. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd "${SATTN_BUILD_DIR:-build}"
ctest --output-on-failure -j2 "$@"
