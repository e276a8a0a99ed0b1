// The energy model (docs/accelerator.md, "Energy") against hand-derived event counts:
//  * a single-tile layer's MACs, on-chip bytes, DRAM bytes and post-processing elements, counted
//    from the layer's shape alone, priced by the table, equal the reported energy;
//  * in a memory-bound layer, less bandwidth leaves every byte (and its energy) as it was and
//    adds exactly the static energy of the extra cycles; a smaller scratchpad adds exactly the
//    DRAM energy of the re-fetched bytes;
//  * static energy is cycles x static_fj_per_cycle_per_mm2 x the configuration's area, with the
//    area added up by hand, so a larger array leaks more per cycle;
//  * compute energy follows the PE's brick counts: 4x4 = 1, 4x8 = 8x4 = 2, 8x8 = 4 bricks, 2-bit
//    operands in 4-bit bricks, 16-bit activations in two 8x8 passes;
//  * timing-only runs (latency tables) count the same events as functional runs.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "sim/simulator.h"
#include "sim_test_support.h"

using namespace dyadic;
using simtest::ConvCase;
using simtest::run;

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int slices(int bits) { return bits <= 4 ? 1 : bits <= 8 ? 2 : 4; }
int storage(int bits) { return bits <= 4 ? 4 : bits <= 8 ? 8 : 16; }
int64_t packed_bytes(int64_t elements, int bits) { return ceil_div(elements * storage(bits), 8); }

// An energy table with distinct entries, so that a MAC priced in the wrong mode shows.
sim::AccelConfig with_test_energies(sim::AccelConfig c) {
    c.energy_mac_w8a8_fj = 310;
    c.energy_mac_w4a8_fj = 170;
    c.energy_mac_w8a4_fj = 130;
    c.energy_mac_w4a4_fj = 70;
    c.energy_sram_byte_fj = 2000;
    c.energy_sram_reference_bytes = 4096;
    c.energy_dram_byte_fj = 150000;
    c.energy_ppu_op_fj = 3000;
    c.energy_static_fj_per_cycle_per_mm2 = 2000;
    return c;
}

// The table's per-byte energy of a bank, written out: e_ref * sqrt(bank / reference).
double sram_fj(const sim::AccelConfig& c, int64_t bank_bytes) {
    return static_cast<double>(c.energy_sram_byte_fj) *
           std::sqrt(static_cast<double>(bank_bytes) / static_cast<double>(c.energy_sram_reference_bytes));
}

// The area of simtest::unconstrained_config(rows, cols) at the default area figures, in mm^2, added
// up by hand (docs/accelerator.md, "Area"): rows x cols PEs of 945 um^2; the input and weight
// scratchpads and both PPU buffers, each two banks of 2 MiB (128 macros of 16 KiB at 1939 um^2, plus
// 2048 KiB at 6817 um^2 per KiB); 2^20 accumulator entries of 27 um^2 plus the 128 macros of each of
// their two 2 MiB banks; 4096 lanes of 6718 um^2; 4096 x 9 B of parameters (3 macros + 36 KiB).
double unconstrained_area_mm2(const sim::AccelConfig& c) {
    REQUIRE(c.area_pe_um2 == 945);  // the figures the arithmetic below is written with
    REQUIRE(c.weight_double_buffer == 0);
    REQUIRE(c.area_sram_macro_um2 == 1939);
    REQUIRE(c.area_sram_um2_per_kib == 6817);
    REQUIRE(c.area_sram_macro_bytes == 16384);
    REQUIRE(c.area_accumulator_entry_um2 == 27);
    REQUIRE(c.area_ppu_lane_um2 == 6718);
    REQUIRE(c.ppu_param_channels == 4096);
    const double bank = 128 * 1939 + 2048 * 6817.0;
    const double um2 = static_cast<double>(c.array_rows * c.array_cols) * 945 + 4 * 2 * bank +
                       (1048576 * 27.0 + 2 * 128 * 1939) + 4096 * 6718.0 + (3 * 1939 + 36 * 6817.0);
    return um2 / 1e6;
}

// Static femtojoules per cycle of an unconstrained configuration, by hand.
double unconstrained_static_fj(const sim::AccelConfig& c) {
    return static_cast<double>(c.energy_static_fj_per_cycle_per_mm2) * unconstrained_area_mm2(c);
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::fabs(b)); }

}  // namespace

TEST_CASE("energy of a single-tile layer equals the table priced over hand-counted events", "[sim][energy]") {
    struct Case {
        int64_t c_in, m, size;
        int kernel;
        IntType x, w;
        sim::MacMode expected_mode;  // the mode the MACs are priced in
    };
    const Case cases[] = {
        {24, 40, 6, 3, IntType::unsigned_bits(8), IntType::signed_bits(8), sim::MacMode::w8a8},
        {16, 20, 8, 3, IntType::unsigned_bits(8), IntType::signed_bits(4), sim::MacMode::w4a8},
        {12, 36, 6, 1, IntType::unsigned_bits(4), IntType::signed_bits(8), sim::MacMode::w8a4},
        {40, 17, 4, 3, IntType::signed_bits(4), IntType::signed_bits(4), sim::MacMode::w4a4},
        {8, 33, 6, 3, IntType::unsigned_bits(8), IntType::signed_bits(2), sim::MacMode::w4a8},
        {6, 16, 4, 3, IntType::signed_bits(16), IntType::signed_bits(8), sim::MacMode::w8a8},
    };
    std::mt19937 rng(71);
    const int rows = 8, cols = 16;
    const sim::AccelConfig config = with_test_energies(simtest::unconstrained_config(rows, cols));
    sim::Simulator simulator(config);
    simulator.set_mapping_override(sim::MappingOverride{int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40, {}});
    for (const Case& k : cases) {
        const IntType out_type = IntType::unsigned_bits(8);
        const ConvCase c = simtest::dense_conv(rng, k.c_in, k.m, k.size, k.kernel, k.x, k.w, out_type, 0.0005);
        INFO(c.describe());
        const sim::LayerResult r = run(simulator, c);
        const sim::LayerStats& s = r.stats;

        // The layer's GEMM: M x K weights, K x P inputs (one step: the whole layer is one tile).
        const int64_t m = k.m, kk = k.c_in * k.kernel * k.kernel, p = k.size * k.size;
        const int ws = slices(k.w.bits), as = slices(k.x.bits), bricks = ws * as;
        const int64_t macs_per_pe = bricks <= 4 ? 4 / bricks : 1, passes = bricks <= 4 ? 1 : bricks / 4;
        const int64_t parts = (ws == 4 ? 2 : 1) * (as == 4 ? 2 : 1);  // 8-bit-slice pairs of a 16-bit operand
        const int64_t column_folds = ceil_div(m, cols);
        const int64_t reduction_folds = ceil_div(kk, rows * macs_per_pe) * passes;

        std::array<int64_t, sim::kMacModes> mac_ops{};
        mac_ops[static_cast<size_t>(k.expected_mode)] = m * kk * p * parts;
        CHECK(s.mac_ops == mac_ops);

        // Bytes per memory: DMA writes and compute reads (input and weight scratchpads), array
        // read-modify-writes per reduction fold plus the PPU's read (accumulators), parameter
        // records, output tile written by the PPU and read by the store.
        const int64_t input_bytes = k.c_in * k.size * packed_bytes(k.size, k.x.bits);
        const int64_t weight_bytes = m * packed_bytes(kk, k.w.bits);
        const int64_t output_bytes = m * k.size * packed_bytes(k.size, out_type.bits);
        using M = sim::OnChipMemory;
        CHECK(s.traffic(M::input_scratchpad).write_bytes == input_bytes);
        CHECK(s.traffic(M::input_scratchpad).read_bytes == packed_bytes(passes * column_folds * p * kk, k.x.bits));
        CHECK(s.traffic(M::weight_scratchpad).write_bytes == weight_bytes);
        CHECK(s.traffic(M::weight_scratchpad).read_bytes == packed_bytes(passes * m * kk, k.w.bits));
        CHECK(s.traffic(M::accumulators).write_bytes == 4 * reduction_folds * m * p);
        CHECK(s.traffic(M::accumulators).read_bytes == 4 * ((reduction_folds - 1) * m * p + m * p));
        CHECK(s.traffic(M::ppu_params).write_bytes == 9 * m);
        CHECK(s.traffic(M::ppu_params).read_bytes == 9 * m);
        CHECK(s.traffic(M::ppu_input).bytes() == 0);
        CHECK(s.traffic(M::ppu_output).write_bytes == output_bytes);
        CHECK(s.traffic(M::ppu_output).read_bytes == output_bytes);
        const int64_t dram_bytes = input_bytes + weight_bytes + 9 * m + output_bytes;
        CHECK(s.dram_bytes() == dram_bytes);
        CHECK(s.ppu_ops == m * p);

        // The table's prices, each memory at its own bank size.
        const int64_t mode_fj = k.expected_mode == sim::MacMode::w8a8   ? config.energy_mac_w8a8_fj
                                : k.expected_mode == sim::MacMode::w4a8 ? config.energy_mac_w4a8_fj
                                : k.expected_mode == sim::MacMode::w8a4 ? config.energy_mac_w8a4_fj
                                                                        : config.energy_mac_w4a4_fj;
        const double compute_fj = static_cast<double>(m * kk * p * parts * mode_fj);
        const int64_t in_bank = config.input_scratchpad_bytes / 2, w_bank = config.weight_scratchpad_bytes / 2;
        const int64_t acc_bank = config.accumulator_entries / 2 * 4, params_bank = config.ppu_param_channels * 9;
        const int64_t out_bank = config.ppu_output_buffer_bytes / 2;
        const double sram =
            static_cast<double>(input_bytes + packed_bytes(passes * column_folds * p * kk, k.x.bits)) * sram_fj(config, in_bank) +
            static_cast<double>(weight_bytes + packed_bytes(passes * m * kk, k.w.bits)) * sram_fj(config, w_bank) +
            static_cast<double>(4 * (2 * reduction_folds * m * p)) * sram_fj(config, acc_bank) +
            static_cast<double>(18 * m) * sram_fj(config, params_bank) +
            static_cast<double>(2 * output_bytes) * sram_fj(config, out_bank);
        CHECK(close(s.energy.compute_pj, compute_fj / 1000));
        CHECK(close(s.energy.scratchpads_pj, sram / 1000));
        CHECK(close(s.energy.dram_pj, static_cast<double>(dram_bytes * config.energy_dram_byte_fj) / 1000));
        CHECK(close(s.energy.ppu_pj, static_cast<double>(m * p * config.energy_ppu_op_fj) / 1000));
        // Cycles are the cycle model's (test_sim_cycles checks them); static energy prices them.
        const double static_fj = static_cast<double>(s.total_cycles) * unconstrained_static_fj(config);
        CHECK(close(s.energy.static_pj, static_fj / 1000));
        CHECK(close(s.energy.total_pj(), (compute_fj + sram + static_cast<double>(dram_bytes * config.energy_dram_byte_fj) +
                                          static_cast<double>(m * p * config.energy_ppu_op_fj) +
                                          static_fj) /
                                             1000));
    }
}

TEST_CASE("energy in a memory-bound layer: bandwidth changes only static energy, re-fetches add DRAM energy",
          "[sim][energy]") {
    std::mt19937 rng(72);
    // A 1x1 conv with 64 KiB of weights and little compute: DRAM sets the time.
    const ConvCase c = simtest::dense_conv(rng, 256, 256, 4, 1, IntType::unsigned_bits(8), IntType::signed_bits(8),
                                           IntType::unsigned_bits(8), 0.0005);
    sim::AccelConfig fast = with_test_energies(simtest::unconstrained_config());
    fast.dram_bandwidth_bytes_per_cycle = 4;
    fast.dram_latency_cycles = 20;
    sim::AccelConfig slow = fast;
    slow.dram_bandwidth_bytes_per_cycle = 2;
    // The same tiling at both bandwidths (the mapper's choice depends on the bandwidth): one tile.
    const sim::MappingOverride whole{int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40, {}};
    sim::Simulator fast_simulator(fast);
    fast_simulator.set_mapping_override(whole);
    const sim::LayerStats a = run(fast_simulator, c).stats;
    sim::Simulator slow_simulator(slow);
    slow_simulator.set_mapping_override(whole);
    const sim::LayerStats b = run(slow_simulator, c).stats;
    INFO("mappings " << a.mapping << " / " << b.mapping);
    REQUIRE(a.mapping == b.mapping);
    CHECK(b.total_cycles > a.total_cycles);
    CHECK(b.total_cycles >= b.dram_bytes() / 2);
    CHECK(b.dram_bytes() == a.dram_bytes());
    CHECK(b.mac_ops == a.mac_ops);
    CHECK(b.energy.dram_pj == a.energy.dram_pj);
    CHECK(b.energy.compute_pj == a.energy.compute_pj);
    CHECK(b.energy.scratchpads_pj == a.energy.scratchpads_pj);
    CHECK(b.energy.ppu_pj == a.energy.ppu_pj);
    CHECK(close(b.energy.static_pj - a.energy.static_pj,
                static_cast<double>(b.total_cycles - a.total_cycles) * unconstrained_static_fj(fast) / 1000));
    CHECK(b.energy.total_pj() > a.energy.total_pj());

    // Scratchpads and accumulators too small for the whole layer: tiles are re-fetched, and every
    // extra DRAM byte costs dram_byte_fj.
    sim::AccelConfig small = fast;
    small.weight_scratchpad_bytes = 8192;
    small.input_scratchpad_bytes = 2048;
    small.accumulator_entries = 2048;  // not every output channel's partial sums live at once
    sim::Simulator small_simulator(small);
    const sim::LayerStats t = run(small_simulator, c).stats;
    INFO("tiled mapping " << t.mapping);
    CHECK(t.dram_bytes() > a.dram_bytes());
    CHECK(t.energy.dram_pj - a.energy.dram_pj ==
          Approx(static_cast<double>((t.dram_bytes() - a.dram_bytes()) * fast.energy_dram_byte_fj) / 1000).epsilon(1e-12));
    CHECK(t.mac_ops == a.mac_ops);  // the same MACs, cut into tiles
    CHECK(t.energy.compute_pj == a.energy.compute_pj);
    CHECK(t.energy.ppu_pj == a.energy.ppu_pj);
    // (The smaller banks cost less per byte, e_sram ~ sqrt(size): the trade-off explore sweeps.)
    CHECK(t.energy.scratchpads_pj < a.energy.scratchpads_pj);
}

TEST_CASE("static energy scales with the configuration's area: a larger array leaks more per cycle", "[sim][energy]") {
    std::mt19937 rng(75);
    const ConvCase c = simtest::dense_conv(rng, 32, 48, 8, 3, IntType::unsigned_bits(8), IntType::signed_bits(8),
                                           IntType::unsigned_bits(8), 0.0005);
    INFO(c.describe());
    // The default configuration's area, 7285617 um^2, is added up by hand in test_sim_config.cpp
    // ("the default configuration's area is the figure of docs/accelerator.md"); other array
    // sizes add or remove 945 um^2 per PE.
    constexpr double kDefaultAreaUm2 = 7285617;
    const sim::AccelConfig defaults = sim::default_accel_config();
    REQUIRE(defaults.area_pe_um2 == 945);
    REQUIRE(defaults.array_rows * defaults.array_cols == 256);
    // The default density keeps the default configuration near 25 pJ of leakage per cycle, the
    // figure that preceded it (docs/accelerator.md, "Energy").
    const double default_fj_per_cycle = static_cast<double>(defaults.energy_static_fj_per_cycle_per_mm2) * kDefaultAreaUm2 / 1e6;
    CHECK(std::fabs(default_fj_per_cycle - 25000) < 25);
    std::vector<double> leakage_per_cycle;
    for (const int side : {8, 16, 32}) {
        sim::AccelConfig config = defaults;
        config.array_rows = config.array_cols = side;
        sim::Simulator simulator(config);
        const sim::LayerStats s = run(simulator, c).stats;
        const double area_um2 = kDefaultAreaUm2 + static_cast<double>(side * side - 256) * 945;
        const double fj_per_cycle = static_cast<double>(config.energy_static_fj_per_cycle_per_mm2) * area_um2 / 1e6;
        INFO(side << " x " << side);
        CHECK(close(s.energy.static_pj, static_cast<double>(s.total_cycles) * fj_per_cycle / 1000));
        leakage_per_cycle.push_back(s.energy.static_pj / static_cast<double>(s.total_cycles));
    }
    CHECK(leakage_per_cycle[0] < leakage_per_cycle[1]);
    CHECK(leakage_per_cycle[1] < leakage_per_cycle[2]);
    // No leakage density, no static energy.
    sim::AccelConfig dark = defaults;
    dark.energy_static_fj_per_cycle_per_mm2 = 0;
    sim::Simulator dark_simulator(dark);
    CHECK(run(dark_simulator, c).stats.energy.static_pj == 0);
}

TEST_CASE("compute energy of compute-bound layers follows the brick counts", "[sim][energy]") {
    std::mt19937 rng(73);
    // The default table prices a MAC at its bricks x mac_w4a4_fj: one PE cycle costs the same in
    // every mode, and a mode with fewer bricks per MAC does more MACs per cycle.
    const sim::AccelConfig defaults = sim::default_accel_config();
    CHECK(defaults.energy_mac_w4a8_fj == 2 * defaults.energy_mac_w4a4_fj);
    CHECK(defaults.energy_mac_w8a4_fj == 2 * defaults.energy_mac_w4a4_fj);
    CHECK(defaults.energy_mac_w8a8_fj == 4 * defaults.energy_mac_w4a4_fj);
    sim::Simulator simulator(simtest::unconstrained_config());
    struct Precision {
        int w, x;
    };
    const Precision precisions[] = {{8, 8}, {4, 8}, {8, 4}, {4, 4}, {2, 8}, {2, 2}, {3, 6}, {8, 16}};
    for (const Precision& pr : precisions) {
        const IntType x_type = pr.x == 16 ? IntType::signed_bits(16) : IntType::unsigned_bits(pr.x);
        const ConvCase c = simtest::dense_conv(rng, 64, 64, 8, 3, x_type, IntType::signed_bits(pr.w),
                                               IntType::unsigned_bits(8), 0.0005);
        INFO(c.describe());
        const sim::LayerStats s = run(simulator, c).stats;
        const int64_t macs = 64 * 64 * 9 * 64;
        CHECK(s.macs == macs);
        const int64_t bricks = slices(pr.w) * slices(pr.x);
        CHECK(s.energy.compute_pj * 1000 == Approx(static_cast<double>(macs * bricks * defaults.energy_mac_w4a4_fj)).epsilon(1e-12));
    }
}

TEST_CASE("timing-only runs count the events of functional runs", "[sim][energy]") {
    std::mt19937 rng(74);
    for (int i = 0; i < 12; ++i) {
        const sim::AccelConfig config = with_test_energies(simtest::tiny_config(rng));
        sim::Simulator simulator(config);
        ConvCase c = simtest::random_conv(rng);
        INFO(c.describe());
        const sim::LayerStats functional =
            c.residual ? simulator.conv2d_residual(c.input, c.weight, c.bias, c.params, *c.residual, c.identity).stats
                       : run(simulator, c).stats;
        const sim::LayerStats timed = simulator.time_conv(simtest::timing_spec(c));
        CHECK(timed.mac_ops == functional.mac_ops);
        for (int m = 0; m < sim::kOnChipMemories; ++m) {
            INFO(sim::memory_name(static_cast<sim::OnChipMemory>(m)));
            CHECK(timed.memory_traffic[static_cast<size_t>(m)].read_bytes ==
                  functional.memory_traffic[static_cast<size_t>(m)].read_bytes);
            CHECK(timed.memory_traffic[static_cast<size_t>(m)].write_bytes ==
                  functional.memory_traffic[static_cast<size_t>(m)].write_bytes);
        }
        CHECK(timed.ppu_ops == functional.ppu_ops);
        CHECK(timed.energy.total_pj() == functional.energy.total_pj());
        // Tiles or not, every MAC of the layer is counted once (in one mode).
        int64_t ops = 0;
        for (const int64_t n : timed.mac_ops) ops += n;
        const int64_t parts = (slices(c.weight.type.bits) == 4 ? 2 : 1) * (slices(c.input.type.bits) == 4 ? 2 : 1);
        CHECK(ops == timed.macs * parts);
    }
}
