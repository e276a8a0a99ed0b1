#!/usr/bin/env python3
"""Trains dyadic's bundled FP32 Fashion-MNIST models and exports them to ONNX.

Two small residual CNNs (Conv, BatchNormalization, Relu, Add, MaxPool, GlobalAveragePool,
Flatten, Gemm) that exercise every op of the integer pipeline, including one downsampling
residual unit whose shortcut is a strided 1x1 convolution.

Input convention (also written to models/<name>.json and models/README.md):
    x = (pixel / 255 - 0.2860) / 0.3530, float32, NCHW [N, 1, 28, 28].
The normalization stays outside the model: folding it into the first convolution is not exact
at the zero-padded border.

Runs on the CPU with Debian's python3-torch and python3-onnx (use /usr/bin/python3):
    /usr/bin/python3 scripts/train_fashion_mnist.py --model small
    /usr/bin/python3 scripts/train_fashion_mnist.py --model resnet
Writes models/<name>.onnx and models/<name>.json, then checks the ONNX file with an independent
numpy forward pass (scripts/onnx_numpy_eval.py) on the whole test set.
"""
import argparse
import gzip
import json
import math
import os
import random
import sys
import time

# Passive OpenMP waiting: the training machine is shared, and spinning worker threads slow down
# by an order of magnitude when another process holds a core. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_numpy_eval  # noqa: E402  (sibling script)

INPUT_MEAN = 0.2860
INPUT_STD = 0.3530
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# stem: channels at 28x28 and 14x14; wide: channels at 7x7; blocks_after: extra 7x7 units.
CONFIGS = {
    "small": dict(file="fmnist_resnet_small", stem=16, wide=32, blocks_after=0, epochs=8, lr=0.1),
    "resnet": dict(file="fmnist_resnet", stem=24, wide=64, blocks_after=1, epochs=15, lr=0.1),
}


# ---------------------------------------------------------------------------------------------- data
def read_idx(path, rank):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic != 0x800 | rank:
        raise ValueError(f"{path}: bad IDX magic {magic:#010x}")
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {np.prod(dims)} bytes, found {data.size}")
    return data.reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"), 3)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), 1)
    if len(images) != len(labels):
        raise ValueError(f"{prefix}: {len(images)} images but {len(labels)} labels")
    return images, labels


def normalize(images_u8):
    """uint8 [N,28,28] -> float32 [N,1,28,28], the documented input convention."""
    x = images_u8.astype(np.float64) / 255.0
    return ((x - INPUT_MEAN) / INPUT_STD).astype(np.float32)[:, None, :, :]


def augment(batch, generator, pad=2):
    """Random crop after zero-pixel padding (the normalized value of pixel 0) and horizontal flip."""
    n, _, h, w = batch.shape
    background = (0.0 - INPUT_MEAN) / INPUT_STD
    padded = F.pad(batch, (pad, pad, pad, pad), value=background)
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    rows = (dy[:, None] + torch.arange(h)[None, :])  # [n, h]
    cols = (dx[:, None] + torch.arange(w)[None, :])  # [n, w]
    flip = torch.rand(n, generator=generator) < 0.5
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    index_n = torch.arange(n)[:, None, None]
    out = padded[index_n, 0, rows[:, :, None], cols[:, None, :]]
    return out[:, None, :, :].contiguous()


# --------------------------------------------------------------------------------------------- model
class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN, plus shortcut, then ReLU. Downsampling units use a strided
    1x1 conv + BN on the shortcut."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        s = x if self.shortcut is None else self.shortcut(x)
        return F.relu(y + s)


class FashionResNet(nn.Module):
    """stem conv3x3 (28x28) -> maxpool 2 (14x14) -> block -> downsampling block (7x7)
    -> blocks_after blocks -> global average pool -> Gemm."""

    def __init__(self, stem, wide, blocks_after):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU())
        self.pool = nn.MaxPool2d(2, 2)
        blocks = [BasicBlock(stem, stem, 1), BasicBlock(stem, wide, 2)]
        blocks += [BasicBlock(wide, wide, 1) for _ in range(blocks_after)]
        self.blocks = nn.Sequential(*blocks)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(wide, len(CLASSES))

    def forward(self, x):
        x = self.pool(self.stem(x))
        x = self.blocks(x)
        return self.fc(torch.flatten(self.gap(x), 1))


def count_macs(model):
    """Multiply-accumulates per image of the Conv and Gemm layers (a 1x28x28 forward pass)."""
    total = [0]

    def conv_hook(module, _inputs, output):
        k = module.kernel_size[0] * module.kernel_size[1]
        total[0] += output.numel() * k * module.in_channels // module.groups

    def linear_hook(module, _inputs, output):
        total[0] += output.numel() * module.in_features

    handles = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))
    model.train(was_training)
    for h in handles:
        h.remove()
    return total[0]


# ------------------------------------------------------------------------------------------ training
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def train(cfg, args):
    seed_everything(args.seed)
    train_images, train_labels = load_split(args.data_dir, "train")
    if args.train_limit:  # smoke tests of the pipeline only
        train_images, train_labels = train_images[:args.train_limit], train_labels[:args.train_limit]
    test_images, test_labels = load_split(args.data_dir, "t10k")
    x_train = torch.from_numpy(normalize(train_images))
    y_train = torch.from_numpy(train_labels.astype(np.int64))
    x_test = torch.from_numpy(normalize(test_images))
    y_test = torch.from_numpy(test_labels.astype(np.int64))

    model = FashionResNet(cfg["stem"], cfg["wide"], cfg["blocks_after"])
    params = sum(p.numel() for p in model.parameters())
    macs = count_macs(model)
    print(f"{cfg['file']}: {params} parameters, {macs} MACs per image", flush=True)

    epochs = args.epochs or cfg["epochs"]
    steps_per_epoch = math.ceil(len(x_train) / args.batch)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim == 1 else decay).append(p)  # no weight decay on BN and biases
    optimizer = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}],
                                lr=cfg["lr"], momentum=0.9, nesterov=True)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg["lr"], epochs=epochs,
                                                    steps_per_epoch=steps_per_epoch, pct_start=0.25)
    generator = torch.Generator().manual_seed(args.seed)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        total_loss = 0.0
        for step in range(steps_per_epoch):
            index = order[step * args.batch:(step + 1) * args.batch]
            xb = x_train[index]
            if not args.no_augment:
                xb = augment(xb, generator)
            loss = F.cross_entropy(model(xb), y_train[index], label_smoothing=0.1)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total_loss += loss.item()
        accuracy = evaluate(model, x_test, y_test)
        print(f"epoch {epoch + 1}/{epochs}: loss {total_loss / steps_per_epoch:.4f} "
              f"test top-1 {accuracy * 100:.2f}%  ({time.time() - start:.0f} s)", flush=True)
    train_seconds = time.time() - start
    model.eval()
    return model, params, macs, train_seconds, evaluate(model, x_test, y_test), (test_images, test_labels)


# -------------------------------------------------------------------------------------------- export
ALLOWED_OPS = {"Conv", "BatchNormalization", "Relu", "Add", "MaxPool", "GlobalAveragePool",
               "AveragePool", "Flatten", "Gemm"}


def _inline_identity_initializers(graph):
    """The exporter stores equal initializers once and reaches the copies through Identity nodes.
    In a residual unit the two branch BN biases always train to equal values (they receive the same
    gradient from the Add), so this happens on every downsampling unit. Give each copy its own
    initializer instead, so the graph keeps to the ops listed in ALLOWED_OPS."""
    from onnx import numpy_helper
    initializers = {t.name: t for t in graph.graph.initializer}
    kept = []
    for node in graph.graph.node:
        if node.op_type == "Identity" and node.input[0] in initializers:
            copy = numpy_helper.to_array(initializers[node.input[0]])
            graph.graph.initializer.append(numpy_helper.from_array(copy, node.output[0]))
        else:
            kept.append(node)
    del graph.graph.node[:]
    graph.graph.node.extend(kept)


def export(model, onnx_path):
    import onnx
    model.eval()
    # TrainingMode.PRESERVE on an eval-mode model: eval semantics, but the exporter's eval-only
    # Conv+BN fusion pass is skipped, so BatchNormalization nodes stay in the graph (the integer
    # pipeline folds them itself).
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    graph = onnx.load(onnx_path)
    _inline_identity_initializers(graph)
    onnx.save(graph, onnx_path)
    onnx.checker.check_model(graph)
    ops = sorted({node.op_type for node in graph.graph.node})
    unexpected = set(ops) - ALLOWED_OPS
    if unexpected:
        raise RuntimeError(f"{onnx_path}: unexpected ops {sorted(unexpected)}")
    if "BatchNormalization" not in ops:
        raise RuntimeError(f"{onnx_path}: BatchNormalization nodes were fused away")
    return ops


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(CONFIGS), required=True)
    parser.add_argument("--data-dir", default=os.environ.get("DYADIC_FASHION_MNIST_DIR", DEFAULT_DATA_DIR))
    parser.add_argument("--out-dir", default=os.path.join(REPO_ROOT, "models"))
    parser.add_argument("--seed", type=int, default=20210701)
    parser.add_argument("--epochs", type=int, default=0, help="override the model's epoch count")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-augment", action="store_true")
    parser.add_argument("--train-limit", type=int, default=0, help="train on the first N images only (smoke test)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    cfg = CONFIGS[args.model]
    model, params, macs, train_seconds, torch_top1, (test_images, test_labels) = train(cfg, args)

    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, cfg["file"] + ".onnx")
    tmp_path = onnx_path + ".tmp"
    ops = export(model, tmp_path)
    # The accuracy we publish is the ONNX file's, computed by an independent numpy forward pass.
    onnx_top1, onnx_ops = onnx_numpy_eval.evaluate_file(tmp_path, normalize(test_images), test_labels)
    # And the file must compute the trained network, not just score like it: compare logits.
    import onnx
    x_check = normalize(test_images[:100])
    with torch.no_grad():
        torch_logits = model(torch.from_numpy(x_check)).numpy()
    max_difference = float(np.abs(onnx_numpy_eval.run(onnx.load(tmp_path), x_check) - torch_logits).max())
    if max_difference > 1e-3:
        raise RuntimeError(f"{tmp_path}: logits differ from the torch model by {max_difference}")
    os.replace(tmp_path, onnx_path)

    sidecar = {"input_mean": INPUT_MEAN, "input_std": INPUT_STD, "classes": CLASSES,
               "fp32_top1": round(onnx_top1, 4), "parameters": params, "macs_per_image": macs,
               "seed": args.seed, "epochs": args.epochs or cfg["epochs"],
               "train_seconds": round(train_seconds)}
    json_path = os.path.join(args.out_dir, cfg["file"] + ".json")
    with open(json_path + ".tmp", "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    os.replace(json_path + ".tmp", json_path)
    print(f"{cfg['file']}: ops {ops}; ONNX vs torch logits max |difference| {max_difference:.2e}")
    print(f"{cfg['file']}: torch top-1 {torch_top1 * 100:.2f}%, ONNX (numpy) top-1 {onnx_top1 * 100:.2f}%, "
          f"{params} parameters, {macs} MACs/image, trained in {train_seconds:.0f} s")


if __name__ == "__main__":
    main()
