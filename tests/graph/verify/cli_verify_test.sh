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
# A golden directory replays on every backend; a corrupted stored output is caught by the
# reference itself, at the element that was changed.
"$dyadic" golden "$work/m.dyqm" --image 5 --count 2 --out "$work/golden" >/dev/null
"$dyadic" verify --golden "$work/golden" --backends ref,sim,cpu >"$work/out.txt" || { cat "$work/out.txt"; exit 1; }
/usr/bin/python3 - "$work/golden" <<'PY'
import numpy as np, pathlib, sys
layer = sorted((pathlib.Path(sys.argv[1]) / "layers").iterdir())[3]
out = np.load(layer / "output.npy")
out[1, 2, 3, 4] = out[1, 2, 3, 4] - 1 if out[1, 2, 3, 4] > 0 else out[1, 2, 3, 4] + 1
np.save(layer / "output.npy", out)
PY
if "$dyadic" verify --golden "$work/golden" --backends ref >"$work/out.txt"; then
  echo "a corrupted golden output was not caught"; cat "$work/out.txt"; exit 1
fi
grep -q "layer 3 .*ref: differ: 1 of .* differ, first at \[1, 2, 3, 4\]" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
echo "verify CLI: ok"
