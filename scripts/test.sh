#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: install dependencies, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
build_dir=${DYADIC_BUILD_DIR:-build}
ctest --test-dir "$build_dir" -j "$(nproc)" --output-on-failure "$@"
