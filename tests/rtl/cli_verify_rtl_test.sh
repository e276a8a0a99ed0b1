#!/usr/bin/env bash
# dyadic verify --backends rtl on both bundled models at w8a8, w4a4 and (the full model) the
# ILP-mixed bits: every layer, pooling included, equals the reference on real images; none is
# skipped.
set -euo pipefail
dyadic=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {  # run <onnx> <bits> <label>
  "$dyadic" quantize "$repo/models/$1" --bits "$2" --calibration-images 64 --output "$work/$3.dyqm" >/dev/null
  "$dyadic" verify "$work/$3.dyqm" --backends rtl --image 7 --count 2 --json "$work/$3.json" >"$work/$3.txt" ||
    { cat "$work/$3.txt"; exit 1; }
  python3 - "$work/$3.json" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["passed"] and r["images"] == 2, r
equal = pools = 0
for layer in r["layers"]:
    res = layer["results"]["rtl"]
    assert res["outcome"] == "equal" and res["differing"] == 0 and res["compared"] > 0, layer
    equal += 1
    pools += "pool" in layer["op"]
assert equal >= 8 and pools >= 1, (sys.argv[2], equal, pools)
print(sys.argv[2] + ": " + str(equal) + " layers equal, " + str(pools) + " of them pooling")
PY
}
run fmnist_resnet_small.onnx w8a8 small-w8a8
run fmnist_resnet_small.onnx w4a4 small-w4a4
run fmnist_resnet.onnx w8a8 full-w8a8
run fmnist_resnet.onnx w4a4 full-w4a4
run fmnist_resnet.onnx "$repo/models/fmnist_resnet.mixed.json" full-mixed
echo "verify --backends rtl: ok"
