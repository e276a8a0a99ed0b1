// The timing model against closed forms (docs/accelerator.md, "Cycle model"):
//  * with unconstrained memory, a layer's array cycles are exactly the weight-stationary count
//    groups x ceil(K_g / (R * macs_per_pe)) x ceil(M_g / C) x passes x (2R + C + T - 2);
//  * with finite bandwidth, a layer never takes fewer cycles than its array cycles or its DRAM
//    bytes / bandwidth, and the breakdown adds up to the total;
//  * 4-bit layers are 2x / 4x faster when compute-bound and move half the bytes when memory-bound.
#include <catch2/catch.hpp>

#include <random>

#include "sim/simulator.h"
#include "sim_test_support.h"

using namespace dyadic;
using simtest::ConvCase;
using simtest::run;

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Output pixels T of the layer (all images).
int64_t output_pixels(const ConvCase& c) {
    if (c.fully_connected) return c.input.shape[0];
    const Shape out = conv2d_output_shape(c.input.shape, c.weight.shape, c.params);
    return out[0] * out[2] * out[3];
}

// Folds of the whole layer on an R x C array, from the layer's shapes alone:
// groups x ceil(K_g / (R * macs_per_pe)) x ceil(M_g / C) x passes.
int64_t folds(const ConvCase& c, int rows, int cols) {
    const Shape& w = c.weight.shape;
    const int64_t groups = c.fully_connected ? 1 : c.params.groups;
    const int64_t m_g = w[0] / groups;
    const int64_t k_g = c.fully_connected ? w[1] : w[1] * w[2] * w[3];
    // Bricks per product: 1 per 4-bit slice pair; a PE has 4.
    const auto slices = [](int bits) { return bits <= 4 ? 1 : bits <= 8 ? 2 : 4; };
    const int bricks = slices(c.weight.type.bits) * slices(c.input.type.bits);
    const int64_t macs_per_pe = bricks <= 4 ? 4 / bricks : 1;
    const int64_t passes = bricks <= 4 ? 1 : bricks / 4;
    return groups * ceil_div(k_g, rows * macs_per_pe) * ceil_div(m_g, cols) * passes;
}

// The closed form: folds x (2R + C + T - 2).
int64_t weight_stationary_cycles(const ConvCase& c, int rows, int cols) {
    return folds(c, rows, cols) * (2 * rows + cols + output_pixels(c) - 2);
}


}  // namespace

TEST_CASE("array cycles equal the closed weight-stationary form when memory is unconstrained", "[sim][cycles]") {
    std::mt19937 rng(31);
    const int shapes[][2] = {{16, 16}, {8, 4}, {4, 16}, {32, 8}};
    for (int i = 0; i < 48; ++i) {
        const int rows = shapes[i % 4][0], cols = shapes[i % 4][1];
        sim::Simulator simulator(simtest::unconstrained_config(rows, cols));
        const ConvCase c = simtest::random_conv(rng, i % 5 == 4);
        INFO(c.describe() << " on " << rows << "x" << cols);
        // The whole layer as one tile: every fold streams all T output pixels.
        simulator.set_mapping_override(sim::MappingOverride{int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40, {}});
        const sim::LayerResult r = run(simulator, c);
        INFO("mapping " << r.stats.mapping);
        const int64_t expected = weight_stationary_cycles(c, rows, cols);
        CHECK(r.stats.compute_cycles + r.stats.fill_drain_cycles == expected);
        // Loading, post-processing and storing one tile take a cycle or two each here.
        CHECK(r.stats.total_cycles >= expected);
        CHECK(r.stats.total_cycles <= expected + 8);
    }
}

// With small memories the mapper cuts M, K and the output rows into tiles; every tile's folds
// pay the fill and drain again: sum over (m, k, t) tiles of F * (2R + C + T_tile - 2) with
// F = groups * ceil(Tm / C) * ceil(Tk / R_eff) * passes; with weight double buffering each
// tile (one step per group) pays (2R + C - 2 + T_tile) + (F_g - 1) * max(T_tile, R) per group.
static void check_tiled_cycles(uint32_t seed, int weight_double_buffer) {
    std::mt19937 rng(seed);
    int cut = 0;
    for (int i = 0; i < 60; ++i) {
        sim::AccelConfig config = simtest::tiny_config(rng);
        config.weight_double_buffer = weight_double_buffer;
        sim::Simulator simulator(config);
        const ConvCase c = simtest::random_conv(rng, i % 5 == 4);
        INFO(c.describe() << " on " << config.array_rows << "x" << config.array_cols);
        const sim::LayerResult r = run(simulator, c);
        INFO("mapping " << r.stats.mapping);
        long tile_m = 0, tile_k = 0, tile_rows = 0;
        REQUIRE(std::sscanf(r.stats.mapping.c_str(), "tiles m%ld k%ld rows%ld", &tile_m, &tile_k, &tile_rows) == 3);
        const Shape& w = c.weight.shape;
        const int64_t groups = c.fully_connected ? 1 : c.params.groups;
        const int64_t m_g = w[0] / groups;
        const int64_t k_g = c.fully_connected ? w[1] : w[1] * w[2] * w[3];
        const int64_t rows = c.fully_connected ? c.input.shape[0] : output_pixels(c) / conv2d_output_shape(c.input.shape, w, c.params)[3];
        const int64_t row_pixels = output_pixels(c) / rows;
        // The per-fold factor of this precision: folds of the uncut layer / its uncut fold count.
        const int64_t reduction_rows = config.array_rows;
        const auto slices = [](int bits) { return bits <= 4 ? 1 : bits <= 8 ? 2 : 4; };
        const int bricks = slices(c.weight.type.bits) * slices(c.input.type.bits);
        const int64_t r_eff = reduction_rows * (bricks <= 4 ? 4 / bricks : 1);
        const int64_t passes = bricks <= 4 ? 1 : bricks / 4;
        int64_t expected = 0;
        for (int64_t m0 = 0; m0 < m_g; m0 += tile_m) {
            for (int64_t k0 = 0; k0 < k_g; k0 += tile_k) {
                for (int64_t t0 = 0; t0 < rows; t0 += tile_rows) {
                    const int64_t tm = std::min<int64_t>(tile_m, m_g - m0), tk = std::min<int64_t>(tile_k, k_g - k0);
                    const int64_t pixels = std::min<int64_t>(tile_rows, rows - t0) * row_pixels;
                    const int64_t step_folds = ceil_div(tm, config.array_cols) * ceil_div(tk, r_eff) * passes;
                    const int64_t fill_drain = 2 * config.array_rows + config.array_cols - 2;
                    expected += groups * (weight_double_buffer
                                              ? fill_drain + pixels +
                                                    (step_folds - 1) * std::max<int64_t>(pixels, config.array_rows)
                                              : step_folds * (fill_drain + pixels));
                }
            }
        }
        CHECK(r.stats.compute_cycles + r.stats.fill_drain_cycles == expected);
        if (tile_m < m_g || tile_k < k_g || tile_rows < rows) ++cut;
    }
    CHECK(cut > 20);
}

TEST_CASE("array cycles of a tiled layer add up per tile and fold", "[sim][cycles]") { check_tiled_cycles(36, 0); }

TEST_CASE("with weight double buffering only each tile's first fold fills and drains", "[sim][cycles]") {
    check_tiled_cycles(37, 1);
}

TEST_CASE("weight double buffering: after the first fold a fold costs max(T, R)", "[sim][cycles]") {
    // The whole layer as one tile: (2R + C - 2 + T) + (F - 1) * max(T, R) against F * (2R + C - 2 + T)
    // without it; layers with T < R wait for their weights.
    std::mt19937 rng(41);
    const int shapes[][2] = {{16, 16}, {8, 4}, {4, 16}, {32, 8}};
    int weight_bound = 0;
    for (int i = 0; i < 48; ++i) {
        const int rows = shapes[i % 4][0], cols = shapes[i % 4][1];
        sim::AccelConfig config = simtest::unconstrained_config(rows, cols);
        config.weight_double_buffer = 1;
        sim::Simulator simulator(config);
        const ConvCase c = simtest::random_conv(rng, i % 5 == 4);
        INFO(c.describe() << " on " << rows << "x" << cols);
        simulator.set_mapping_override(sim::MappingOverride{int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40, {}});
        const sim::LayerResult r = run(simulator, c);
        const int64_t f = folds(c, rows, cols), t = output_pixels(c);
        const int64_t groups = c.fully_connected ? 1 : c.params.groups;
        // One step per group, each with F / groups folds.
        const int64_t per_group = f / groups;
        const int64_t expected = groups * (2 * rows + cols - 2 + t + (per_group - 1) * std::max<int64_t>(t, rows));
        CHECK(r.stats.compute_cycles + r.stats.fill_drain_cycles == expected);
        CHECK(r.stats.compute_cycles + r.stats.fill_drain_cycles <= weight_stationary_cycles(c, rows, cols));
        CHECK(r.stats.total_cycles <= expected + 8);
        if (per_group > 1 && t < rows) ++weight_bound;
    }
    CHECK(weight_bound > 0);
}

TEST_CASE("cycles never beat the compute bound or the memory bound", "[sim][cycles]") {
    std::mt19937 rng(32);
    for (int i = 0; i < 60; ++i) {
        const sim::AccelConfig config = i % 2 ? sim::default_accel_config() : simtest::tiny_config(rng);
        sim::Simulator simulator(config);
        const ConvCase c = simtest::random_conv(rng, i % 6 == 5);
        INFO(c.describe());
        const sim::LayerResult r = run(simulator, c);
        const sim::LayerStats& s = r.stats;
        CHECK(s.total_cycles >= s.compute_cycles + s.fill_drain_cycles);
        CHECK(s.total_cycles >= ceil_div(s.dram_bytes(), config.dram_bandwidth_bytes_per_cycle));
        CHECK(s.total_cycles == s.compute_cycles + s.fill_drain_cycles + s.memory_stall_cycles + s.post_processing_cycles);
        CHECK(s.memory_stall_cycles >= 0);
        CHECK(s.post_processing_cycles >= 0);
        CHECK(s.utilisation > 0);
        CHECK(s.utilisation <= 1);
    }
}

TEST_CASE("4-bit operands give the 2x and 4x speed-up when compute-bound", "[sim][cycles]") {
    std::mt19937 rng(33);
    sim::Simulator simulator(simtest::unconstrained_config());
    const IntType u8 = IntType::unsigned_bits(8), u4 = IntType::unsigned_bits(4);
    const IntType s8 = IntType::signed_bits(8), s4 = IntType::signed_bits(4);
    // K = 64 * 9 = 576, a multiple of 4 * 16 rows: every fold is full at every precision.
    const auto array_cycles = [&](IntType x, IntType w) {
        const sim::LayerResult r = run(simulator, simtest::dense_conv(rng, 64, 32, 14, 3, x, w, u8, 0.001));
        return std::make_pair(r.stats.compute_cycles + r.stats.fill_drain_cycles, r.stats.total_cycles);
    };
    const auto w8a8 = array_cycles(u8, s8);
    const auto w4a8 = array_cycles(u8, s4);
    const auto w8a4 = array_cycles(u4, s8);
    const auto w4a4 = array_cycles(u4, s4);
    CHECK(w8a8.first == 2 * w4a8.first);
    CHECK(w8a8.first == 2 * w8a4.first);
    CHECK(w8a8.first == 4 * w4a4.first);
    CHECK(static_cast<double>(w8a8.second) / static_cast<double>(w4a8.second) > 1.98);
    CHECK(static_cast<double>(w8a8.second) / static_cast<double>(w4a4.second) > 3.9);
}

TEST_CASE("4-bit tensors halve the DRAM traffic and nearly halve the time when memory-bound", "[sim][cycles]") {
    std::mt19937 rng(34);
    sim::AccelConfig config = simtest::unconstrained_config();
    config.dram_bandwidth_bytes_per_cycle = 1;
    config.dram_latency_cycles = 20;
    sim::Simulator simulator(config);
    // A 1x1 conv with 64 KiB of 8-bit weights and little compute: DRAM sets the time.
    const ConvCase c8 = simtest::dense_conv(rng, 256, 256, 4, 1, IntType::unsigned_bits(8), IntType::signed_bits(8),
                                            IntType::unsigned_bits(8), 0.001);
    const ConvCase c4 = simtest::dense_conv(rng, 256, 256, 4, 1, IntType::unsigned_bits(4), IntType::signed_bits(4),
                                            IntType::unsigned_bits(4), 0.001);
    const sim::LayerResult r8 = run(simulator, c8);
    const sim::LayerResult r4 = run(simulator, c4);
    // Tensor bytes (all but the 9-byte per-channel parameter records) halve exactly.
    const int64_t params = 256 * 9;
    CHECK(r8.stats.dram_bytes() - params == 2 * (r4.stats.dram_bytes() - params));
    CHECK(r8.stats.dram_bytes() - params == 256 * 256 + 2 * 256 * 16);
    CHECK(r8.stats.total_cycles >= r8.stats.dram_bytes());  // memory-bound at 1 byte per cycle
    CHECK(static_cast<double>(r4.stats.total_cycles) / static_cast<double>(r8.stats.total_cycles) < 0.55);
    CHECK(r4.stats.total_cycles >= r4.stats.dram_bytes());
}

TEST_CASE("timing-only runs take exactly the cycles of functional runs", "[sim][cycles]") {
    std::mt19937 rng(35);
    for (int i = 0; i < 20; ++i) {
        sim::Simulator simulator(i % 2 ? sim::default_accel_config() : simtest::tiny_config(rng));
        const ConvCase c = simtest::random_conv(rng, i % 4 == 3);
        INFO(c.describe());
        const sim::LayerStats functional = run(simulator, c).stats;
        const sim::LayerStats timed = simulator.time_conv(simtest::timing_spec(c));
        CHECK(timed.total_cycles == functional.total_cycles);
        CHECK(timed.compute_cycles == functional.compute_cycles);
        CHECK(timed.memory_stall_cycles == functional.memory_stall_cycles);
        CHECK(timed.dram_bytes() == functional.dram_bytes());
    }
}
