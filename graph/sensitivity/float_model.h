#pragma once
// How the sensitivity commands load a model: ONNX import, then the standard passes (BatchNorm
// folding, activation and residual fusion, shape inference). The Hessians are taken w.r.t. the
// FOLDED weights because those are what gets quantized. Header is C++17.
#include <cstddef>
#include <string>

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"

namespace dyadic::sensitivity {

// Throws Error naming the file for a missing or unsupported model, or one with other than
// exactly one input and one output.
ir::Graph load_float_model(const std::string& onnx_path);

// The first `count` images of `images`, normalized, as a [count, 1, rows, cols] tensor.
ir::FloatTensor calibration_images(const dataset::LabelledImages& images, std::size_t count,
                                   const dataset::InputNormalization& normalization);

}  // namespace dyadic::sensitivity
