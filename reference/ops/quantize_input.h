#pragma once
// Input quantization, the one float operation at the model's boundary (docs/semantics.md,
// "quantize_input"): q = clamp(round_half_even(double(x) / double(scale)), lo, hi).
#include <vector>

#include "reference/tensor.h"

namespace dyadic {

// Throws Error on a non-finite input value, a non-positive scale or a size/shape mismatch.
Tensor quantize_input(const std::vector<float>& values, const Shape& shape, double scale, IntType type);

}  // namespace dyadic
