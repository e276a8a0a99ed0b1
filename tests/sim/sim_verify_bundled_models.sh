#!/usr/bin/env bash
# Every layer of the bundled Fashion-MNIST models, quantized at w8a8, w4a4 and the ILP-mixed
# configuration, runs on the SystemC accelerator model and equals the reference executor (==):
# `dyadic sim --verify` exits non-zero at the first differing element.
set -euo pipefail
dyadic=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for model in fmnist_resnet_small fmnist_resnet; do
  for bits in w8a8 w4a4 "$repo/models/fmnist_resnet.mixed.json"; do
    if [ "$model" = fmnist_resnet_small ] && [ "${bits%.json}" != "$bits" ]; then continue; fi
    "$dyadic" quantize "$repo/models/$model.onnx" --bits "$bits" --calibration-images 64 --output "$work/m.dyqm" >/dev/null
    "$dyadic" sim "$work/m.dyqm" --verify --json "$work/report.json" >"$work/out.txt"
    grep -q "equal the reference" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
    echo "$model $(basename "$bits"): $(tail -n 1 "$work/out.txt")"
  done
done
