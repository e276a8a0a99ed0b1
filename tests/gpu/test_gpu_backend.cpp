// The CUDA backend on a real device: every op kind at INT8, INT4, mixed and 2-/3-bit precisions
// through GpuBackend::run_layer, compared with the reference backend using ==. Without a usable
// device each case prints a SKIPPED line, which CTest reports as skipped (never as passed).
#include <catch2/catch.hpp>

#include <iostream>
#include <random>

#include "gpu/gpu_backend.h"
#include "graph/quant/reference_backend.h"
#include "random_layers.h"
#include "reference/ops/average_pool2d.h"

using namespace dyadic;
using gpu_test::ConvCase;

namespace {

gpu::GpuBackend& backend() {
    static gpu::GpuBackend instance;
    return instance;
}

// True (after printing the line CTest looks for) when there is no device to test on.
bool skip_without_device() {
    const std::string reason = backend().unavailable_reason();
    if (reason.empty()) return false;
    std::cout << "SKIPPED: " << reason << std::endl;
    return true;
}

void check_layer(const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
    quant::ReferenceBackend reference;
    const Tensor expected = reference.run_layer(layer, inputs);
    const Tensor got = backend().run_layer(layer, inputs);
    REQUIRE(got.shape == expected.shape);
    REQUIRE(got.type == expected.type);
    REQUIRE(got.data == expected.data);
}

}  // namespace

TEST_CASE("gpu backend: conv2d and fully connected equal the reference", "[gpu][device]") {
    if (skip_without_device()) return;
    std::mt19937 rng(31);
    const std::vector<ConvCase> cases{
        {2, 32, 14, 14, 64, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 1}},
        {1, 3, 33, 31, 16, 7, 7, {2, 2, 3, 3, 3, 3, 1, 1, 1}},
        {1, 64, 9, 9, 130, 1, 1, {2, 2, 0, 0, 0, 0, 1, 1, 1}},
        {1, 24, 10, 10, 24, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 24}},
        {2, 16, 12, 11, 32, 3, 3, {1, 2, 2, 1, 0, 2, 2, 1, 4}},
    };
    for (const auto& [weight_bits, input_type] :
         {std::pair{8, IntType::unsigned_bits(8)}, std::pair{8, IntType::signed_bits(8)},
          std::pair{4, IntType::unsigned_bits(4)}, std::pair{4, IntType::signed_bits(4)},
          std::pair{4, IntType::unsigned_bits(8)}, std::pair{8, IntType::unsigned_bits(4)},
          std::pair{2, IntType::unsigned_bits(3)}}) {
        for (size_t i = 0; i < cases.size(); ++i) {
            const ConvCase& cs = cases[i];
            INFO("w" << weight_bits << " " << input_type.name() << " case " << i);
            quant::QuantizedLayer layer{"conv", {0}, 1,
                                        gpu_test::random_conv_layer(cs, weight_bits, IntType::unsigned_bits(4 + i % 2 * 4),
                                                                    i % 2 == 0, true, rng)};
            const Tensor x = gpu_test::random_tensor({cs.batch, cs.in_c, cs.in_h, cs.in_w}, input_type, rng);
            check_layer(layer, {&x});
        }
        quant::FullyConnectedLayer fc;
        fc.weight = gpu_test::random_tensor({1000, 512}, IntType::signed_bits(weight_bits), rng);
        fc.bias = gpu_test::random_bias(1000, rng);
        fc.output_stage.multipliers = gpu_test::random_multipliers(1000, rng);
        const Tensor x = gpu_test::random_tensor({8, 512}, input_type, rng);
        check_layer(quant::QuantizedLayer{"fc", {0}, 1, fc}, {&x});
    }
}

TEST_CASE("gpu backend: fused residual, pooling, concat and requantize equal the reference", "[gpu][device]") {
    if (skip_without_device()) return;
    std::mt19937 rng(32);
    const ConvCase cs{2, 32, 8, 8, 32, 3, 3, {1, 1, 1, 1, 1, 1, 1, 1, 1}};
    quant::Conv2dLayer conv = gpu_test::random_conv_layer(cs, 4, IntType::signed_bits(8), false, true, rng);
    conv.output_stage = {};
    conv.residual = quant::FusedResidual{ResidualAddStage{gpu_test::random_multipliers(32, rng), to_dyadic(0.3),
                                                          IntType::signed_bits(16), true}};
    const Tensor x = gpu_test::random_tensor({2, 32, 8, 8}, IntType::unsigned_bits(4), rng);
    const Tensor identity = gpu_test::random_tensor({2, 32, 8, 8}, IntType::signed_bits(16), rng);
    check_layer(quant::QuantizedLayer{"conv_residual", {0, 1}, 2, conv}, {&x, &identity});

    const Tensor a = gpu_test::random_tensor({2, 16, 9, 9}, IntType::unsigned_bits(8), rng);
    const Pool2dParams pool{3, 3, 2, 2, 1, 1, 1, 1};
    check_layer(quant::QuantizedLayer{"max", {0}, 1, quant::MaxPool2dLayer{pool}}, {&a});
    check_layer(quant::QuantizedLayer{"avg", {0}, 1,
                                      quant::AveragePool2dLayer{pool, make_average_pool_stage(0.9, 9, IntType::unsigned_bits(4), false)}},
                {&a});
    check_layer(quant::QuantizedLayer{"gap", {0}, 1,
                                      quant::GlobalAveragePoolLayer{to_dyadic(1.0 / 81), IntType::unsigned_bits(8)}},
                {&a});
    const Tensor b = gpu_test::random_tensor({2, 5, 9, 9}, IntType::signed_bits(16), rng);
    check_layer(quant::QuantizedLayer{"concat", {0, 1}, 2,
                                      quant::ConcatLayer{{dyadic_one(), to_dyadic(0.01)}, IntType::signed_bits(8)}},
                {&a, &b});
    check_layer(quant::QuantizedLayer{"requantize", {0}, 1, quant::RequantizeLayer{to_dyadic(0.02), IntType::unsigned_bits(4)}},
                {&b});
    const Tensor main = gpu_test::random_tensor({2, 5, 9, 9}, IntType::signed_bits(16), rng);
    check_layer(quant::QuantizedLayer{"add", {0, 1}, 2,
                                      quant::ResidualAddLayer{ResidualAddStage{{to_dyadic(0.5)}, to_dyadic(0.25),
                                                                               IntType::signed_bits(8), false}}},
                {&main, &b});
}
