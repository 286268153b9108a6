#!/usr/bin/env bash
# Installs what sattn needs (Debian packages: LLVM/MLIR 22, clang, lld, the
# DLPack header, CMake, Python for lit), then configures and builds.
# Idempotent: with everything present it only runs the (incremental) build.
#   bash scripts/setup.sh            # install if needed + build into ./build
#   SATTN_NO_INSTALL=1 bash ...      # build only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libopenblas-dev libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
          libdlpack-dev cmake make python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] && [ -z "${SATTN_NO_INSTALL:-}" ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

build="${SATTN_BUILD_DIR:-build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${SATTN_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
fi
cmake --build "$build" -j"${SATTN_JOBS:-2}"
echo "setup: built into $build/ (tools in $build/bin)" >&2
