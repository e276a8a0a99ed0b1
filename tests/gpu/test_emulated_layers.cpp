// Whole conv2d and fully connected layers through the kernels' algorithm on the host (tiling,
// fragment loads, emulated mma.sync, fused epilogue, packed stores) compared with the reference
// ops using ==, at INT8, INT4, mixed and 2-/3-bit precisions, with both 4-bit paths: native
// m16n8k64 (sm_80/86/89) and 4-bit unpacked to the 8-bit MMA (sm_90).
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>

#include "gpu/device_layout.h"
#include "gpu/gemm_plan.h"
#include "gpu/host_emulation.h"
#include "random_layers.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/residual_add.h"

using namespace dyadic;
using namespace dyadic::gpu;
using gpu_test::ConvCase;

namespace {

struct Precision {
    int weight_bits;
    IntType input_type;
};

const std::vector<Precision> kPrecisions{
    {8, IntType::unsigned_bits(8)}, {8, IntType::signed_bits(8)},   {4, IntType::unsigned_bits(4)},
    {4, IntType::signed_bits(4)},   {4, IntType::unsigned_bits(8)}, {8, IntType::unsigned_bits(4)},
    {2, IntType::unsigned_bits(3)}, {3, IntType::signed_bits(2)},   {6, IntType::unsigned_bits(5)},
};

Tensor run_emulated_conv(const quant::Conv2dLayer& layer, const Tensor& x, const Tensor* identity, bool native_int4) {
    const GemmPlan plan = plan_conv2d(layer, x.shape, x.type,
                                      identity ? std::optional<IntType>(identity->type) : std::nullopt, native_int4);
    const std::vector<uint32_t> identity_words = identity ? to_device_layout(*identity) : std::vector<uint32_t>{};
    const std::vector<uint32_t> out = emulate_gemm(plan, to_device_layout(x), identity ? &identity_words : nullptr);
    return from_device_layout(out, plan.output_shape, plan.output_type);
}

}  // namespace

TEST_CASE("emulated conv2d layers equal the reference", "[gpu][layers]") {
    std::mt19937 rng(11);
    const std::vector<ConvCase> cases{
        {1, 16, 6, 6, 24, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 1}},   // register-aligned channels
        {2, 3, 9, 7, 10, 3, 3, {2, 2, 1, 1, 1, 1, 1, 1, 1}},    // first-layer style, odd sizes
        {1, 12, 7, 7, 70, 1, 1, {1, 1, 0, 0, 0, 0, 1, 1, 1}},   // more than one block of output channels
        {1, 8, 8, 8, 8, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 8}},     // depthwise
        {1, 32, 5, 6, 16, 3, 3, {1, 2, 2, 1, 0, 2, 2, 1, 2}},   // groups, dilation, asymmetric padding
        {3, 24, 10, 11, 8, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 1}},  // more than one block of pixels
    };
    for (const Precision& precision : kPrecisions) {
        for (size_t i = 0; i < cases.size(); ++i) {
            const ConvCase& cs = cases[i];
            const IntType out_type = i % 2 == 0 ? IntType::unsigned_bits(precision.input_type.bits)
                                                : IntType::signed_bits(8);
            const quant::Conv2dLayer layer =
                gpu_test::random_conv_layer(cs, precision.weight_bits, out_type, i % 3 == 0, i != 3, rng);
            const Tensor x = gpu_test::random_tensor({cs.batch, cs.in_c, cs.in_h, cs.in_w}, precision.input_type, rng);
            const Tensor expected = conv2d(x, layer.weight, layer.bias, layer.params, layer.output_stage);
            for (bool native_int4 : {true, false}) {
                INFO("w" << precision.weight_bits << " " << precision.input_type.name() << " case " << i
                         << (native_int4 ? " native int4" : " int4 unpacked to int8"));
                const Tensor got = run_emulated_conv(layer, x, nullptr, native_int4);
                REQUIRE(got.shape == expected.shape);
                REQUIRE(got.type == expected.type);
                REQUIRE(got.data == expected.data);
            }
        }
    }
}

TEST_CASE("emulated conv2d with a fused residual equals the reference", "[gpu][layers]") {
    std::mt19937 rng(13);
    const ConvCase cs{2, 16, 6, 5, 16, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
    for (const Precision& precision : {kPrecisions[0], kPrecisions[2], kPrecisions[4]}) {
        for (const IntType identity_type : {IntType::signed_bits(16), IntType::unsigned_bits(4), IntType::signed_bits(8)}) {
            quant::Conv2dLayer layer = gpu_test::random_conv_layer(cs, precision.weight_bits, IntType::signed_bits(8),
                                                                   false, true, rng);
            layer.output_stage = {};
            layer.residual = quant::FusedResidual{
                ResidualAddStage{gpu_test::random_multipliers(cs.out_c, rng), gpu_test::random_multiplier(rng, 0.01, 2.0),
                                 IntType::signed_bits(16), identity_type.bits == 4}};
            const Tensor x = gpu_test::random_tensor({cs.batch, cs.in_c, cs.in_h, cs.in_w}, precision.input_type, rng);
            const Tensor identity = gpu_test::random_tensor({cs.batch, cs.out_c, 6, 5}, identity_type, rng);
            const Tensor expected =
                residual_add(conv2d_accumulate(x, layer.weight, layer.bias, layer.params), identity, layer.residual->stage);
            for (bool native_int4 : {true, false}) {
                INFO(precision.input_type.name() << " identity " << identity_type.name());
                REQUIRE(run_emulated_conv(layer, x, &identity, native_int4).data == expected.data);
            }
        }
    }
}

TEST_CASE("emulated fully connected layers equal the reference", "[gpu][layers]") {
    std::mt19937 rng(14);
    for (const Precision& precision : kPrecisions) {
        for (const auto& [batch, k, m] : {std::tuple<int64_t, int64_t, int64_t>{1, 64, 10}, {8, 100, 70}, {3, 7, 5}}) {
            quant::FullyConnectedLayer layer;
            layer.weight = gpu_test::random_tensor({m, k}, IntType::signed_bits(precision.weight_bits), rng);
            layer.bias = gpu_test::random_bias(m, rng);
            layer.output_stage.multipliers = gpu_test::random_multipliers(m, rng);
            layer.output_stage.output_type = IntType::signed_bits(8);
            const Tensor x = gpu_test::random_tensor({batch, k}, precision.input_type, rng);
            const Tensor expected = fully_connected(x, layer.weight, layer.bias, layer.output_stage);
            for (bool native_int4 : {true, false}) {
                INFO("w" << precision.weight_bits << " " << precision.input_type.name() << " [" << batch << ", " << k
                         << "] x " << m);
                const GemmPlan plan = plan_fully_connected(layer, x.shape, x.type, native_int4);
                const Tensor got = from_device_layout(emulate_gemm(plan, to_device_layout(x)), plan.output_shape,
                                                      plan.output_type);
                REQUIRE(got.data == expected.data);
            }
        }
    }
}
