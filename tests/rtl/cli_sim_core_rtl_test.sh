#!/usr/bin/env bash
# dyadic sim --core rtl: the Verilated core inside the SystemC model. On both bundled models at
# w8a8 and w4a4, and the full model at the ILP-mixed bits, every layer equals the reference
# (--verify), and every layer takes exactly the behavioural core's cycles, breakdown included.
set -euo pipefail
dyadic=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {  # run <onnx> <bits> <label>
  "$dyadic" quantize "$repo/models/$1" --bits "$2" --calibration-images 64 --output "$work/$3.dyqm" >/dev/null
  "$dyadic" sim "$work/$3.dyqm" --verify --json "$work/$3-behavioural.json" >/dev/null 2>&1
  "$dyadic" sim "$work/$3.dyqm" --verify --core rtl --json "$work/$3-rtl.json" >"$work/$3.txt" 2>&1 ||
    { cat "$work/$3.txt"; exit 1; }
  python3 - "$work/$3-behavioural.json" "$work/$3-rtl.json" "$3" <<'PY'
import json, sys
behavioural, rtl = (json.load(open(p)) for p in sys.argv[1:3])
assert rtl["verified"] and behavioural["verified"], sys.argv[3]
assert len(rtl["layers"]) == len(behavioural["layers"]) > 0
for b, r in zip(behavioural["layers"], rtl["layers"]):
    assert b["name"] == r["name"] and b["cycles"] == r["cycles"], (sys.argv[3], b["name"], b["cycles"], r["cycles"])
assert behavioural["total"]["cycles"] == rtl["total"]["cycles"]
print(sys.argv[3] + ": " + str(len(rtl["layers"])) + " layers, " + str(rtl["total"]["cycles"]["total"]) + " cycles on both cores")
PY
}
run fmnist_resnet_small.onnx w8a8 small-w8a8
run fmnist_resnet_small.onnx w4a4 small-w4a4
run fmnist_resnet.onnx w8a8 full-w8a8
run fmnist_resnet.onnx w4a4 full-w4a4
run fmnist_resnet.onnx "$repo/models/fmnist_resnet.mixed.json" full-mixed
if "$dyadic" sim "$work/small-w8a8.dyqm" --core nosuch >/dev/null 2>&1; then echo "an unknown core was accepted"; exit 1; fi
echo "sim --core rtl: ok"
