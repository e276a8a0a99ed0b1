#pragma once
// Channel concatenation (docs/semantics.md, "concat"): every input is requantized to the
// common output scale with its own dyadic multiplier (dyadic_one() when scales already agree).
#include <vector>

#include "reference/dyadic.h"
#include "reference/tensor.h"

namespace dyadic {

// inputs [N, C_i, H, W] (same N, H, W) -> [N, sum C_i, H, W];
// y = clamp(dyadic_scale(x_i, multipliers[i]), output_type range).
Tensor concat_channels(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                       IntType output_type);

}  // namespace dyadic
