#!/usr/bin/env python3
"""The ONNX Runtime side of bench/cpu/README.md: int8 images/s on the bundled fmnist_resnet and
QLinearConv GMAC/s on the three layers of bench/reference, for comparison with dyadic's `cpu`
backend on the same machine. Needs PyPI onnxruntime, onnx, numpy and sympy (never used by the tests):

    python3 -m venv /tmp/ortvenv && /tmp/ortvenv/bin/pip install onnxruntime onnx numpy sympy
    /tmp/ortvenv/bin/python bench/cpu/ort_bench.py [--threads 1 2] [--repeat 3]

The model is pre-processed (quant_pre_process: shape inference and ORT's graph optimizations,
which fold BatchNormalization into the convolutions) and quantized statically (QDQ, per-channel
int8 weights, uint8 activations, MinMax calibration on the first 1000 training images), as ORT's
quantization guide tells its users to. Prints a table on stderr
and one JSON object on stdout; each number is the best of --repeat runs.
"""
import argparse
import gzip
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

MEAN, STD = 0.2860, 0.3530  # models/README.md


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def normalized(images):
    # The same float bits as dyadic::dataset::normalized_batch: double arithmetic, one rounding.
    return ((images.astype(np.float64) / 255.0 - MEAN) / STD).astype(np.float32)[:, None, :, :]


class Calibration(CalibrationDataReader):
    def __init__(self, images, batch=100):
        self.batches = [normalized(images[i:i + batch]) for i in range(0, len(images), batch)]

    def get_next(self):
        return {"input": self.batches.pop(0)} if self.batches else None


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def best_of(repeat, run):
    """Best wall seconds and best process CPU seconds (all threads) of `repeat` runs."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)
    return best, best_cpu


def fmnist(args, results):
    test_x = normalized(read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))[:args.count])
    test_y = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))[:args.count]
    train_x = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))[:1000]
    with tempfile.TemporaryDirectory() as tmp:
        quantized = os.path.join(tmp, "fmnist_resnet.qdq.onnx")
        prepared = os.path.join(tmp, "fmnist_resnet.prepared.onnx")
        quant_pre_process(args.model, prepared)
        quantize_static(prepared, quantized, Calibration(train_x), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        models = (("ort int8 qdq", quantized),) if args.int8_only else (("ort int8 qdq", quantized), ("ort fp32", args.model))
        for name, path in models:
            for threads in args.threads:
                sess = session(path, threads)
                predictions = []

                def run():
                    predictions.clear()
                    for i in range(0, len(test_x), args.batch):
                        logits = sess.run(None, {"input": test_x[i:i + args.batch]})[0]
                        predictions.append(np.argmax(logits, axis=1))

                seconds, cpu_seconds = best_of(args.repeat, run)
                top1 = float(np.mean(np.concatenate(predictions) == test_y))
                results.append({"benchmark": "fmnist_resnet", "backend": name, "threads": threads,
                                "images": len(test_x), "seconds": seconds, "images_per_s": len(test_x) / seconds,
                                "cpu_seconds": cpu_seconds, "images_per_cpu_s": len(test_x) / cpu_seconds,
                                "top1": top1})


def qlinear_conv_model(c_in, c_out, size, stride, groups):
    rng = np.random.default_rng(2021)
    weight = rng.integers(-128, 128, size=(c_out, c_in // groups, 3, 3), dtype=np.int8)
    inits = [
        helper.make_tensor("x_scale", TensorProto.FLOAT, [], [0.02]),
        helper.make_tensor("x_zero", TensorProto.UINT8, [], [0]),
        helper.make_tensor("w", TensorProto.INT8, weight.shape, weight.tobytes(), raw=True),
        helper.make_tensor("w_scale", TensorProto.FLOAT, [c_out], list(rng.uniform(0.001, 0.01, c_out))),
        helper.make_tensor("w_zero", TensorProto.INT8, [c_out], [0] * c_out),
        helper.make_tensor("y_scale", TensorProto.FLOAT, [], [0.05]),
        helper.make_tensor("y_zero", TensorProto.UINT8, [], [0]),
        helper.make_tensor("bias", TensorProto.INT32, [c_out], list(rng.integers(-1000, 1000, c_out))),
    ]
    node = helper.make_node("QLinearConv", ["x", "x_scale", "x_zero", "w", "w_scale", "w_zero", "y_scale", "y_zero", "bias"],
                            ["y"], pads=[1, 1, 1, 1], strides=[stride, stride], group=groups, kernel_shape=[3, 3])
    out = (size + 2 - 3) // stride + 1
    graph = helper.make_graph([node], "conv", [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, c_in, size, size])],
                              [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, c_out, out, out])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    macs = out * out * c_out * (c_in // groups) * 9
    return model, macs


def conv_layers(args, results):
    layers = [("resnet50_conv2_3x3", 64, 64, 56, 1, 1), ("resnet50_conv3_3x3_stride2", 128, 128, 56, 2, 1),
              ("mobilenetv2_depthwise_3x3", 144, 144, 56, 1, 144)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, c_in, c_out, size, stride, groups in layers:
            model, macs = qlinear_conv_model(c_in, c_out, size, stride, groups)
            path = os.path.join(tmp, name + ".onnx")
            onnx.save(model, path)
            x = np.random.default_rng(7).integers(0, 256, size=(1, c_in, size, size), dtype=np.uint8)
            for threads in args.threads:
                sess = session(path, threads)
                sess.run(None, {"x": x})
                runs = max(3, int(0.5 / max(1e-6, best_of(1, lambda: sess.run(None, {"x": x}))[0])))
                seconds, cpu_seconds = best_of(runs, lambda: sess.run(None, {"x": x}))
                results.append({"benchmark": "conv_layer", "layer": name, "backend": "ort qlinearconv",
                                "threads": threads, "macs": macs, "seconds": seconds, "gmac_per_s": macs / seconds / 1e9,
                                "cpu_seconds": cpu_seconds, "gmac_per_cpu_s": macs / cpu_seconds / 1e9})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="models/fmnist_resnet.onnx")
    parser.add_argument("--data", default=os.environ.get("DYADIC_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--int8-only", action="store_true",
                        help="only fmnist_resnet int8 (for alternating runs with bench_cpu_model)")
    args = parser.parse_args()
    results = []
    fmnist(args, results)
    if not args.int8_only:
        conv_layers(args, results)
    for r in results:
        if r["benchmark"] == "fmnist_resnet":
            print(f"fmnist_resnet  {r['backend']:<14} {r['threads']} thr  {r['images_per_s']:9.0f} images/s  "
                  f"{r['images_per_cpu_s']:9.0f} images/cpu-s  top-1 {100 * r['top1']:.2f}%", file=sys.stderr)
        else:
            print(f"{r['layer']:<28} {r['backend']} {r['threads']} thr  {r['gmac_per_s']:8.2f} GMAC/s  "
                  f"{r['gmac_per_cpu_s']:8.2f} GMAC/cpu-s", file=sys.stderr)
    print(json.dumps({"onnxruntime": ort.__version__, "results": results}, indent=1))


if __name__ == "__main__":
    main()
