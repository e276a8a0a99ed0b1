#!/usr/bin/env python3
"""A small numpy executor for the ONNX ops of dyadic's bundled models, used to measure the FP32
accuracy of the exported .onnx files independently of PyTorch (onnx 1.12 has no reference runner
and onnxruntime is not a Debian package).

Supports Conv, BatchNormalization, Relu, Add, MaxPool, AveragePool, GlobalAveragePool, Flatten,
Gemm and Constant, with the attribute subsets the exporter emits (group 1, dilation 1, no
ceil_mode); anything else raises.

    /usr/bin/python3 scripts/onnx_numpy_eval.py models/fmnist_resnet.onnx
evaluates a model on the Fashion-MNIST test set with the input convention of models/README.md.
"""
import argparse
import gzip
import os
import sys

import numpy as np


def _attrs(node):
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pads_hw(attrs, rank=2):
    pads = list(attrs.get("pads", [0] * (2 * rank)))
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("auto_pad")
    return pads[0], pads[1], pads[2], pads[3]  # top, left, bottom, right


def _windows(x, kernel, strides, pads, pad_value):
    top, left, bottom, right = pads
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=pad_value)
    w = np.lib.stride_tricks.sliding_window_view(x, tuple(kernel), axis=(2, 3))
    return w[:, :, ::strides[0], ::strides[1]]  # [N, C, Ho, Wo, kh, kw]


def conv(x, w, b, attrs):
    if attrs.get("group", 1) != 1 or any(d != 1 for d in attrs.get("dilations", [1, 1])):
        raise NotImplementedError("grouped or dilated Conv")
    windows = _windows(x, w.shape[2:], attrs.get("strides", [1, 1]), _pads_hw(attrs), 0.0)
    y = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))  # [N, Ho, Wo, O]
    y = y.transpose(0, 3, 1, 2)
    if b is not None:
        y = y + b[None, :, None, None]
    return np.ascontiguousarray(y, dtype=np.float32)


def pool(x, attrs, kind):
    if attrs.get("ceil_mode", 0) != 0:
        raise NotImplementedError("ceil_mode")
    kernel = attrs["kernel_shape"]
    pads = _pads_hw(attrs)
    if kind == "max":
        return _windows(x, kernel, attrs.get("strides", [1, 1]), pads, -np.inf).max(axis=(4, 5))
    if attrs.get("count_include_pad", 0) == 0 and any(pads):
        raise NotImplementedError("AveragePool with padding excluded from the count")
    return _windows(x, kernel, attrs.get("strides", [1, 1]), pads, 0.0).mean(axis=(4, 5))


def run(model, x):
    """Runs the graph on input x (float32 NCHW); returns the first graph output."""
    from onnx import numpy_helper
    graph = model.graph
    values = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    values[graph.input[0].name] = x
    for node in graph.node:
        a = _attrs(node)
        i = [values[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Conv":
            out = conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "BatchNormalization":
            data, scale, bias, mean, var = i[:5]
            k = scale / np.sqrt(var + a.get("epsilon", 1e-5))
            out = (data - mean[None, :, None, None]) * k[None, :, None, None] + bias[None, :, None, None]
        elif op == "Relu":
            out = np.maximum(i[0], 0)
        elif op == "Add":
            out = i[0] + i[1]
        elif op == "MaxPool":
            out = pool(i[0], a, "max")
        elif op == "AveragePool":
            out = pool(i[0], a, "average")
        elif op == "GlobalAveragePool":
            out = i[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Flatten":
            axis = a.get("axis", 1)
            out = i[0].reshape(int(np.prod(i[0].shape[:axis])), -1)
        elif op == "Gemm":
            A = i[0].T if a.get("transA", 0) else i[0]
            B = i[1].T if a.get("transB", 0) else i[1]
            out = a.get("alpha", 1.0) * (A @ B)
            if len(i) > 2 and i[2] is not None:
                out = out + a.get("beta", 1.0) * i[2]
        elif op == "Constant":
            out = numpy_helper.to_array(a["value"])
        else:
            raise NotImplementedError(f"op {op}")
        values[node.output[0]] = np.asarray(out, dtype=np.float32)
    return values[graph.output[0].name]


def evaluate_file(onnx_path, x, labels, batch=250):
    """Top-1 accuracy of the ONNX file on (x, labels); also returns the set of op types."""
    import onnx
    model = onnx.load(onnx_path)
    correct = 0
    for start in range(0, len(x), batch):
        logits = run(model, x[start:start + batch])
        correct += int((logits.argmax(1) == labels[start:start + batch]).sum())
    return correct / len(x), sorted({n.op_type for n in model.graph.node})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("onnx")
    parser.add_argument("--data-dir", default=os.environ.get("DYADIC_FASHION_MNIST_DIR",
                                                             "/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N test images")
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from train_fashion_mnist import load_split, normalize
    images, labels = load_split(args.data_dir, "t10k")
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    top1, ops = evaluate_file(args.onnx, normalize(images), labels)
    print(f"{args.onnx}: ops {ops}; FP32 top-1 on {len(labels)} test images: {top1 * 100:.2f}%")


if __name__ == "__main__":
    main()
