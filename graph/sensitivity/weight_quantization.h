#pragma once
// Q_b(W) for the sensitivity Omega(b) = Tr(H)/n * ||Q_b(W) - W||^2: exactly the weight quantizer
// post-training quantization uses (graph/quant/weight_quantization.h: signed, symmetric, one
// scale per output channel, per-channel MSE clip search at <= 4 bits as QuantizeOptions'
// default), so Omega measures the perturbation the deployed model really gets. This file is the
// only place the sensitivity code quantizes weights. Header is C++17.
#include "graph/ir/float_tensor.h"

namespace dyadic::sensitivity {

// The dequantized weight s_o * q. Throws Error unless 2 <= bits <= 8.
ir::FloatTensor quantize_weight(const ir::FloatTensor& weight, int bits);

// ||Q_b(W) - W||^2, summed in double.
double quantization_error_squared(const ir::FloatTensor& weight, int bits);

}  // namespace dyadic::sensitivity
