#pragma once
// Random conv2d / fully connected layers and inputs for the GPU tests: types spanning the full
// ranges, geometries covering stride, padding, dilation, groups and channel counts that do and do
// not fill an MMA register.
#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/dyadic.h"
#include "reference/ops/conv2d.h"
#include "reference/tensor.h"

namespace gpu_test {

using namespace dyadic;

inline Tensor random_tensor(Shape shape, IntType type, std::mt19937& rng) {
    Tensor t(std::move(shape), type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (auto& v : t.data) v = static_cast<int32_t>(dist(rng));
    // The range's ends appear in every tensor big enough.
    if (t.data.size() >= 2) {
        t.data[0] = static_cast<int32_t>(type.min());
        t.data[1] = static_cast<int32_t>(type.max());
    }
    return t;
}

inline Dyadic random_multiplier(std::mt19937& rng, double lo = 1e-4, double hi = 0.5) {
    std::uniform_real_distribution<double> exponent(std::log2(lo), std::log2(hi));
    return to_dyadic(std::exp2(exponent(rng)));
}

inline std::vector<Dyadic> random_multipliers(int64_t count, std::mt19937& rng) {
    std::vector<Dyadic> m;
    for (int64_t i = 0; i < count; ++i) m.push_back(random_multiplier(rng));
    return m;
}

inline Tensor random_bias(int64_t channels, std::mt19937& rng) {
    Tensor bias({channels}, IntType::int32());
    std::uniform_int_distribution<int32_t> dist(-20000, 20000);
    for (auto& v : bias.data) v = dist(rng);
    return bias;
}

struct ConvCase {
    int64_t batch, in_c, in_h, in_w, out_c, kernel_h, kernel_w;
    Conv2dParams params;
};

inline quant::Conv2dLayer random_conv_layer(const ConvCase& cs, int weight_bits, const IntType& output_type, bool relu,
                                            bool with_bias, std::mt19937& rng) {
    quant::Conv2dLayer layer;
    layer.weight = random_tensor({cs.out_c, cs.in_c / cs.params.groups, cs.kernel_h, cs.kernel_w},
                                 IntType::signed_bits(weight_bits), rng);
    layer.bias = with_bias ? random_bias(cs.out_c, rng) : Tensor{};
    layer.params = cs.params;
    layer.output_stage.multipliers = random_multipliers(cs.out_c, rng);
    layer.output_stage.output_type = output_type;
    layer.output_stage.relu = relu;
    return layer;
}

}  // namespace gpu_test
