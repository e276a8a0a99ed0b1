#!/usr/bin/env bash
# Installs every Debian package dyadic needs to build, test and run its main job.
# Idempotent and quiet: packages already present are skipped, so a second run costs seconds.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libsystemc-dev verilator
  liblpsolve55-dev libcolamd2
  libboost-graph-dev
  catch2
  libonnx-dev libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev
  libeigen3-dev
  zlib1g-dev
  libjpeg62-turbo-dev libpng-dev
  dataset-fashion-mnist libonnx-testdata
  python3-numpy
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
