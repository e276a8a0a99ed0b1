#pragma once
// Dense float tensors of the model IR: the float parameters kept in nodes (weights, bias,
// BatchNorm statistics) and the activations the float executor computes. Row-major
// (NCHW for activations, OIHW for conv weights, [M, K] for fully connected weights).
// Header is C++17 so that every part of the project can include it.
#include <cstdint>
#include <vector>

#include "reference/tensor.h"  // dyadic::Shape, element_count, to_string

namespace dyadic::ir {

struct FloatTensor {
    Shape shape;
    std::vector<float> data;

    FloatTensor() = default;
    explicit FloatTensor(Shape shape_);                       // zero-filled
    FloatTensor(Shape shape_, std::vector<float> data_);      // throws Error when sizes disagree

    int64_t size() const { return static_cast<int64_t>(data.size()); }
    bool empty() const { return data.empty(); }
    int64_t dim(int axis) const { return shape.at(static_cast<size_t>(axis)); }
};

}  // namespace dyadic::ir
