#!/usr/bin/env python3
"""Checks golden directories (docs/golden.md) from their files alone, with NumPy.

Independent of dyadic's code: every formula below is written from docs/semantics.md.
  * every .npy loads with the dtype and shape the manifest states, values inside the type range;
  * input.npy is input_float.npy quantized (round half to even, clamp) with the input's scale;
  * every $readmemh image (and packed image) reads back equal to its .npy;
  * every conv2d (padding, stride, dilation, groups, bias, per-channel dyadic requantization with
    round half up, clamp; a fused residual add too), fully_connected, residual_add, requantize,
    global_average_pool, max_pool2d, average_pool2d, concat, flatten and reshape layer (all of
    them: an op without a recomputation is a failure) is recomputed in int64 and must equal the
    golden output exactly;
  * with --run-json, `dyadic run --input <the golden input> --json` must report the golden logits.
Exit status 0 only when everything is equal.
"""
import argparse
import json
import os
import sys

import numpy as np


def type_range(bits, signed):
    """docs/semantics.md section 1."""
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


def parse_type(name):
    signed = not name.startswith("u")
    bits = int(name[3:] if signed else name[4:])
    return bits, signed


class Checker:
    def __init__(self, root):
        self.root = root
        with open(os.path.join(root, "manifest.json")) as f:
            self.manifest = json.load(f)
        self.files_checked = 0
        self.hex_checked = 0

    def load(self, entry):
        """The array an entry names, checked against the entry (dtype, shape, range)."""
        array = np.load(os.path.join(self.root, entry["file"]), allow_pickle=False)
        assert str(array.dtype) == entry["dtype"], (entry["file"], array.dtype, entry["dtype"])
        assert list(array.shape) == entry["shape"], (entry["file"], array.shape, entry["shape"])
        assert array.flags["C_CONTIGUOUS"]
        bits, signed = parse_type(entry["type"])
        assert (bits, signed) == (entry["bits"], entry["signed"]), entry
        lo, hi = type_range(bits, signed)
        assert (entry["min"], entry["max"]) == (lo, hi), entry
        if array.size:
            assert lo <= int(array.min()) and int(array.max()) <= hi, (entry["file"], "value outside", entry["type"])
        self.files_checked += 1
        self.check_hex(entry, array, bits, signed)
        return array.astype(np.int64)

    def check_hex(self, entry, array, bits, signed):
        """docs/golden.md: one element per line, ceil(bits/4) hex digits, two's complement at `bits`;
        packed: little-endian 32-bit words of the nibble stream, element 8k+j in bits 4j+3..4j of word k."""
        flat = [int(v) for v in array.reshape(-1)]
        with open(os.path.join(self.root, entry["hex"])) as f:
            lines = f.read().split("\n")
        assert lines[-1] == "", entry["hex"] + ": last line has no newline"
        lines = lines[:-1]
        digits = (bits + 3) // 4
        values = []
        for line in lines:
            assert len(line) == digits, (entry["hex"], line)
            raw = int(line, 16)
            assert raw < (1 << bits)
            values.append(raw - (1 << bits) if signed and raw >= (1 << (bits - 1)) else raw)
        assert values == flat, entry["hex"] + " differs from " + entry["file"]
        self.hex_checked += 1
        if bits <= 4:
            assert "packed_hex" in entry, entry["file"] + ": no packed image for a <= 4-bit type"
            with open(os.path.join(self.root, entry["packed_hex"])) as f:
                words = [int(w, 16) for w in f.read().split()]
            assert len(words) == (len(flat) + 7) // 8
            nibbles = [(w >> (4 * j)) & 0xF for w in words for j in range(8)]
            unpacked = [n - 16 if signed and n >= 8 else n for n in nibbles[: len(flat)]]
            assert unpacked == flat, entry["packed_hex"] + " differs from " + entry["file"]
            assert all(n == 0 for n in nibbles[len(flat):]), entry["packed_hex"] + ": padding nibbles not 0"
            self.hex_checked += 1
        else:
            assert "packed_hex" not in entry


TIES = {"positive": 0, "negative": 0}


def dyadic_scale(v, b, c):
    """docs/semantics.md section 5: (v*b + R) >> c, R = 2^(c-1) (0 for c = 0), in int64.
    Counts exact ties (v*b/2^c exactly halfway between two integers), which round toward +infinity."""
    assert ((b >= 1 << 30) & (b < 1 << 31)).all() and ((c >= 0) & (c <= 62)).all()
    v, b, c = np.broadcast_arrays(np.asarray(v, dtype=np.int64), np.asarray(b, dtype=np.int64), np.asarray(c, dtype=np.int64))
    half = np.where(c >= 1, np.left_shift(np.int64(1), np.maximum(c - 1, 0)), 0)
    product = v * b
    tie = (c >= 1) & ((product & (np.left_shift(np.int64(1), c) - 1)) == half)
    TIES["positive"] += int((tie & (product > 0)).sum())
    TIES["negative"] += int((tie & (product < 0)).sum())
    return np.right_shift(product + half, c)


def per_channel(vector, rank):
    """A [1] or [C] vector broadcast over axis 1 of a rank-`rank` tensor."""
    return vector.reshape((1, -1) + (1,) * (rank - 2))


def clamp_bounds(attributes):
    bits, signed = parse_type(attributes["output_type"])
    lo, hi = type_range(bits, signed)
    if attributes.get("relu", False):
        lo = max(lo, 0)
    assert attributes["clamp"] == [lo, hi], attributes
    return lo, hi


def conv2d_accumulate(x, w, bias, attributes):
    """docs/semantics.md section 7.1: exact sums over the zero-padded input."""
    sh, sw = attributes["stride"]
    pt, pl, pb, pr = attributes["padding"]
    dh, dw = attributes["dilation"]
    groups = attributes["groups"]
    n, c_in, h, w_in = x.shape
    c_out, c_group, kh, kw = w.shape
    assert c_group * groups == c_in and c_out % groups == 0
    assert [kh, kw] == attributes["kernel"]
    xp = np.zeros((n, c_in, h + pt + pb, w_in + pl + pr), dtype=np.int64)
    xp[:, :, pt:pt + h, pl:pl + w_in] = x
    oh = (h + pt + pb - ((kh - 1) * dh + 1)) // sh + 1
    ow = (w_in + pl + pr - ((kw - 1) * dw + 1)) // sw + 1
    acc = np.zeros((n, c_out, oh, ow), dtype=np.int64)
    acc += per_channel(bias, 4)
    o_group = c_out // groups
    for g in range(groups):
        xs = xp[:, g * c_group:(g + 1) * c_group]
        ws = w[g * o_group:(g + 1) * o_group]
        for ky in range(kh):
            for kx in range(kw):
                rows = slice(ky * dh, ky * dh + (oh - 1) * sh + 1, sh)
                cols = slice(kx * dw, kx * dw + (ow - 1) * sw + 1, sw)
                acc[:, g * o_group:(g + 1) * o_group] += np.einsum("nchw,oc->nohw", xs[:, :, rows, cols], ws[:, :, ky, kx])
    assert (acc >= -(1 << 31)).all() and (acc < (1 << 31)).all(), "accumulator leaves int32"
    return acc


def residual(main, identity, params, attributes):
    """docs/semantics.md section 8: each term rounded separately, then summed and clamped."""
    lo, hi = clamp_bounds(attributes)
    rank = main.ndim
    main_term = dyadic_scale(main, per_channel(params["main_multipliers"], rank), per_channel(params["main_shifts"], rank))
    identity_term = dyadic_scale(identity, params["identity_multipliers"][0], params["identity_shifts"][0])
    return np.clip(main_term + identity_term, lo, hi)


def recompute(layer, inputs, params):
    op, attributes = layer["op"], layer["attributes"]
    bias_of = lambda channels: params["bias"] if attributes["has_bias"] else np.zeros(channels, dtype=np.int64)
    if op == "conv2d":
        acc = conv2d_accumulate(inputs[0], params["weight"], bias_of(params["weight"].shape[0]), attributes)
        if attributes["fused_residual"]:
            return residual(acc, inputs[1], params, attributes)
        lo, hi = clamp_bounds(attributes)
        return np.clip(dyadic_scale(acc, per_channel(params["multipliers"], 4), per_channel(params["shifts"], 4)), lo, hi)
    if op == "fully_connected":
        w = params["weight"]
        acc = inputs[0] @ w.T + bias_of(w.shape[0])[None, :]
        lo, hi = clamp_bounds(attributes)
        return np.clip(dyadic_scale(acc, per_channel(params["multipliers"], 2), per_channel(params["shifts"], 2)), lo, hi)
    if op == "residual_add":
        return residual(inputs[0], inputs[1], params, attributes)
    if op == "requantize":  # section 9.5 with one input
        lo, hi = clamp_bounds(attributes)
        return np.clip(dyadic_scale(inputs[0], params["multipliers"][0], params["shifts"][0]), lo, hi)
    if op == "global_average_pool":  # section 9.4: one multiplier folds 1/(H*W)
        lo, hi = clamp_bounds(attributes)
        sums = inputs[0].sum(axis=(2, 3), keepdims=True)
        return np.clip(dyadic_scale(sums, params["multipliers"][0], params["shifts"][0]), lo, hi)
    if op == "max_pool2d":  # sections 9.1 and 9.2: padded positions never win
        kh, kw = attributes["kernel"]
        sh, sw = attributes["stride"]
        pt, pl, pb, pr = attributes["padding"]
        x = inputs[0]
        n, c, h, w = x.shape
        xp = np.full((n, c, h + pt + pb, w + pl + pr), np.iinfo(np.int64).min, dtype=np.int64)
        xp[:, :, pt:pt + h, pl:pl + w] = x
        oh, ow = (h + pt + pb - kh) // sh + 1, (w + pl + pr - kw) // sw + 1
        windows = [xp[:, :, ky:ky + (oh - 1) * sh + 1:sh, kx:kx + (ow - 1) * sw + 1:sw] for ky in range(kh) for kx in range(kw)]
        return np.max(np.stack(windows), axis=0)
    if op == "average_pool2d":  # sections 9.1 and 9.3: one multiplier per window count k
        lo, hi = clamp_bounds(attributes)
        kh, kw = attributes["kernel"]
        sh, sw = attributes["stride"]
        pt, pl, pb, pr = attributes["padding"]
        x = inputs[0]
        n, c, h, w = x.shape
        xp = np.zeros((n, c, h + pt + pb, w + pl + pr), dtype=np.int64)
        xp[:, :, pt:pt + h, pl:pl + w] = x
        inside = np.zeros((1, 1) + xp.shape[2:], dtype=np.int64)
        inside[:, :, pt:pt + h, pl:pl + w] = 1
        oh, ow = (h + pt + pb - kh) // sh + 1, (w + pl + pr - kw) // sw + 1
        window = lambda t, ky, kx: t[:, :, ky:ky + (oh - 1) * sh + 1:sh, kx:kx + (ow - 1) * sw + 1:sw]
        sums = sum(window(xp, ky, kx) for ky in range(kh) for kx in range(kw))
        counts = sum(window(inside, ky, kx) for ky in range(kh) for kx in range(kw))
        k = np.full_like(counts, kh * kw) if attributes["count_include_pad"] else counts
        assert (k >= 1).all()
        k = np.broadcast_to(k, sums.shape)
        return np.clip(dyadic_scale(sums, params["multipliers"][k - 1], params["shifts"][k - 1]), lo, hi)
    if op == "concat":  # section 9.5: each input rescaled by its own multiplier, along channels
        lo, hi = clamp_bounds(attributes)
        assert attributes["axis"] == 1
        parts = [np.clip(dyadic_scale(x, params["multipliers"][i], params["shifts"][i]), lo, hi) for i, x in enumerate(inputs)]
        return np.concatenate(parts, axis=1)
    if op == "flatten":  # section 9.7: the same row-major data
        return inputs[0].reshape(inputs[0].shape[0], -1)
    if op == "reshape":
        return inputs[0].reshape([inputs[0].shape[0]] + attributes["shape"])
    raise AssertionError("no NumPy recomputation for op " + op)


def check_directory(root, run_json, counts, coverage):
    checker = Checker(root)
    manifest = checker.manifest
    assert manifest["format"] == "dyadic-golden" and manifest["version"] == 1
    if "input" in manifest:
        quantized_input = checker.load(manifest["input"])
    if "input_float" in manifest:
        # docs/semantics.md section 9.6: q = clamp(round_half_even(double(x) / double(s)), lo, hi).
        entry = manifest["input_float"]
        x = np.load(os.path.join(root, entry["file"]), allow_pickle=False)
        assert x.dtype == np.float32 and list(x.shape) == entry["shape"] == manifest["input"]["shape"]
        lo, hi = type_range(manifest["input"]["bits"], manifest["input"]["signed"])
        q = np.clip(np.rint(x.astype(np.float64) / np.float64(manifest["input"]["scale"])), lo, hi).astype(np.int64)
        assert np.array_equal(q, quantized_input), "input.npy is not input_float.npy quantized"
    for layer in manifest["layers"]:
        inputs = [checker.load(e) for e in layer["inputs"]]
        output = checker.load(layer["output"])
        params = {role: checker.load(e) for role, e in layer["parameters"].items()}
        expected = recompute(layer, inputs, params)
        if expected.shape != output.shape or not np.array_equal(expected, output):
            if expected.shape != output.shape:
                print(f"{root}: layer {layer['name']}: NumPy shape {list(expected.shape)}, golden {list(output.shape)}")
                return False
            first = tuple(int(i) for i in np.argwhere(expected != output)[0])
            print(f"{root}: layer {layer['name']}: first mismatch at {list(first)}: NumPy {expected[first]}, golden {output[first]}")
            return False
        attributes = layer["attributes"]
        kind = "conv2d+residual_add" if layer["op"] == "conv2d" and attributes["fused_residual"] else layer["op"]
        counts[kind] = counts.get(kind, 0) + 1
        if layer["op"] == "conv2d" and max(attributes["padding"]) > 0 and max(attributes["stride"]) > 1:
            coverage.add("padded strided conv2d")
        if kind in ("residual_add", "conv2d+residual_add"):
            coverage.add("residual add")

    if run_json:
        with open(run_json) as f:
            run = json.load(f)
        out = manifest["outputs"][0]
        logits = checker.load(manifest["layers"][out["layer"]]["output"])
        reported = np.array([r["logits"] for r in run["results"]], dtype=np.int64)
        assert np.array_equal(reported, logits.reshape(reported.shape)), "dyadic run --input logits differ from golden"
        for r in run["results"]:
            assert r["predicted"] == int(np.argmax(logits.reshape(reported.shape)[r["index"]]))
    counts["files"] = counts.get("files", 0) + checker.files_checked
    counts["hex"] = counts.get("hex", 0) + checker.hex_checked
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("golden", nargs="+", help="golden directories")
    parser.add_argument("--run-json", help="output of `dyadic run --input <the first directory's input> --json`")
    parser.add_argument("--require-ties", action="store_true",
                        help="fail unless exact rounding ties, positive and negative, were recomputed")
    args = parser.parse_args()

    counts, coverage = {}, set()
    for i, root in enumerate(args.golden):
        if not check_directory(root, args.run_json if i == 0 else None, counts, coverage):
            return 1
    # Every layer of every directory was recomputed; these two must be among them.
    assert coverage == {"padded strided conv2d", "residual add"}, "not recomputed: " + str(coverage)
    if args.require_ties:
        assert TIES["positive"] > 0 and TIES["negative"] > 0, "no exact rounding ties of both signs: " + str(TIES)
    files, hex_images = counts.pop("files"), counts.pop("hex")
    print(f"golden: {len(args.golden)} directories, {files} .npy files and {hex_images} hex images consistent; "
          + ", ".join(f"{n} {op}" for op, n in sorted(counts.items())) + " layers recomputed with NumPy == golden; "
          + f"{TIES['positive']} positive and {TIES['negative']} negative exact rounding ties")
    return 0


if __name__ == "__main__":
    sys.exit(main())
