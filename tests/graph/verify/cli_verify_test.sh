#!/usr/bin/env bash
# dyadic verify end to end on the bundled small model: the SystemC model equals the reference on
# real images (exit 0, every layer "equal"); the JSON report says so; a backend that cannot run
# here (gpu: CI has no GPU) is reported as skipped, and --require-all turns that into exit 1.
set -euo pipefail
dyadic=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dyadic" quantize "$repo/models/fmnist_resnet_small.onnx" --bits w4a4 --calibration-images 64 --output "$work/m.dyqm" >/dev/null
"$dyadic" verify "$work/m.dyqm" --backends sim --image 100 --count 40 --batch 16 --json "$work/r.json" >"$work/out.txt"
grep -q "PASSED" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
python3 - "$work/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["passed"] and r["images"] == 40, r
for layer in r["layers"]:
    sim = layer["results"]["sim"]
    assert sim["outcome"] == "equal" and sim["differing"] == 0 and sim["batches"] == 3, layer
    assert sim["compared"] > 0, layer
PY
"$dyadic" verify "$work/m.dyqm" --backends sim,gpu --random 4 >"$work/out.txt"
grep -q "gpu: skipped, unavailable" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
if "$dyadic" verify "$work/m.dyqm" --backends sim,gpu --random 4 --require-all >"$work/out.txt"; then
  echo "--require-all passed with a skipped backend"; exit 1
fi
if "$dyadic" verify "$work/m.dyqm" --backends sim,nosuch >/dev/null 2>&1; then
  echo "an unknown backend was accepted"; exit 1
fi
echo "verify CLI: ok"
