#!/usr/bin/python3
"""Writes ResNet18 (torchvision layout, v1.5: stride on the 3x3 conv) at ImageNet shapes as a float
ONNX file with synthetic, seeded weights, for design-space sweeps on ResNet18 shapes
(bench/explore/README.md). No dataset and no trained weights are involved: the file gives the
layer shapes of a real network, and its weights only make the sensitivities well defined.

    apt-get install -y python3-onnx python3-numpy
    /usr/bin/python3 bench/explore/resnet18_onnx.py --out resnet18.onnx [--seed 18]

Input "input" float32 [N, 3, 224, 224], output "logits" [N, 1000]. Conv (no bias), BatchNormalization
(kept, not folded), Relu, Add, MaxPool, GlobalAveragePool, Flatten, Gemm; opset 13. Node names follow
torchvision ("layer2.0.conv1", "layer2.0.downsample.0", "fc").

Weights: He-normal convolutions (std sqrt(2 / fan_in)); BatchNormalization with running mean 0 and
variance 1, gamma U(0.8, 1.2) (0.5x that on each block's second BN, so that the residual sums grow
slowly) and beta N(0, 0.05); the fully connected layer N(0, 0.2 / sqrt(512)), so that the logits are
of order 1 (standard deviation about 1.5 on a standard-normal image): the softmax is neither uniform
nor saturated (a saturated one has a zero Hessian).
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.initializers = [], []

    def tensor(self, name, array):
        self.initializers.append(numpy_helper.from_array(array.astype(np.float32), name))
        return name

    def conv(self, x, name, c_in, c_out, kernel, stride, pad):
        fan_in = c_in * kernel * kernel
        w = self.rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(c_out, c_in, kernel, kernel))
        self.nodes.append(helper.make_node("Conv", [x, self.tensor(name + ".weight", w)], [name], name=name,
                                           kernel_shape=[kernel, kernel], strides=[stride, stride],
                                           pads=[pad] * 4))
        return name

    def bn(self, x, name, channels, gamma_scale=1.0):
        gamma = self.rng.uniform(0.8, 1.2, size=channels) * gamma_scale
        beta = self.rng.normal(0.0, 0.05, size=channels)
        inputs = [x, self.tensor(name + ".weight", gamma), self.tensor(name + ".bias", beta),
                  self.tensor(name + ".running_mean", np.zeros(channels)),
                  self.tensor(name + ".running_var", np.ones(channels))]
        self.nodes.append(helper.make_node("BatchNormalization", inputs, [name], name=name, epsilon=1e-5))
        return name

    def op(self, kind, inputs, name, **attributes):
        self.nodes.append(helper.make_node(kind, inputs, [name], name=name, **attributes))
        return name

    def basic_block(self, x, name, c_in, c_out, stride):
        y = self.op("Relu", [self.bn(self.conv(x, name + ".conv1", c_in, c_out, 3, stride, 1), name + ".bn1", c_out)],
                    name + ".relu1")
        y = self.bn(self.conv(y, name + ".conv2", c_out, c_out, 3, 1, 1), name + ".bn2", c_out, gamma_scale=0.5)
        shortcut = x
        if stride != 1 or c_in != c_out:
            shortcut = self.bn(self.conv(x, name + ".downsample.0", c_in, c_out, 1, stride, 0),
                               name + ".downsample.1", c_out)
        return self.op("Relu", [self.op("Add", [y, shortcut], name + ".add")], name + ".relu2")


def resnet18(seed):
    b = Builder(seed)
    x = b.op("Relu", [b.bn(b.conv("input", "conv1", 3, 64, 7, 2, 3), "bn1", 64)], "relu")
    x = b.op("MaxPool", [x], "maxpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    channels = 64
    for stage, width in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            stride = 2 if stage > 1 and block == 0 else 1
            x = b.basic_block(x, f"layer{stage}.{block}", channels, width, stride)
            channels = width
    x = b.op("Flatten", [b.op("GlobalAveragePool", [x], "avgpool")], "flatten", axis=1)
    fc_w = b.rng.normal(0.0, 0.2 / np.sqrt(512), size=(1000, 512))
    b.nodes.append(helper.make_node("Gemm", [x, b.tensor("fc.weight", fc_w), b.tensor("fc.bias", np.zeros(1000))],
                                    ["logits"], name="fc", transB=1))
    graph = helper.make_graph(b.nodes, "resnet18_synthetic",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 224, 224])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000])],
                              b.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="dyadic")
    onnx.checker.check_model(model)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    onnx.save(resnet18(args.seed), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
