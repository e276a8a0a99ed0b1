#pragma once
// Fully connected layer (docs/semantics.md, "fully_connected").
#include "reference/requantize.h"
#include "reference/tensor.h"

namespace dyadic {

// acc[n, m] = bias[m] + sum_k input[n, k] * weight[m, k], exact, asserted to fit int32.
// input [N, K], weight [M, K] (output-channel major, like conv's OIHW), bias int32 [M] or empty.
Tensor fully_connected_accumulate(const Tensor& input, const Tensor& weight, const Tensor& bias);

// fully_connected_accumulate followed by the per-output-channel requantization of `stage`.
Tensor fully_connected(const Tensor& input, const Tensor& weight, const Tensor& bias, const OutputStage& stage);

}  // namespace dyadic
