#pragma once
// Nodes of the model IR: one operation, its attributes and its float parameters.
// Header is C++17.
//
// Tensors are referred to by name (ONNX names when the graph comes from ONNX). Weights, bias
// and BatchNorm statistics are NOT tensors of the graph: they live in the node that uses them
// (`weight`, `bias`, `batch_norm`), so the graph's tensors are exactly the activations.
#include <limits>
#include <string>
#include <vector>

#include "graph/ir/float_tensor.h"
#include "reference/int_type.h"

namespace dyadic::ir {

enum class OpKind {
    Conv,                // 2-D convolution, optional fused residual add and ReLU (see Node)
    BatchNormalization,  // per-channel affine y = (x - mean) / sqrt(var + eps) * scale + bias (axis 1)
    Relu,                // max(x, 0), clipped at activation.upper_bound when finite (Clip(0, 6) = ReLU6)
    Add,                 // elementwise sum of two tensors of equal shape, optional fused ReLU
    MaxPool,             // 2-D max pooling (padding never wins)
    AveragePool,         // 2-D average pooling
    GlobalAveragePool,   // [N, C, H, W] -> [N, C, 1, 1]
    FullyConnected,      // y[n, m] = bias[m] + sum_k x[n, k] * weight[m, k] (ONNX Gemm / MatMul)
    Flatten,             // [d0..dn] -> [d0*..*d(axis-1), d(axis)*..*dn]
    Reshape,             // to `reshape_shape`, ONNX rules (0 copies the input dim, -1 is inferred)
    Concat,              // concatenation along `axis`
};

// The op's name as printed in messages and dumps ("Conv", "FullyConnected", ...).
const char* op_name(OpKind op);

// The clamp applied to a node's output: none, ReLU (lower bound 0), or ReLU with a finite upper
// bound (ONNX Clip(0, u); u = 6 is ReLU6). Used by Relu nodes and fused into Conv, FullyConnected, Add.
struct Activation {
    bool relu = false;
    double upper_bound = std::numeric_limits<double>::infinity();  // finite only when relu

    bool has_upper_bound() const { return upper_bound != std::numeric_limits<double>::infinity(); }
};

// Conv geometry. Pads are explicit: ONNX auto_pad is resolved at import.
struct ConvAttributes {
    int kernel_h = 1, kernel_w = 1;
    int stride_h = 1, stride_w = 1;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
    int dilation_h = 1, dilation_w = 1;
    int groups = 1;
};

// MaxPool / AveragePool geometry (floor output size; ceil_mode is rejected at import).
struct PoolAttributes {
    int kernel_h = 1, kernel_w = 1;
    int stride_h = 1, stride_w = 1;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
    bool count_include_pad = false;  // AveragePool only; ONNX's default (0): divide by in-image count
};

// BatchNormalization parameters, all of shape [C].
struct BatchNormParameters {
    FloatTensor scale, bias, mean, variance;
    double epsilon = 1e-5;
};

struct Node {
    std::string name;  // unique within the graph (ONNX node name, or generated "<op>_<k>" when absent)
    OpKind op = OpKind::Relu;

    // Tensor names. Change them only through Graph::set_inputs / Graph::set_outputs so that the
    // graph's edges stay in sync. Every node has exactly one output.
    //   Conv:             [x] or [x, identity]: with a second input the node computes
    //                     activation(conv(x) + bias + identity) (fused residual add).
    //   Add:              [a, b];  Concat: [x0, x1, ...];  every other op: [x].
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;

    ConvAttributes conv;        // Conv
    PoolAttributes pool;        // MaxPool, AveragePool
    int axis = 1;               // Flatten, Concat (non-negative once imported)
    Shape reshape_shape;        // Reshape: the target as ONNX gives it (may hold 0 and one -1)
    BatchNormParameters batch_norm;  // BatchNormalization

    // Float parameters. Conv: weight [C_out, C_in/groups, KH, KW]; FullyConnected: weight [M, K].
    // bias: [C_out] / [M], or empty for none.
    FloatTensor weight, bias;

    Activation activation;  // Relu (its whole meaning), or fused into Conv / FullyConnected / Add

    // Parameter quantization, filled by graph/quant (empty scales: not quantized yet).
    IntType weight_type = IntType::signed_bits(8);
    std::vector<double> weight_scales;  // one per output channel (or one per tensor)

    bool has_residual() const { return op == OpKind::Conv && inputs.size() == 2; }
};

}  // namespace dyadic::ir
