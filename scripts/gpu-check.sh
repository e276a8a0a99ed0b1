#!/usr/bin/env bash
# Every GPU check and benchmark of the CUDA backend in one run, on a machine with an NVIDIA GPU
# (sm_80 or newer), CUDA (nvcc) and the Debian packages of scripts/install-deps.sh:
#
#   scripts/gpu-check.sh [results-dir]        (default: $OUT/gpu-check if $OUT is set, else gpu-check-results)
#
#  1. environment: GPU name, driver, compute capability, nvcc, commit       -> environment.txt
#  2. build (Release, CUDA code for this GPU only, to save time)             -> build.log
#  3. CPU tests of the kernels' algorithm and device tests of every op       -> tests.log
#  4. integer models: both bundled Fashion-MNIST models and ResNet18/ResNet50 at ImageNet
#     shapes, at INT8 (w8a8), INT4 (w4a4) and mixed (4-bit weights with 8-bit activations and
#     the reverse, per-layer 4/8)                                            -> models/
#  5. dyadic verify --backends ref,gpu --require-all on every model: every layer == reference
#                                                                            -> verify/<model>.{txt,json}
#  6. compute-sanitizer (memcheck, initcheck) on the device tests and one model -> sanitizer/
#  7. dyadic latency-table --backend gpu --bits 4,8 at batch 1 and 8         -> latency/
#  8. peers in the same run: cuBLASLt int8 GEMM (CUBLAS_COMPUTE_32I) on each layer's im2col shape,
#     cuDNN int8 convolution, the device's int8 peak                        -> peers/
#
# Every command is logged in commands.txt with its exit status and time; summary.txt has one line
# per step, summary.json the same for machines. Steps run on after a failure (each has its own
# time limit) and the script exits non-zero if any failed. Sized for ~8 minutes on an H200; once
# $DYADIC_GPU_CHECK_BUDGET seconds (default 540) have passed, the remaining steps are recorded as
# skipped instead of run. DYADIC_GPU_CHECK_PREBUILT=1 uses the binaries already in
# $DYADIC_BUILD_DIR (default build-gpu) instead of configuring and building;
# DYADIC_GPU_CHECK_ONLY=<regex> keeps only the models whose names match (a quick rerun).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-${OUT:+$OUT/gpu-check}}
out=${out:-gpu-check-results}
mkdir -p "$out"/{models,verify,sanitizer,latency,peers}
out=$(cd "$out" && pwd)
build=${DYADIC_BUILD_DIR:-build-gpu}
jobs=$(nproc)
start_all=$(date +%s)
failures=0
: >"$out/commands.txt"
: >"$out/summary.txt"
echo "[" >"$out/summary.json"
first_step=1

budget=${DYADIC_GPU_CHECK_BUDGET:-540}

record() {  # NAME STATUS EXIT SECONDS LOG
    printf '%-52s %-14s %8s s  %s\n' "$1" "$2" "$4" "${5#"$out"/}" | tee -a "$out/summary.txt"
    [ $first_step -eq 1 ] || echo "," >>"$out/summary.json"
    first_step=0
    printf '  {"step": "%s", "status": "%s", "exit": %d, "seconds": %s, "log": "%s"}' \
        "$1" "$2" "$3" "$4" "${5#"$out"/}" >>"$out/summary.json"
}

# step NAME LIMIT_SECONDS LOG COMMAND...: runs COMMAND under a time limit, its output into LOG.
step() {
    local name=$1 limit=$2 log=$3
    shift 3
    if [ $(( $(date +%s) - start_all )) -ge "$budget" ]; then
        printf '$ %s\n  -> skipped: time budget of %s s spent\n' "$*" "$budget" >>"$out/commands.txt"
        record "$name" "SKIPPED(time)" -1 0 "$log"
        failures=$((failures + 1))
        return 1
    fi
    local t0 rc t1
    t0=$(date +%s.%N)
    printf '$ %s\n' "$*" >>"$out/commands.txt"
    timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    local seconds
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    local status=ok
    [ "$rc" -eq 0 ] || { status=FAILED; failures=$((failures + 1)); }
    [ "$rc" -eq 124 ] && status="TIMEOUT(${limit}s)"
    printf '  -> exit %d, %s s\n' "$rc" "$seconds" >>"$out/commands.txt"
    record "$name" "$status" "$rc" "$seconds" "$log"
    return "$rc"
}

# --- 1. environment -----------------------------------------------------------------------------
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown) $(git status --porcelain 2>/dev/null | wc -l) changed files"
    echo "host: $(uname -a)"
    echo "cpus: $jobs"
    nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total,clocks.max.sm --format=csv 2>&1
    nvidia-smi 2>&1 | head -15
    nvcc_bin=$(command -v nvcc || echo "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc")
    "$nvcc_bin" --version 2>&1 | tail -2
    command -v compute-sanitizer || ls "${CUDA_HOME:-/usr/local/cuda}/bin/compute-sanitizer" 2>&1
} >"$out/environment.txt" 2>&1
cat "$out/environment.txt" | sed -n 1,8p
cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d ' .')
[ -n "$cc" ] || { echo "gpu-check: no GPU found by nvidia-smi" | tee -a "$out/summary.txt"; exit 1; }

# --- 2. build ------------------------------------------------------------------------------------
# Only this GPU's architecture: CI compiles all four (80, 86, 89, 90) on every run already.
targets=(dyadic test_gpu_host test_gpu_backend bench_gpu_peers make_check_model)
if [ "${DYADIC_GPU_CHECK_PREBUILT:-0}" != 1 ]; then
    step "configure (sm_$cc)" 120 "$out/build.log" \
        cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="$cc" || true
    step "build ${targets[*]}" 300 "$out/build-ninja.log" cmake --build "$build" -j "$jobs" --target "${targets[@]}" || {
        echo "gpu-check: build failed, see $out/build-ninja.log"
        exit 1
    }
fi
D=$build/cli/dyadic
# Prebuilt binaries may come from another machine: every shared library they need must be here.
binaries=("$D" "$build/tests/gpu/test_gpu_host" "$build/tests/gpu/test_gpu_backend" "$build/bench/gpu/bench_gpu_peers"
          "$build/bench/gpu/make_check_model")
step "shared libraries of the binaries" 30 "$out/ldd.log" \
    bash -c 'status=0; for b in "$@"; do ldd "$b" | grep "not found" && status=1; done; exit $status' _ "${binaries[@]}" || true

# --- 3. tests ------------------------------------------------------------------------------------
step "test_gpu_host (CPU: emulated mma.sync == reference)" 120 "$out/test_gpu_host.log" \
    "$build/tests/gpu/test_gpu_host" || true
# The device tests print "SKIPPED:" without a usable GPU; here that is a failure.
step "test_gpu_backend (device: every op == reference)" 180 "$out/test_gpu_backend.log" \
    bash -c "'$build/tests/gpu/test_gpu_backend' && ! grep -q 'SKIPPED:' '$out/test_gpu_backend.log'" || true

# --- 4. models -----------------------------------------------------------------------------------
models=()
make_model() {  # NAME NET BITS
    [[ "$1" =~ ${DYADIC_GPU_CHECK_ONLY:-.} ]] || return 0
    models+=("$1")
    echo "$build/bench/gpu/make_check_model --net $2 --bits $3 --out $out/models/$1.dyqm"
}
{
    make_model fmnist_resnet_w8a8 models/fmnist_resnet.onnx w8a8
    make_model fmnist_resnet_w4a4 models/fmnist_resnet.onnx w4a4
    make_model fmnist_resnet_mixed models/fmnist_resnet.onnx models/fmnist_resnet.mixed.json
    make_model fmnist_resnet_small_w8a8 models/fmnist_resnet_small.onnx w8a8
    make_model fmnist_resnet_small_w4a4 models/fmnist_resnet_small.onnx w4a4
    make_model fmnist_resnet_small_w4a8 models/fmnist_resnet_small.onnx w4a8
    make_model resnet18_w8a8 resnet18 w8a8
    make_model resnet18_w4a4 resnet18 w4a4
    make_model resnet18_w8a4 resnet18 w8a4
    make_model resnet50_w8a8 resnet50 w8a8
    make_model resnet50_w4a4 resnet50 w4a4
    make_model resnet50_w4a8 resnet50 w4a8
    make_model resnet50_mixed resnet50 mixed
} >"$out/models/commands.txt"
step "quantize ${#models[@]} models (parallel)" 240 "$out/models/quantize.log" \
    bash -c "xargs -P $jobs -I{} bash -c '{}' <'$out/models/commands.txt'" || true

# --- 5. verify -----------------------------------------------------------------------------------
for m in "${models[@]}"; do
    [ -f "$out/models/$m.dyqm" ] || continue
    step "verify $m" 120 "$out/verify/$m.txt" \
        "$D" verify "$out/models/$m.dyqm" --backends ref,gpu --random 2 --batch 2 --require-all \
        --json "$out/verify/$m.json" || true
done

# --- 6. compute-sanitizer ------------------------------------------------------------------------
sanitizer=$(command -v compute-sanitizer || echo "${CUDA_HOME:-/usr/local/cuda}/bin/compute-sanitizer")
if [ -x "$sanitizer" ]; then
    for tool in memcheck initcheck; do
        step "compute-sanitizer $tool test_gpu_backend" 240 "$out/sanitizer/$tool-tests.log" \
            "$sanitizer" --tool "$tool" --error-exitcode 1 "$build/tests/gpu/test_gpu_backend" || true
    done
    [ -f "$out/models/fmnist_resnet_mixed.dyqm" ] && step "compute-sanitizer memcheck verify fmnist_resnet_mixed" 90 "$out/sanitizer/memcheck-verify.log" \
        "$sanitizer" --tool memcheck --error-exitcode 1 "$D" verify "$out/models/fmnist_resnet_mixed.dyqm" \
        --backends ref,gpu --random 1 --batch 1 --require-all || true
else
    echo "compute-sanitizer: not found ($sanitizer)" | tee -a "$out/summary.txt"
    failures=$((failures + 1))
fi

# --- 7. latency tables ---------------------------------------------------------------------------
for run in resnet50_w8a8:1 resnet50_w8a8:8 resnet18_w8a8:1; do
    m=${run%%:*} batch=${run##*:}
    [ -f "$out/models/$m.dyqm" ] || continue
    step "latency-table $m batch $batch" 120 "$out/latency/$m-b$batch.log" \
        "$D" latency-table "$out/models/$m.dyqm" --backend gpu --bits 4,8,w4a8 --batch "$batch" --repeats 20 \
        --json "$out/latency/$m-b$batch.json" || true
done

# --- 8. peers ------------------------------------------------------------------------------------
for batch in 1 8; do
    [ -f "$out/models/resnet50_w8a8.dyqm" ] || continue
    step "peers resnet50_w8a8 batch $batch" 150 "$out/peers/resnet50_w8a8-b$batch.txt" \
        "$build/bench/gpu/bench_gpu_peers" "$out/models/resnet50_w8a8.dyqm" --batch "$batch" --repeats 20 \
        --json "$out/peers/resnet50_w8a8-b$batch.json" || true
done
[ -f "$out/models/resnet18_w8a8.dyqm" ] && step "peers resnet18_w8a8 batch 1" 90 "$out/peers/resnet18_w8a8-b1.txt" \
    "$build/bench/gpu/bench_gpu_peers" "$out/models/resnet18_w8a8.dyqm" --batch 1 --repeats 20 \
    --json "$out/peers/resnet18_w8a8-b1.json" || true

# End to end from the latency tables: sum over layers per candidate (ResNet50, batch 1).
if command -v python3 >/dev/null && [ -f "$out/latency/resnet50_w8a8-b1.json" ]; then
    python3 - "$out/latency" >"$out/latency/end_to_end.txt" 2>&1 <<'PY'
import json, sys, glob, os
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    table = json.load(open(path))
    totals = {}
    for layer in table["layers"]:
        for c in layer["candidates"]:
            totals[c["bits"]] = totals.get(c["bits"], 0.0) + c["latency_ms"]
    base = totals.get("w8a8")
    line = ", ".join(f"{k} {v:.3f} ms" + (f" ({base / v:.2f}x w8a8)" if base else "") for k, v in sorted(totals.items()))
    print(f"{os.path.basename(path)}: conv+fc sum: {line}")
PY
    cat "$out/latency/end_to_end.txt"
fi

echo "" >>"$out/summary.json"
echo "]" >>"$out/summary.json"
total=$(( $(date +%s) - start_all ))
echo "gpu-check: $failures failed step(s), ${total} s in all; results in $out" | tee -a "$out/summary.txt"
[ "$failures" -eq 0 ]
