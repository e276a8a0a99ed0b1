#!/usr/bin/env bash
# HAWQ-V3 bit allocation on the bundled Fashion-MNIST model, end to end: Hessian-trace
# sensitivities -> ILP problem (size, BOPS, and accelerator latency from the SystemC model) ->
# ILP at t = 0.25 / 0.5 / 0.75 for BOPS and for size -> quantize each choice -> evaluate it
# integer-only next to uniform INT8 and INT4. Writes everything to the output directory.
# usage: scripts/ilp-study.sh [out_dir] [test_images]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/ilp-study}
count=${2:-10000}
model=models/fmnist_resnet.onnx
dyadic=build/cli/dyadic
scripts/build.sh >/dev/null
mkdir -p "$out"

$dyadic sensitivity "$model" --images 256 --samples 32 --bits 4,8 --json "$out/sensitivity.json" >"$out/sensitivity.txt"
$dyadic quantize "$model" --bits w8a8 --output "$out/w8a8.dyqm" >/dev/null
$dyadic latency-table "$out/w8a8.dyqm" --backend sim --bits 4,8 --json "$out/latency.json"
$dyadic ilp-problem "$model" --sensitivity "$out/sensitivity.json" --latency "$out/latency.json" --bits 4,8 \
  --out "$out/problem.json" >/dev/null

configs=(--bits w8a8 --bits w4a4)
for metric in bops size; do
  for t in 0.25 0.5 0.75; do
    $dyadic ilp "$out/problem.json" --frac "$metric=$t" --out "$out/ilp_${metric}_${t}.json" >/dev/null
    configs+=(--bits "$out/ilp_${metric}_${t}.json")
  done
done
$dyadic ilp "$out/problem.json" --pareto 50 --pareto-metric bops --csv "$out/pareto_bops.csv" --plot "$out/pareto_bops.svg" >/dev/null
$dyadic compare "$model" "${configs[@]}" --count "$count" --json "$out/accuracy.json" | tee "$out/accuracy.txt"
