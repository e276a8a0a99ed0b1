#!/usr/bin/env bash
# `dyadic golden` on the bundled small model at w4a4 (4-bit tensors: packed images too) and on 40
# fuzz-diff layer cases (every op kind, dilation, groups, forced rounding ties, extreme
# multipliers), checked from the files alone by check_golden_numpy.py (NumPy, written from
# docs/semantics.md); `dyadic run --input` on the golden input must give the golden logits, and
# an existing non-empty --out is refused without --force.
set -euo pipefail
dyadic=$1
repo=$2
python=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -c 'import numpy' 2>/dev/null || { echo "NumPy is missing for $python (scripts/install-deps.sh installs python3-numpy)"; exit 1; }
"$dyadic" quantize "$repo/models/fmnist_resnet_small.onnx" --bits w4a4 --calibration-images 64 --output "$work/m.dyqm" >/dev/null
"$dyadic" golden "$work/m.dyqm" --image 3 --count 2 --out "$work/golden"
"$dyadic" run "$work/m.dyqm" --input "$work/golden/input.npy" --json >"$work/run.json"
cases=()
for seed in $(seq 1 40); do
  "$dyadic" golden --fuzz-case "$seed" --out "$work/case-$seed" 2>/dev/null
  cases+=("$work/case-$seed")
done
"$python" "$repo/tests/graph/golden/check_golden_numpy.py" "$work/golden" "${cases[@]}" --run-json "$work/run.json" --require-ties
# The float input quantizes to the same integers: the same logits.
"$dyadic" run "$work/m.dyqm" --input "$work/golden/input_float.npy" --json >"$work/run_float.json"
"$python" "$repo/tests/graph/golden/check_golden_numpy.py" "$work/golden" --run-json "$work/run_float.json" >/dev/null
if "$dyadic" golden "$work/m.dyqm" --random 1 --out "$work/golden" 2>"$work/err.txt"; then
  echo "golden replaced a non-empty directory without --force"; exit 1
fi
grep -q "not empty" "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
"$dyadic" golden "$work/m.dyqm" --random 1 --seed 5 --out "$work/golden" --force 2>/dev/null
"$python" "$repo/tests/graph/golden/check_golden_numpy.py" "$work/golden"
