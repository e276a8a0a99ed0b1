#include "graph/quant/weight_quantization.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "util/error.h"

namespace dyadic::quant {
namespace {

constexpr int kWeightClipCandidates = 64;

double quantize_value(double w, double scale, double levels) {
    return std::clamp(std::round(w / scale), -levels, levels);
}

double channel_error(const float* w, int64_t n, double clip, double levels) {
    const double scale = clip / levels;
    double error = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        const double d = w[i] - quantize_value(w[i], scale, levels) * scale;
        error += d * d;
    }
    return error;
}

}  // namespace

Tensor quantize_weights(const ir::FloatTensor& weight, int bits, bool mse_clip) {
    require(bits >= 2 && bits <= 8, "weights: " + std::to_string(bits) + " bits requested, supported 2..8");
    require(weight.shape.size() >= 2 && weight.shape[0] >= 1, "weights: expected [C_out, ...], got " +
                                                                   to_string(weight.shape));
    const int64_t channels = weight.shape[0];
    const int64_t per_channel = weight.size() / channels;
    const double levels = static_cast<double>((int64_t{1} << (bits - 1)) - 1);
    Tensor q(weight.shape, IntType::signed_bits(bits));
    q.scales.resize(static_cast<size_t>(channels));
    for (int64_t o = 0; o < channels; ++o) {
        const float* w = weight.data.data() + o * per_channel;
        double max_abs = 0.0;
        for (int64_t i = 0; i < per_channel; ++i) {
            require(std::isfinite(w[i]), "weights: non-finite value in output channel " + std::to_string(o));
            max_abs = std::max(max_abs, std::fabs(static_cast<double>(w[i])));
        }
        double clip = max_abs;
        if (mse_clip && max_abs > 0.0) {
            double best = channel_error(w, per_channel, max_abs, levels);
            for (int k = 1; k < kWeightClipCandidates; ++k) {
                const double candidate = max_abs * k / kWeightClipCandidates;
                const double error = channel_error(w, per_channel, candidate, levels);
                if (error < best) {
                    best = error;
                    clip = candidate;
                }
            }
        }
        const double scale = clip > 0.0 ? clip / levels : 1.0;
        q.scales[static_cast<size_t>(o)] = scale;
        for (int64_t i = 0; i < per_channel; ++i) {
            q.data[static_cast<size_t>(o * per_channel + i)] = static_cast<int32_t>(quantize_value(w[i], scale, levels));
        }
    }
    return q;
}

Tensor quantize_bias(const ir::FloatTensor& bias, const std::vector<double>& weight_scales, double input_scale,
                     const std::string& layer) {
    if (bias.empty()) return Tensor{};
    require(bias.size() == static_cast<int64_t>(weight_scales.size()),
            "layer '" + layer + "': bias has " + std::to_string(bias.size()) + " values for " +
                std::to_string(weight_scales.size()) + " output channels");
    Tensor q({bias.size()}, IntType::int32());
    for (int64_t o = 0; o < bias.size(); ++o) {
        const double scale = weight_scales[static_cast<size_t>(o)] * input_scale;
        const double v = std::round(static_cast<double>(bias.data[static_cast<size_t>(o)]) / scale);
        require(std::isfinite(v) && v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max(),
                "layer '" + layer + "': bias of output channel " + std::to_string(o) + " (" +
                    std::to_string(bias.data[static_cast<size_t>(o)]) + ") does not fit int32 at scale " +
                    std::to_string(scale));
        q.data[static_cast<size_t>(o)] = static_cast<int32_t>(v);
    }
    return q;
}

int64_t worst_case_accumulator(const Tensor& weight, const Tensor& bias, const IntType& input_type) {
    const int64_t channels = weight.shape.at(0);
    const int64_t per_channel = weight.size() / channels;
    const int64_t max_input = std::max(-input_type.min(), input_type.max());
    int64_t worst = 0;
    for (int64_t o = 0; o < channels; ++o) {
        int64_t sum = 0;  // <= 2^7 * per_channel: no overflow for any real layer
        for (int64_t i = 0; i < per_channel; ++i) sum += std::abs(int64_t{weight.data[static_cast<size_t>(o * per_channel + i)]});
        const int64_t b = bias.data.empty() ? 0 : std::abs(int64_t{bias.data[static_cast<size_t>(o)]});
        worst = std::max(worst, b + sum * max_input);
    }
    return worst;
}

void require_accumulator_fits(const Tensor& weight, const Tensor& bias, const IntType& input_type,
                              const std::string& layer) {
    const int64_t worst = worst_case_accumulator(weight, bias, input_type);
    require(worst <= std::numeric_limits<int32_t>::max(),
            "layer '" + layer + "': worst-case accumulator " + std::to_string(worst) + " could overflow int32 (" +
                weight.type.name() + " weights, " + input_type.name() + " inputs, " +
                std::to_string(weight.size() / weight.shape.at(0)) +
                " products per output); use fewer activation or weight bits for this layer");
}

}  // namespace dyadic::quant
