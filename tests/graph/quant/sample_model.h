#pragma once
// A small integer model that uses every layer kind, weight widths 2, 3, 4, 5 and 8 bits, an int16
// residual stream, odd element counts (to exercise nibble padding) and two outputs.
// Weights, biases and multipliers come from a seeded generator: the tests check structure and
// equalities, not particular values.
#include <cstdint>
#include <random>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "reference/dyadic.h"

namespace dyadic::quant::testing {

inline Tensor random_tensor(std::mt19937& rng, const Shape& shape, IntType type) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

inline Tensor random_weight(std::mt19937& rng, const Shape& shape, int bits) {
    Tensor w = random_tensor(rng, shape, IntType::signed_bits(bits));
    std::uniform_real_distribution<double> scale(0.001, 0.1);
    for (int64_t o = 0; o < shape[0]; ++o) w.scales.push_back(scale(rng));
    return w;
}

inline Tensor random_bias(std::mt19937& rng, int64_t channels) {
    Tensor b({channels}, IntType::int32());
    std::uniform_int_distribution<int32_t> dist(-2000, 2000);
    for (int32_t& v : b.data) v = dist(rng);
    return b;
}

inline std::vector<Dyadic> multipliers(std::mt19937& rng, size_t count, double lo, double hi) {
    std::uniform_real_distribution<double> ratio(lo, hi);
    std::vector<Dyadic> out;
    for (size_t i = 0; i < count; ++i) out.push_back(to_dyadic(ratio(rng)));
    return out;
}

inline QuantizedModel sample_model(unsigned seed = 7) {
    std::mt19937 rng(seed);
    QuantizedModel m;
    m.name = "sample";
    const auto tensor = [&](const char* name, Shape shape, IntType type, double scale) {
        m.tensors.push_back(TensorInfo{name, std::move(shape), type, scale});
        return static_cast<TensorId>(m.tensors.size() - 1);
    };
    const auto layer = [&](const char* name, std::vector<TensorId> inputs, TensorId output, LayerOp op) {
        m.layers.push_back(QuantizedLayer{name, std::move(inputs), output, std::move(op)});
    };
    const IntType u8 = IntType::unsigned_bits(8), s8 = IntType::signed_bits(8), s16 = IntType::signed_bits(16);

    const TensorId input = tensor("input", {1, 3, 7, 7}, u8, 0.02);
    m.input = input;

    Conv2dLayer conv1;
    conv1.weight = random_weight(rng, {5, 3, 3, 3}, 4);  // 135 elements: odd, so a padding nibble
    conv1.bias = random_bias(rng, 5);
    conv1.params.pad_top = conv1.params.pad_left = conv1.params.pad_bottom = conv1.params.pad_right = 1;
    conv1.output_stage = OutputStage{multipliers(rng, 5, 0.002, 0.02), u8, true};
    const TensorId t1 = tensor("conv1", {1, 5, 7, 7}, u8, 0.05);
    layer("conv1", {input}, t1, conv1);

    Pool2dParams pool;
    pool.kernel_h = pool.kernel_w = 3;
    pool.stride_h = pool.stride_w = 2;
    pool.pad_top = pool.pad_left = pool.pad_bottom = pool.pad_right = 1;
    const TensorId t2 = tensor("pool1", {1, 5, 4, 4}, u8, 0.05);
    layer("pool1", {t1}, t2, MaxPool2dLayer{pool});

    Conv2dLayer conv2;  // 2-bit weights with a fused residual onto the pooled tensor
    conv2.weight = random_weight(rng, {5, 5, 3, 3}, 2);
    conv2.bias = random_bias(rng, 5);
    conv2.params.pad_top = conv2.params.pad_left = conv2.params.pad_bottom = conv2.params.pad_right = 1;
    conv2.residual = FusedResidual{ResidualAddStage{multipliers(rng, 5, 0.01, 0.1), to_dyadic(0.7), s16, true}};
    const TensorId t3 = tensor("block", {1, 5, 4, 4}, s16, 0.004);
    layer("conv2", {t2, t2}, t3, conv2);

    const TensorId t4 = tensor("add", {1, 5, 4, 4}, s8, 0.06);
    layer("add", {t3, t2}, t4,
          ResidualAddLayer{ResidualAddStage{multipliers(rng, 1, 0.05, 0.1), to_dyadic(0.8), s8, false}});

    Pool2dParams avg;
    avg.kernel_h = avg.kernel_w = 3;
    avg.stride_h = avg.stride_w = 1;
    avg.pad_top = avg.pad_left = avg.pad_bottom = avg.pad_right = 1;
    const TensorId t5 = tensor("avg", {1, 5, 4, 4}, s8, 0.05);
    layer("avg", {t4}, t5, AveragePool2dLayer{avg, make_average_pool_stage(1.2, 9, s8, false)});

    const TensorId t6 = tensor("cat", {1, 10, 4, 4}, s8, 0.07);
    layer("cat", {t4, t5}, t6, ConcatLayer{{to_dyadic(0.06 / 0.07), to_dyadic(0.05 / 0.07)}, s8});

    // Down to uint4: negative values clamp to 0 (a ReLU), the rest are rescaled.
    const TensorId t6q = tensor("cat_q", {1, 10, 4, 4}, IntType::unsigned_bits(4), 0.3);
    layer("requant", {t6}, t6q, RequantizeLayer{to_dyadic(0.07 / 0.3), IntType::unsigned_bits(4)});

    Conv2dLayer conv3;  // grouped 1x1 with 3-bit weights and no bias
    conv3.weight = random_weight(rng, {6, 5, 1, 1}, 3);
    conv3.params.groups = 2;
    conv3.output_stage = OutputStage{multipliers(rng, 1, 0.01, 0.05), s8, false};
    const TensorId t7 = tensor("conv3", {1, 6, 4, 4}, s8, 0.1);
    layer("conv3", {t6q}, t7, conv3);

    const TensorId t8 = tensor("gap", {1, 6, 1, 1}, s8, 0.05);
    layer("gap", {t7}, t8, GlobalAveragePoolLayer{to_dyadic(0.1 / (0.05 * 16)), s8});

    const TensorId t9 = tensor("flat", {1, 6}, s8, 0.05);
    layer("flat", {t8}, t9, FlattenLayer{});

    FullyConnectedLayer fc;  // 5-bit weights: one byte per element
    fc.weight = random_weight(rng, {5, 6}, 5);
    fc.bias = random_bias(rng, 5);
    fc.output_stage = OutputStage{multipliers(rng, 5, 0.01, 0.05), s8, false};
    const TensorId t10 = tensor("logits", {1, 5}, s8, 0.2);
    layer("fc", {t9}, t10, fc);

    const TensorId t11 = tensor("logits4d", {1, 5, 1, 1}, s8, 0.2);
    layer("reshape", {t10}, t11, ReshapeLayer{{5, 1, 1}});

    Conv2dLayer head;  // 8-bit weights, reads a tensor that is also a model output
    head.weight = random_weight(rng, {3, 5, 1, 1}, 8);
    head.bias = random_bias(rng, 3);
    head.output_stage = OutputStage{multipliers(rng, 3, 0.01, 0.05), s8, true};
    const TensorId t12 = tensor("head", {1, 3, 1, 1}, s8, 0.1);
    layer("head", {t11}, t12, head);

    m.outputs = {t10, t12};
    return m;
}

}  // namespace dyadic::quant::testing
