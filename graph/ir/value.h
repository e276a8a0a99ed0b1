#pragma once
// Tensors of the model IR (the graph's edges): shape, element type and quantization.
// Header is C++17.
#include <limits>
#include <string>

#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::ir {

enum class DType { Float32, Integer };

struct Value {
    std::string name;  // ONNX tensor name
    // Shape for the graph's reference batch (dim 0 is the batch dimension of activations; a
    // symbolic ONNX batch imports as 1). The executor accepts any batch size.
    Shape shape;

    DType dtype = DType::Float32;  // Integer once graph/quant has assigned `type` and `scale`
    IntType type = IntType::signed_bits(8);  // bit width and signedness when dtype == Integer
    double scale = 0.0;            // real = scale * integer; 0 until quantized

    // Set by mark_non_negative (passes/mark_non_negative.h): every element is >= 0, so the tensor
    // gets an unsigned type. For graph inputs the user sets it (e.g. images in [0, 1]).
    bool non_negative = false;
    // Known upper bound of every element (ReLU6 gives 6); infinity when unknown.
    double upper_bound = std::numeric_limits<double>::infinity();
};

}  // namespace dyadic::ir
