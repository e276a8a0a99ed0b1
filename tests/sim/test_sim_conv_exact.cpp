// Random conv and fully connected layers on the SystemC model, bit-exact (==) against the
// reference ops: strides, paddings, dilations, groups (depthwise included), 2..8-bit weights,
// 2..8- and 16-bit signed/unsigned activations, with and without bias and fused residual add, on
// roomy and tiny accelerator configurations (many tiles, every loop order, edge tiles).
#include <catch2/catch.hpp>

#include <random>

#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/residual_add.h"
#include "sim/simulator.h"
#include "sim_test_support.h"

using namespace dyadic;
using simtest::ConvCase;

namespace {

Tensor reference_output(const ConvCase& c) {
    if (c.fully_connected) return fully_connected(c.input, c.weight, c.bias, c.stage);
    if (c.residual) return residual_add(conv2d_accumulate(c.input, c.weight, c.bias, c.params), c.identity, *c.residual);
    return conv2d(c.input, c.weight, c.bias, c.params, c.stage);
}

sim::LayerResult simulated_output(sim::Simulator& simulator, const ConvCase& c) {
    if (c.fully_connected) return simulator.fully_connected(c.input, c.weight, c.bias, c.stage);
    if (c.residual) return simulator.conv2d_residual(c.input, c.weight, c.bias, c.params, *c.residual, c.identity);
    return simulator.conv2d(c.input, c.weight, c.bias, c.params, c.stage);
}

void check_case(sim::Simulator& simulator, const ConvCase& c) {
    INFO(c.describe());
    const Tensor expected = reference_output(c);
    const sim::LayerResult result = simulated_output(simulator, c);
    INFO("mapping " << result.stats.mapping);
    CHECK(simtest::first_difference(result.output, expected) == "");
    // The DMA moved exactly the bytes the mapper predicted.
    CHECK(result.stats.dram_bytes() == result.stats.predicted_dram_bytes);
}

}  // namespace

TEST_CASE("sim conv layers equal the reference on the default accelerator", "[sim][exact]") {
    std::mt19937 rng(1234);
    sim::Simulator simulator(sim::default_accel_config());
    for (int i = 0; i < 60; ++i) check_case(simulator, simtest::random_conv(rng));
}

TEST_CASE("sim conv layers equal the reference with weight double buffering", "[sim][exact]") {
    // Only the timing changes: the same tiles, folds and sums, bit for bit.
    std::mt19937 rng(4242);
    for (int i = 0; i < 40; ++i) {
        sim::AccelConfig config = simtest::tiny_config(rng);
        config.weight_double_buffer = 1;
        sim::Simulator simulator(config);
        check_case(simulator, simtest::random_conv(rng));
    }
}

TEST_CASE("sim conv layers equal the reference on tiny accelerators", "[sim][exact]") {
    std::mt19937 rng(99);
    for (int i = 0; i < 80; ++i) {
        const sim::AccelConfig config = simtest::tiny_config(rng);
        INFO("array " << config.array_rows << "x" << config.array_cols << " input bank " << config.input_bank_bytes()
                      << " weight bank " << config.weight_bank_bytes() << " acc bank " << config.accumulator_bank_entries());
        sim::Simulator simulator(config);
        check_case(simulator, simtest::random_conv(rng));
    }
}

TEST_CASE("sim fully connected layers equal the reference", "[sim][exact]") {
    std::mt19937 rng(7);
    sim::Simulator roomy(sim::default_accel_config());
    for (int i = 0; i < 20; ++i) check_case(roomy, simtest::random_conv(rng, true));
    for (int i = 0; i < 30; ++i) {
        sim::Simulator tiny(simtest::tiny_config(rng));
        check_case(tiny, simtest::random_conv(rng, true));
    }
}

TEST_CASE("sim conv layers equal the reference under every loop order", "[sim][exact]") {
    std::mt19937 rng(2024);
    const sim::LoopOrder orders[] = {{sim::LoopDim::m, sim::LoopDim::t, sim::LoopDim::k},
                                     {sim::LoopDim::t, sim::LoopDim::m, sim::LoopDim::k},
                                     {sim::LoopDim::m, sim::LoopDim::k, sim::LoopDim::t},
                                     {sim::LoopDim::t, sim::LoopDim::k, sim::LoopDim::m},
                                     {sim::LoopDim::k, sim::LoopDim::m, sim::LoopDim::t},
                                     {sim::LoopDim::k, sim::LoopDim::t, sim::LoopDim::m}};
    sim::AccelConfig config = sim::default_accel_config();
    config.array_rows = 4;
    config.array_cols = 4;
    for (int i = 0; i < 12; ++i) {
        const ConvCase c = simtest::random_conv(rng);
        const int64_t area = c.weight.shape[2] * c.weight.shape[3];
        for (const sim::LoopOrder& order : orders) {
            sim::Simulator simulator(config);
            // Small tiles in every dimension, so that every loop has several iterations.
            simulator.set_mapping_override(sim::MappingOverride{4, area, 2, order});
            INFO("order " << sim::loop_order_name(order));
            check_case(simulator, c);
        }
    }
}
