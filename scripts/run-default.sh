#!/usr/bin/env bash
# The main job on the bundled default model: quantize models/fmnist_resnet.onnx at INT8 (w8a8),
# W4A4 and the mixed 4/8 configuration chosen by the ILP (models/fmnist_resnet.mixed.json), evaluate
# each integer-only on the 10k Fashion-MNIST test images with the fast CPU backend (bit-exact with the
# reference executor; --backend ref uses the reference itself), and print
# FP32 / fake-quant / integer top-1, weight size, BOPS and integer-vs-fake-quant agreement.
# Extra arguments go to `dyadic compare` (e.g. --count 1000, --json results.json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
exec build/cli/dyadic compare models/fmnist_resnet.onnx \
  --bits w8a8 --bits w4a4 --bits models/fmnist_resnet.mixed.json "$@"
