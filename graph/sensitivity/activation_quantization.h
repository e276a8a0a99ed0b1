#pragma once
// Q_a(x) for the activation sensitivity Omega_a(a) = Tr(H_x) / n_x * E||Q_a(x) - x||^2: the
// quantizer post-training quantization applies to a conv or fully connected layer's input at a
// bits (graph/quant/quantizer.cpp): the tensor's calibrated clip (quant::choose_clip, `auto`
// method: min/max above 4 bits, the MSE clip at 4 bits and below, capped by a known upper bound
// such as ReLU6's), unsigned for tensors marked non-negative, else signed and symmetric, scale
// clip / L, round to nearest and clamp. This file is the only place the sensitivity code
// quantizes activations. Header is C++17.
#include <cstdint>

#include "graph/ir/float_tensor.h"
#include "graph/ir/value.h"
#include "graph/quant/clipping.h"

namespace dyadic::sensitivity {

struct ActivationQuantizer {
    double scale = 1.0;
    int64_t lowest = 0;   // -L for signed tensors, 0 for unsigned ones
    int64_t highest = 0;  // L
};

// The quantizer of `value` (its signedness and upper bound) at `bits`, from the tensor's
// calibration statistics (a histogram is needed at 4 bits and below). Throws Error unless
// 2 <= bits <= 8.
ActivationQuantizer activation_quantizer(const ir::Value& value, const quant::TensorStatistics& statistics, int bits);

// sum_i (Q(x_i) - x_i)^2 over every element of `x`, in double.
double activation_error_squared(const ir::FloatTensor& x, const ActivationQuantizer& quantizer);

}  // namespace dyadic::sensitivity
