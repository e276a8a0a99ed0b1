#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: install dependencies, build, run every test.
#   scripts/test.sh [ctest arguments...]
#   scripts/test.sh --sanitize [ctest arguments...]
# --sanitize builds in build-sanitize/ with AddressSanitizer and UndefinedBehaviorSanitizer
# (-fno-sanitize-recover=undefined: any finding fails its test), without Verilator and CUDA, and
# runs every test that configures so (tests/CMakeLists.txt says what is left out).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--sanitize" ]; then
  scripts/build.sh
  build_dir=${DYADIC_BUILD_DIR:-build}
  ctest --test-dir "$build_dir" -j "$(nproc)" --output-on-failure "$@"
  exit 0
fi
shift
scripts/install-deps.sh
build_dir=${DYADIC_SANITIZE_BUILD_DIR:-build-sanitize}
source scripts/compiler-cache.sh
# -O0 (-O1 for the reference ops, CPU kernels and SystemC model: CMakeLists.txt): unoptimized
# compiles take half the time; -g1 keeps file:line in reports at no measurable cost.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1" \
  -DDYADIC_SANITIZE=ON -DDYADIC_CUDA=OFF -DDYADIC_VERILATOR=OFF "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# detect_leaks=0: leaks are not undefined behaviour, and the SystemC kernel and protobuf keep
# static allocations until exit. UBSan stops at the first finding (also compiled in), and aborts,
# so that a finding in an executable the tests start (bad_inputs) is a crash, never exit status 1.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1}
# Left out here: the builder tests (ResNet18/50 and InceptionV3 graphs built in code from constants,
# no outside input), about 180 s unoptimised under ASan; the normal run has them.
ctest --test-dir "$build_dir" -E '^builders: ' -j "$(nproc)" --output-on-failure "$@"
