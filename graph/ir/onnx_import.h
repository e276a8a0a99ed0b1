#pragma once
// ONNX (FP32) import into the model IR (C++17 header).
//
// Supported ops: Conv (2-D), BatchNormalization (inference), Relu, Clip(0, max) (ReLU / ReLU6),
// Add (equal shapes), MaxPool, AveragePool, GlobalAveragePool, Gemm (alpha = beta = 1,
// transA = 0), MatMul (constant right operand), Flatten, Reshape (constant shape), Concat;
// Constant nodes become constants. Weights, biases and BatchNorm statistics must be initializers
// or Constant outputs; they are stored in the nodes. Tensor names stay the ONNX names; a
// symbolic batch dimension imports as 1. Anything else throws Error naming the node and the op.
#include <string>

#include "graph/ir/graph.h"

namespace onnx {
class ModelProto;
}

namespace dyadic::ir {

Graph import_onnx(const onnx::ModelProto& model);

// Loads the file (graph/onnx) and imports it; errors name the file.
Graph import_onnx_file(const std::string& path);

}  // namespace dyadic::ir
