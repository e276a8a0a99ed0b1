#!/usr/bin/env bash
# The cpu backend end to end on the bundled small model: verify --backends ref,cpu passes on real
# images and on random inputs over the whole input range; eval and run print the same numbers on
# cpu (the default) and on --backend ref, each naming its backend; unknown or impossible choices
# fail with a message.
set -euo pipefail
dyadic=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for bits in w4a4 w8a8; do
  "$dyadic" quantize "$repo/models/fmnist_resnet_small.onnx" --bits $bits --calibration-images 64 --output "$work/$bits.dyqm" >/dev/null
  "$dyadic" verify "$work/$bits.dyqm" --backends ref,cpu --image 0 --count 64 --require-all >"$work/verify.txt" ||
    { cat "$work/verify.txt"; exit 1; }
  "$dyadic" verify "$work/$bits.dyqm" --backends cpu --random 64 --chained --require-all >"$work/verify.txt" ||
    { cat "$work/verify.txt"; exit 1; }
  "$dyadic" eval "$work/$bits.dyqm" --count 300 --threads 2 >"$work/cpu.txt"
  "$dyadic" eval "$work/$bits.dyqm" --count 300 --backend ref >"$work/ref.txt"
  grep -q "backend cpu (" "$work/cpu.txt" || { cat "$work/cpu.txt"; exit 1; }
  grep -q "backend ref" "$work/ref.txt" || { cat "$work/ref.txt"; exit 1; }
  diff <(grep "top-1" "$work/cpu.txt") <(grep "top-1" "$work/ref.txt")
  diff <("$dyadic" run "$work/$bits.dyqm" --count 5 --cpu-path scalar | tail -n +2) \
       <("$dyadic" run "$work/$bits.dyqm" --count 5 --backend ref | tail -n +2)
done
if "$dyadic" eval "$work/w4a4.dyqm" --count 10 --cpu-path sse9 >/dev/null 2>&1; then
  echo "an unknown cpu path was accepted"; exit 1
fi
if "$dyadic" eval "$work/w4a4.dyqm" --count 10 --backend gpu >/dev/null 2>&1; then
  echo "an unavailable backend was accepted"; exit 1
fi
echo "cpu CLI: ok"
