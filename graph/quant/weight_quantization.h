#pragma once
// Parameter quantization (docs/quantization.md, "Weights and biases"): weights signed, symmetric,
// one scale per output channel; bias int32 at scale weight_scale[o] * input_scale; and the
// worst-case accumulator check that refuses layers which could overflow int32.
#include <string>
#include <vector>

#include "graph/ir/float_tensor.h"
#include "reference/tensor.h"

namespace dyadic::quant {

// Per output channel o (dimension 0): clip c_o = max |w[o]| (or, with `mse_clip`, the clip in a
// grid over (0, max |w[o]|] minimizing the channel's squared error), scale s_o = c_o / (2^(bits-1) - 1),
// q = clamp(round(w / s_o), -(2^(bits-1) - 1), 2^(bits-1) - 1). An all-zero channel gets scale 1.
// Returns a signed `bits`-bit tensor with scales = {s_o}.
Tensor quantize_weights(const ir::FloatTensor& weight, int bits, bool mse_clip);

// q[o] = round(bias[o] / (weight_scales[o] * input_scale)); throws Error naming `layer` when a
// value leaves int32. An empty bias gives the absent tensor (shape {}).
Tensor quantize_bias(const ir::FloatTensor& bias, const std::vector<double>& weight_scales, double input_scale,
                     const std::string& layer);

// Largest |accumulator| any input of `input_type` can produce in output channel o:
// |bias[o]| + max|x| * sum |weight[o, ...]|, maximized over o.
int64_t worst_case_accumulator(const Tensor& weight, const Tensor& bias, const IntType& input_type);

// Throws Error naming `layer`, the bound and the widths when worst_case_accumulator exceeds int32.
void require_accumulator_fits(const Tensor& weight, const Tensor& bias, const IntType& input_type,
                              const std::string& layer);

}  // namespace dyadic::quant
