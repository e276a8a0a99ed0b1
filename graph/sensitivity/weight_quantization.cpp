#include "graph/sensitivity/weight_quantization.h"

#include "graph/quant/weight_quantization.h"

namespace dyadic::sensitivity {
namespace {

// QuantizeOptions::mse_weight_clipping's default: the clip search runs at 4 bits and below.
bool uses_mse_clip(int bits) { return bits <= 4; }

}  // namespace

ir::FloatTensor quantize_weight(const ir::FloatTensor& weight, int bits) {
    const Tensor q = quant::quantize_weights(weight, bits, uses_mse_clip(bits));
    const int64_t channels = weight.dim(0), per_channel = weight.size() / channels;
    ir::FloatTensor result(weight.shape);
    for (int64_t o = 0; o < channels; ++o)
        for (int64_t i = 0; i < per_channel; ++i) {
            const int64_t k = o * per_channel + i;
            result.data[k] = static_cast<float>(q.scales[o] * q.data[k]);
        }
    return result;
}

double quantization_error_squared(const ir::FloatTensor& weight, int bits) {
    const Tensor q = quant::quantize_weights(weight, bits, uses_mse_clip(bits));
    const int64_t channels = weight.dim(0), per_channel = weight.size() / channels;
    double sum = 0.0;
    for (int64_t o = 0; o < channels; ++o)
        for (int64_t i = 0; i < per_channel; ++i) {
            const int64_t k = o * per_channel + i;
            const double d = q.scales[o] * q.data[k] - double{weight.data[k]};
            sum += d * d;
        }
    return sum;
}

}  // namespace dyadic::sensitivity
