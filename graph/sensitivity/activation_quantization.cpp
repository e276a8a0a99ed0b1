#include "graph/sensitivity/activation_quantization.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "util/error.h"

namespace dyadic::sensitivity {

ActivationQuantizer activation_quantizer(const ir::Value& value, const quant::TensorStatistics& statistics, int bits) {
    require(bits >= 2 && bits <= 8, "sensitivity: activation bit width " + std::to_string(bits) + " is outside 2..8");
    const IntType type = value.non_negative ? IntType::unsigned_bits(bits) : IntType::signed_bits(bits);
    const double clip = quant::choose_clip(statistics, type, quant::CalibrationOptions{}, value.upper_bound);
    ActivationQuantizer quantizer;
    quantizer.highest = quant::quant_levels(type);
    quantizer.lowest = type.is_signed ? -quantizer.highest : 0;
    // As the quantizer: an all-zero tensor takes scale 1.
    quantizer.scale = clip > 0.0 ? clip / static_cast<double>(quantizer.highest) : 1.0;
    return quantizer;
}

double activation_error_squared(const ir::FloatTensor& x, const ActivationQuantizer& quantizer) {
    const double low = static_cast<double>(quantizer.lowest), high = static_cast<double>(quantizer.highest);
    double sum = 0.0;
    for (const float value : x.data) {
        const double q = std::clamp(std::round(value / quantizer.scale), low, high) * quantizer.scale;
        sum += (q - value) * (q - value);
    }
    return sum;
}

}  // namespace dyadic::sensitivity
