#!/usr/bin/env bash
# Installs the Debian dependencies (if missing), then configures and builds dyadic in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build_dir=${DYADIC_BUILD_DIR:-build}
source scripts/compiler-cache.sh
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
