#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz/targets/) for SECONDS each, one after another.
#   scripts/fuzz.sh SECONDS [target ...]       (nice -n 19 scripts/fuzz.sh 600 on a shared machine)
#   DYADIC_FUZZ_PARALLEL=N runs N targets at a time.
# Builds the targets with clang in build-fuzz/ (ASan + UBSan + coverage instrumentation), starts
# each from its committed seed corpus tests/fuzz/corpus/<target>/ plus what earlier runs found
# (build-fuzz/corpus/<target>/), and writes crashing inputs to build-fuzz/findings/<target>/.
# Prints a table (time, executions, executions per second, coverage, corpus, findings) and writes
# it as JSON to build-fuzz/fuzz-results.json. Exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [target ...]}
shift
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found: the libFuzzer targets need clang (apt-get install clang); nothing run"
  exit 1
fi
build_dir=${DYADIC_FUZZ_BUILD_DIR:-build-fuzz}
source scripts/compiler-cache.sh
CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDYADIC_FUZZ=ON \
  "${launcher[@]}" >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/targets/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    targets+=("${name#fuzz_}")
  done
fi
cmake --build "$build_dir" --target "${targets[@]/#/fuzz_}" -- -j "${DYADIC_FUZZ_JOBS:-2}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs one target; leaves its figures in $build_dir/fuzz-<target>.result (one JSON object).
fuzz_target() {
  local target=$1
  local corpus="$build_dir/corpus/$target" findings="$build_dir/findings/$target" log="$build_dir/fuzz-$target.log"
  mkdir -p "$corpus" "$findings"
  echo "fuzz: $target for $seconds s (log: $log)" >&2
  local start rc elapsed last
  start=$(date +%s)
  set +e
  "$build_dir/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" "tests/fuzz/corpus/$target" > "$log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  final_stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  local cov ft units found executions speed
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  units=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<< "$last")
  found=$(find "$findings" -type f | wc -l)
  executions=$(final_stat number_of_executed_units)
  speed=$(final_stat average_exec_per_sec)
  printf '{"target": "%s", "seconds": %s, "executions": %s, "exec_per_second": %s, "coverage": %s, "features": %s, "corpus": %s, "findings": %s, "exit_status": %s}\n' \
    "$target" "$elapsed" "${executions:-null}" "${speed:-null}" "${cov:-null}" "${ft:-null}" "${units:-null}" \
    "$found" "$rc" > "$build_dir/fuzz-$target.result"
}

# DYADIC_FUZZ_PARALLEL targets at a time (default 1: one after another).
parallel=${DYADIC_FUZZ_PARALLEL:-1}
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do sleep 1; done
  fuzz_target "$target" &
done
wait

results="$build_dir/fuzz-results.json"
status=0
printf '%-14s %8s %12s %9s %7s %7s %7s %9s\n' target seconds executions exec/s cov ft corpus findings
{
  echo "["
  separator=""
  for target in "${targets[@]}"; do
    line=$(cat "$build_dir/fuzz-$target.result")
    printf '%s  %s' "$separator" "$line"
    separator=$',\n'
  done
  printf '\n]\n'
} > "$results"
for target in "${targets[@]}"; do
  line=$(cat "$build_dir/fuzz-$target.result")
  field() { sed -n "s/.*\"$1\": \([^,}]*\).*/\1/p" <<< "$line"; }
  printf '%-14s %8s %12s %9s %7s %7s %7s %9s\n' "$target" "$(field seconds)" "$(field executions)" \
    "$(field exec_per_second)" "$(field coverage)" "$(field features)" "$(field corpus)" "$(field findings)"
  if [ "$(field findings)" != 0 ] || [ "$(field exit_status)" != 0 ]; then status=1; fi
done
echo "wrote $results" >&2
exit $status
