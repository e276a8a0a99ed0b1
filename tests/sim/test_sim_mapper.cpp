// The mapper: traffic it predicts is the traffic the DMA moves; its loop order moves no more
// bytes than any other order of the same tiles (measured by simulation); DRAM bytes of a layer
// that fits in one tile are exactly the bytes of its tensors in the storage format; and a layer
// that fits no tiling is refused with a clear error.
#include <catch2/catch.hpp>

#include <random>

#include "util/error.h"
#include "sim/simulator.h"
#include "sim_test_support.h"

using namespace dyadic;

namespace {

const sim::LoopOrder kOrders[] = {{sim::LoopDim::m, sim::LoopDim::t, sim::LoopDim::k},
                                  {sim::LoopDim::t, sim::LoopDim::m, sim::LoopDim::k},
                                  {sim::LoopDim::m, sim::LoopDim::k, sim::LoopDim::t},
                                  {sim::LoopDim::t, sim::LoopDim::k, sim::LoopDim::m},
                                  {sim::LoopDim::k, sim::LoopDim::m, sim::LoopDim::t},
                                  {sim::LoopDim::k, sim::LoopDim::t, sim::LoopDim::m}};

// "tiles m16 k576 rows4 order ..." -> the three tile sizes.
sim::MappingOverride parse_tiles(const std::string& mapping) {
    sim::MappingOverride o;
    std::sscanf(mapping.c_str(), "tiles m%ld k%ld rows%ld", &o.tile_m, &o.tile_k, &o.tile_rows);
    return o;
}

}  // namespace

TEST_CASE("the mapper's loop order moves no more DRAM bytes than any other order", "[sim][mapper]") {
    std::mt19937 rng(41);
    int compared = 0;
    for (int i = 0; i < 25; ++i) {
        const sim::AccelConfig config = simtest::tiny_config(rng);
        const simtest::ConvCase c = simtest::random_conv(rng);
        if (c.residual) continue;
        INFO(c.describe());
        sim::Simulator simulator(config);
        const sim::LayerResult chosen = simulator.conv2d(c.input, c.weight, c.bias, c.params, c.stage);
        INFO("chosen " << chosen.stats.mapping);
        sim::MappingOverride forced = parse_tiles(chosen.stats.mapping);
        REQUIRE(forced.tile_m > 0);
        for (const sim::LoopOrder& order : kOrders) {
            forced.order = order;
            simulator.set_mapping_override(forced);
            try {
                const sim::LayerResult other = simulator.conv2d(c.input, c.weight, c.bias, c.params, c.stage);
                INFO("other " << other.stats.mapping);
                CHECK(chosen.stats.dram_bytes() <= other.stats.dram_bytes());
                CHECK(other.stats.dram_bytes() == other.stats.predicted_dram_bytes);
                ++compared;
            } catch (const Error&) {
                // This order's live partial sums do not fit the accumulator: not a candidate.
            }
        }
        simulator.set_mapping_override(std::nullopt);
    }
    CHECK(compared > 40);
}

TEST_CASE("a single-tile layer moves exactly its tensors' bytes", "[sim][mapper]") {
    std::mt19937 rng(42);
    sim::Simulator simulator(simtest::unconstrained_config());
    // int4 input with odd width 7: each 7-element row takes 4 bytes; int8 weights [12, 5, 3, 3];
    // uint4 output rows of 7 take 4 bytes; 9 parameter bytes per output channel.
    simtest::ConvCase c;
    c.input = simtest::random_tensor({2, 5, 7, 7}, IntType::signed_bits(4), rng);
    c.weight = simtest::random_weights({12, 5, 3, 3}, IntType::signed_bits(8), rng);
    c.params.pad_top = c.params.pad_left = c.params.pad_bottom = c.params.pad_right = 1;
    c.stage.output_type = IntType::unsigned_bits(4);
    c.stage.multipliers = {to_dyadic(0.01)};
    const sim::LayerResult r = simulator.conv2d(c.input, c.weight, c.bias, c.params, c.stage);
    CHECK(r.stats.dram_read_bytes == 2 * 5 * 7 * 4 + 12 * 45 + 12 * 9);
    CHECK(r.stats.dram_write_bytes == 2 * 12 * 7 * 4);

    // A fully connected layer [3, 301] x [10, 301], 4-bit weights: rows of 301 take 151 bytes.
    const Tensor x = simtest::random_tensor({3, 301}, IntType::unsigned_bits(8), rng);
    const Tensor w = simtest::random_weights({10, 301}, IntType::signed_bits(4), rng);
    OutputStage stage;
    stage.output_type = IntType::signed_bits(8);
    stage.multipliers = {to_dyadic(0.001)};
    const sim::LayerResult fc = simulator.fully_connected(x, w, Tensor(), stage);
    CHECK(fc.stats.dram_read_bytes == 3 * 301 + 10 * 151 + 10 * 9);
    CHECK(fc.stats.dram_write_bytes == 3 * 10);
}

TEST_CASE("a layer that fits no tiling is refused with a clear error", "[sim][mapper]") {
    std::mt19937 rng(43);
    sim::AccelConfig config = sim::default_accel_config();
    config.input_scratchpad_bytes = 64;  // 32-byte banks: not even one 3-row strip of a 40-wide input
    sim::Simulator simulator(config);
    simtest::ConvCase c;
    c.input = simtest::random_tensor({1, 4, 40, 40}, IntType::unsigned_bits(8), rng);
    c.weight = simtest::random_weights({8, 4, 3, 3}, IntType::signed_bits(8), rng);
    c.stage.output_type = IntType::unsigned_bits(8);
    c.stage.multipliers = {to_dyadic(0.01)};
    CHECK_THROWS_WITH(simulator.conv2d(c.input, c.weight, c.bias, c.params, c.stage),
                      Catch::Contains("no tiling") && Catch::Contains("input bank"));

    sim::AccelConfig few_params = sim::default_accel_config();
    few_params.ppu_param_channels = 4;
    sim::Simulator small(few_params);
    CHECK_THROWS_WITH(small.conv2d(c.input, c.weight, c.bias, c.params, c.stage),
                      Catch::Contains("parameter memory"));
}

TEST_CASE("the simulator rejects bad layers as the reference does", "[sim][errors]") {
    std::mt19937 rng(44);
    sim::Simulator simulator(sim::default_accel_config());
    const Tensor x = simtest::random_tensor({1, 3, 8, 8}, IntType::unsigned_bits(8), rng);
    const Tensor w = simtest::random_weights({4, 2, 3, 3}, IntType::signed_bits(8), rng);
    OutputStage stage;
    stage.output_type = IntType::unsigned_bits(8);
    stage.multipliers = {to_dyadic(0.01)};
    CHECK_THROWS_AS(simulator.conv2d(x, w, Tensor(), Conv2dParams{}, stage), Error);  // C_in mismatch
    OutputStage bad = stage;
    bad.multipliers = {Dyadic{5, 3}};
    const Tensor w_ok = simtest::random_weights({4, 3, 3, 3}, IntType::signed_bits(8), rng);
    CHECK_THROWS_WITH(simulator.conv2d(x, w_ok, Tensor(), Conv2dParams{}, bad), Catch::Contains("malformed"));
    bad.multipliers = {stage.multipliers[0], stage.multipliers[0]};
    CHECK_THROWS_WITH(simulator.conv2d(x, w_ok, Tensor(), Conv2dParams{}, bad), Catch::Contains("multipliers"));
}

TEST_CASE("an accumulator leaving int32 is an error, as in the reference", "[sim][errors]") {
    sim::Simulator simulator(sim::default_accel_config());
    // 16 products of 127 * 255 on top of a bias just below 2^31.
    Tensor x({1, 16, 1, 1}, IntType::unsigned_bits(8));
    Tensor w({2, 16, 1, 1}, IntType::signed_bits(8));
    for (int32_t& v : x.data) v = 255;
    for (int32_t& v : w.data) v = 127;
    Tensor bias({2}, IntType::int32(), {2147483000, 0});
    OutputStage stage;
    stage.output_type = IntType::unsigned_bits(8);
    stage.multipliers = {to_dyadic(0.001)};
    CHECK_THROWS_AS(conv2d(x, w, bias, Conv2dParams{}, stage), Error);
    CHECK_THROWS_WITH(simulator.conv2d(x, w, bias, Conv2dParams{}, stage),
                      Catch::Contains("overflow") && Catch::Contains("[0, 0, 0, 0]"));
    // The simulator stays usable after the error.
    bias.data[0] = 0;
    CHECK(simtest::first_difference(simulator.conv2d(x, w, bias, Conv2dParams{}, stage).output,
                                    conv2d(x, w, bias, Conv2dParams{}, stage)) == "");
}
