#!/usr/bin/env python3
"""Packs a golden directory (docs/golden.md) into the input form of the golden_dir fuzz target
(tests/fuzz/targets/fuzz_golden_dir.cpp): the manifest, then "\\n#file <path>\\n" and the bytes of
every .npy file the kept layers name. The $readmemh images are left out (the reader does not read
them), and the manifest is written compactly, so seeds stay small.

    tests/fuzz/pack_golden_dir.py DIR OUT            every layer
    tests/fuzz/pack_golden_dir.py DIR OUT --layer 3  layer 3 alone (a one-layer manifest)
    tests/fuzz/pack_golden_dir.py DIR OUT --layer 9 --layer 10   layers 9 and 10
"""
import argparse
import json
import pathlib

MARKER = b"\n#file "


def npy_files(entry):
    """The .npy paths a tensor entry or a list of them names."""
    if isinstance(entry, list):
        return [path for item in entry for path in npy_files(item)]
    return [entry["file"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--layer", type=int, action="append", help="keep only these layers of the manifest")
    args = parser.parse_args()

    manifest = json.loads((args.directory / "manifest.json").read_text())
    if args.layer:
        manifest["layers"] = [manifest["layers"][i] for i in args.layer]
        manifest["outputs"] = []
    files = []
    for layer in manifest["layers"]:
        files += npy_files(layer["inputs"]) + npy_files(layer["output"])
        files += npy_files(list(layer["parameters"].values()))
    archive = json.dumps(manifest, separators=(",", ":"), sort_keys=True).encode()
    for path in dict.fromkeys(files):  # each file once, in order
        data = (args.directory / path).read_bytes()
        if MARKER in data:
            raise SystemExit(f"{path}: holds the archive's file marker; cannot be packed")
        archive += MARKER + path.encode() + b"\n" + data
    args.out.write_bytes(archive)


if __name__ == "__main__":
    main()
