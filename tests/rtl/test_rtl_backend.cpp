// The rtl backend (rtl/rtl_backend.h, the Verilated core at the configured 16 x 16 size) against
// the reference backend, layer by layer with ==: 360 random conv2d (grouped, depthwise, strided,
// padded, dilated), conv + fused residual, fully connected, standalone residual add, requantize
// and concat layers over every operand width the PE takes, with multipliers aimed so that outputs
// land inside the output range (rounding matters) as well as saturate; 300 random max, average and
// global average pools (clipped windows, every input width up to 16 bits) and the pooling examples
// of docs/semantics.md; 60 random pools in the SystemC model with the RTL core inside (sim --core
// rtl) against the reference and the behavioural core's cycles. On a 4 x 3 array with weight double
// buffering (the unit tests' model, with the configured PPU): 60 random conv, conv + residual and FC
// layers on the backend against the reference, and 60 in the SystemC model with that core inside,
// tiled and untiled, against the reference and the behavioural model's cycles, layer by layer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "Vdyadic_rtl_test_array_db.h"
#include "graph/quant/reference_backend.h"
#include "rtl/array_unit.h"
#include "rtl/rtl_backend.h"
#include "rtl/rtl_compute_core.h"
#include "sim/sim_backend.h"

using namespace dyadic;
using namespace dyadic::quant;

namespace {

class RandomLayers {
public:
    explicit RandomLayers(uint64_t seed) : rng_(seed) {}

    int64_t uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }

    IntType operand_type(bool allow_unsigned) {
        return IntType{static_cast<int>(uniform(2, 8)), allow_unsigned ? uniform(0, 1) == 1 : true};
    }
    IntType output_type() { return IntType{static_cast<int>(uniform(2, 16)), uniform(0, 1) == 1}; }

    Tensor tensor(const Shape& shape, const IntType& type) {
        Tensor t(shape, type);
        for (int32_t& v : t.data) {
            const int64_t pick = uniform(0, 7);
            v = static_cast<int32_t>(pick == 0 ? type.min() : pick == 1 ? type.max() : uniform(type.min(), type.max()));
        }
        return t;
    }

    // A multiplier that maps a typical |sum| of `typical` onto a quarter of the output range, give or
    // take 4x: mostly inside the range, sometimes saturating.
    Dyadic aimed(double typical, const IntType& out) {
        const double ratio = std::ldexp(1.0, out.bits - 3) / std::max(1.0, typical) * std::ldexp(1.0, static_cast<int>(uniform(-2, 2)));
        return to_dyadic(std::clamp(ratio, 1e-9, 1e6));
    }
    std::vector<Dyadic> multipliers(int64_t channels, double typical, const IntType& out) {
        std::vector<Dyadic> m(static_cast<size_t>(uniform(0, 3) == 0 ? 1 : channels));
        for (Dyadic& d : m) d = aimed(typical, out);
        return m;
    }
    Tensor bias(int64_t channels) {
        if (uniform(0, 3) == 0) return Tensor({}, IntType::int32());
        Tensor b({channels}, IntType::int32());
        for (int32_t& v : b.data) v = static_cast<int32_t>(uniform(-5000, 5000));
        return b;
    }

private:
    std::mt19937_64 rng_;
};

struct Case {
    QuantizedLayer layer;
    std::vector<Tensor> inputs;
};

Case random_conv(RandomLayers& r, bool residual) {
    const int64_t groups_kind = r.uniform(0, 2);
    const int64_t per_group_in = groups_kind == 2 ? 1 : r.uniform(1, 5);
    const int64_t groups = groups_kind == 0 ? 1 : r.uniform(2, 4);
    const int64_t per_group_out = groups_kind == 2 ? 1 : r.uniform(1, 20);
    Conv2dParams p;
    p.groups = static_cast<int>(groups);
    p.stride_h = static_cast<int>(r.uniform(1, 2));
    p.stride_w = static_cast<int>(r.uniform(1, 2));
    p.dilation_h = static_cast<int>(r.uniform(1, 2));
    p.dilation_w = static_cast<int>(r.uniform(1, 2));
    p.pad_top = static_cast<int>(r.uniform(0, 2));
    p.pad_bottom = static_cast<int>(r.uniform(0, 2));
    p.pad_left = static_cast<int>(r.uniform(0, 2));
    p.pad_right = static_cast<int>(r.uniform(0, 2));
    const int64_t kh = r.uniform(1, 3), kw = r.uniform(1, 3);
    const int64_t h = std::max<int64_t>(r.uniform(1, 8), (kh - 1) * p.dilation_h + 1 - p.pad_top - p.pad_bottom);
    const int64_t w = std::max<int64_t>(r.uniform(1, 8), (kw - 1) * p.dilation_w + 1 - p.pad_left - p.pad_right);
    const IntType x_type = r.operand_type(true), w_type = r.operand_type(false);
    const int64_t c_in = groups * per_group_in, c_out = groups * per_group_out;

    Conv2dLayer op;
    op.weight = r.tensor({c_out, per_group_in, kh, kw}, w_type);
    op.bias = r.bias(c_out);
    op.params = p;
    const double typical = std::sqrt(static_cast<double>(per_group_in * kh * kw)) * std::ldexp(1.0, w_type.bits - 1) *
                           std::ldexp(1.0, x_type.bits - 1);
    const IntType out = r.output_type();
    Case c;
    c.inputs.push_back(r.tensor({r.uniform(1, 2), c_in, h, w}, x_type));
    if (residual) {
        const IntType id_type{static_cast<int>(r.uniform(2, 16)), r.uniform(0, 1) == 1};
        op.residual = FusedResidual{ResidualAddStage{r.multipliers(c_out, typical, out),
                                                     r.aimed(std::ldexp(1.0, id_type.bits), out), out, r.uniform(0, 1) == 1}};
        c.inputs.push_back(r.tensor(conv2d_output_shape(c.inputs[0].shape, op.weight.shape, p), id_type));
    } else {
        op.output_stage = OutputStage{r.multipliers(c_out, typical, out), out, r.uniform(0, 1) == 1};
    }
    c.layer = QuantizedLayer{residual ? "conv_res" : "conv", residual ? std::vector<TensorId>{0, 1} : std::vector<TensorId>{0}, 2, op};
    return c;
}

Case random_fc(RandomLayers& r) {
    const int64_t k = r.uniform(1, 150), m = r.uniform(1, 40);
    const IntType x_type = r.operand_type(true), w_type = r.operand_type(false), out = r.output_type();
    FullyConnectedLayer op;
    op.weight = r.tensor({m, k}, w_type);
    op.bias = r.bias(m);
    const double typical = std::sqrt(static_cast<double>(k)) * std::ldexp(1.0, w_type.bits - 1) * std::ldexp(1.0, x_type.bits - 1);
    op.output_stage = OutputStage{r.multipliers(m, typical, out), out, r.uniform(0, 1) == 1};
    Case c;
    c.inputs.push_back(r.tensor({r.uniform(1, 3), k}, x_type));
    c.layer = QuantizedLayer{"fc", {0}, 1, op};
    return c;
}

Case random_stream(RandomLayers& r, int kind) {
    const Shape shape{r.uniform(1, 2), r.uniform(1, 6), r.uniform(1, 5), r.uniform(1, 5)};
    const IntType out = r.output_type();
    Case c;
    if (kind == 0) {  // standalone residual add, main up to int32
        const IntType main_type = r.uniform(0, 1) ? IntType::int32() : IntType::signed_bits(16);
        const IntType id_type{static_cast<int>(r.uniform(2, 16)), r.uniform(0, 1) == 1};
        c.inputs = {r.tensor(shape, main_type), r.tensor(shape, id_type)};
        const ResidualAddLayer op{ResidualAddStage{r.multipliers(shape[1], std::ldexp(1.0, main_type.bits - 1), out),
                                                   r.aimed(std::ldexp(1.0, id_type.bits), out), out, r.uniform(0, 1) == 1}};
        c.layer = QuantizedLayer{"add", {0, 1}, 2, op};
    } else if (kind == 1) {  // requantize: a one-input concat
        const IntType in_type{16, true};
        c.inputs = {r.tensor(shape, in_type)};
        c.layer = QuantizedLayer{"requantize", {0}, 1, RequantizeLayer{r.aimed(32768, out), out}};
    } else {  // concat of two or three inputs with their own multipliers
        const int64_t count = r.uniform(2, 3);
        ConcatLayer op{{}, out};
        std::vector<TensorId> ids;
        for (int64_t i = 0; i < count; ++i) {
            Shape s = shape;
            s[1] = r.uniform(1, 4);
            const IntType t = r.operand_type(true);
            c.inputs.push_back(r.tensor(s, t));
            op.multipliers.push_back(r.aimed(std::ldexp(1.0, t.bits), out));
            ids.push_back(static_cast<TensorId>(i));
        }
        c.layer = QuantizedLayer{"concat", ids, static_cast<TensorId>(count), op};
    }
    return c;
}

// A max, average or global average pool over a random geometry (padding up to kernel - 1, so that
// windows are clipped), any input width up to 16 bits, and (average) multipliers per window count.
Case random_pool(RandomLayers& r, int kind) {
    Pool2dParams p;
    p.kernel_h = static_cast<int>(r.uniform(1, 4));
    p.kernel_w = static_cast<int>(r.uniform(1, 4));
    p.stride_h = static_cast<int>(r.uniform(1, 3));
    p.stride_w = static_cast<int>(r.uniform(1, 3));
    p.pad_top = static_cast<int>(r.uniform(0, p.kernel_h - 1));
    p.pad_bottom = static_cast<int>(r.uniform(0, p.kernel_h - 1));
    p.pad_left = static_cast<int>(r.uniform(0, p.kernel_w - 1));
    p.pad_right = static_cast<int>(r.uniform(0, p.kernel_w - 1));
    const Shape shape{r.uniform(1, 2), r.uniform(1, 5), r.uniform(p.kernel_h, 9), r.uniform(p.kernel_w, 9)};
    const IntType in_type{static_cast<int>(r.uniform(2, 16)), r.uniform(0, 1) == 1};
    const IntType out = r.output_type();
    Case c;
    c.inputs = {r.tensor(shape, in_type)};
    // Aimed so that an average of typical elements lands in the output range: the ratio q, with 1/k folded in.
    const double q = std::ldexp(1.0, out.bits - in_type.bits) * std::ldexp(1.0, static_cast<int>(r.uniform(-1, 2)));
    if (kind == 0) {
        c.layer = QuantizedLayer{"max_pool", {0}, 1, MaxPool2dLayer{p}};
    } else if (kind == 1) {
        c.layer = QuantizedLayer{"average_pool", {0}, 1,
                                 AveragePool2dLayer{p, make_average_pool_stage(q, p.kernel_h * p.kernel_w, out, r.uniform(0, 1) == 1)}};
    } else {
        c.layer = QuantizedLayer{"global_average_pool", {0}, 1,
                                 GlobalAveragePoolLayer{to_dyadic(q / static_cast<double>(shape[2] * shape[3])), out}};
    }
    return c;
}

// The unit tests' 4 x 3 array with weight double buffering (tests/rtl/CMakeLists.txt).
constexpr int kSmallRows = 4, kSmallCols = 3;
std::unique_ptr<rtl::ArrayUnit> small_double_buffered_array() {
    return std::make_unique<rtl::VerilatedArray<Vdyadic_rtl_test_array_db>>(kSmallRows, kSmallCols, true);
}

// Random conv, conv + fused residual and FC layers, in turn.
Case random_array_layer(RandomLayers& r, int i) {
    return i % 3 == 0 ? random_conv(r, false) : i % 3 == 1 ? random_conv(r, true) : random_fc(r);
}

}  // namespace

TEST_CASE("rtl backend: 300 random pooling layers equal the reference", "[rtl][backend][pool]") {
    RandomLayers random(17);
    rtl::RtlBackend rtl_backend;
    ReferenceBackend reference;
    int64_t elements = 0, interior = 0, clipped = 0;
    for (int i = 0; i < 300; ++i) {
        const Case c = random_pool(random, i % 3);
        std::vector<const Tensor*> inputs{&c.inputs[0]};
        INFO("case " << i << ": " << op_name(c.layer.op));
        REQUIRE(rtl_backend.unsupported_reason(c.layer, inputs).empty());
        const Tensor expected = reference.run_layer(c.layer, inputs);
        const Tensor got = rtl_backend.run_layer(c.layer, inputs);
        CHECK(got.shape == expected.shape);
        CHECK(got.type == expected.type);
        CHECK(got.data == expected.data);
        for (const int32_t v : expected.data) interior += v > expected.type.min() && v < expected.type.max();
        elements += expected.size();
        if (const auto* pool = std::get_if<AveragePool2dLayer>(&c.layer.op)) {
            clipped += pool->params.pad_top + pool->params.pad_left + pool->params.pad_bottom + pool->params.pad_right > 0;
        }
    }
    INFO(interior << " of " << elements << " outputs inside the range, " << clipped << " padded average pools");
    CHECK(interior * 3 > elements);  // unsigned outputs of signed inputs send many of the rest to 0
    CHECK(clipped > 20);
}

TEST_CASE("sim --core rtl: random pooling layers equal the reference in the behavioural core's cycles", "[rtl][backend][pool]") {
    RandomLayers random(23);
    rtl::RtlComputeCore core;
    sim::Simulator behavioural_sim(sim::default_accel_config()), rtl_sim(sim::default_accel_config());
    REQUIRE(core.config_refusal(sim::default_accel_config()).empty());
    rtl_sim.set_compute_core(&core);
    int64_t behavioural_cycles = 0, rtl_cycles = 0;
    sim::SimBackend behavioural(behavioural_sim, [&](const sim::LayerStats& s) { behavioural_cycles = s.total_cycles; });
    sim::SimBackend on_rtl(rtl_sim, [&](const sim::LayerStats& s) { rtl_cycles = s.total_cycles; });
    ReferenceBackend reference;
    int compared = 0;
    for (int i = 0; i < 60; ++i) {
        const Case c = random_pool(random, i % 3);
        std::vector<const Tensor*> inputs{&c.inputs[0]};
        INFO("case " << i << ": " << op_name(c.layer.op));
        if (!on_rtl.unsupported_reason(c.layer, inputs).empty()) continue;
        const Tensor expected = reference.run_layer(c.layer, inputs);
        CHECK(on_rtl.run_layer(c.layer, inputs).data == expected.data);
        CHECK(behavioural.run_layer(c.layer, inputs).data == expected.data);
        CHECK(rtl_cycles == behavioural_cycles);
        CHECK(rtl_cycles > 0);
        ++compared;
    }
    CHECK(compared >= 50);
}

TEST_CASE("rtl backend: the pooling examples of docs/semantics.md", "[rtl][backend][pool]") {
    rtl::RtlBackend backend;
    Pool2dParams p{2, 2, 2, 2, 1, 1, 1, 1};
    Tensor x({1, 1, 3, 3}, IntType::signed_bits(8));
    x.data = {-5, -2, -7, -1, -9, -3, -4, -6, -8};
    CHECK(backend.run_layer(QuantizedLayer{"max", {0}, 1, MaxPool2dLayer{p}}, {&x}).data == std::vector<int32_t>{-5, -2, -1, -3});
    Tensor u({1, 1, 3, 3}, IntType::unsigned_bits(8));
    u.data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (const bool include_pad : {false, true}) {
        const AveragePool2dLayer avg{p, make_average_pool_stage(1.0, 4, IntType::unsigned_bits(8), include_pad)};
        CHECK(backend.run_layer(QuantizedLayer{"avg", {0}, 1, avg}, {&u}).data ==
              (include_pad ? std::vector<int32_t>{0, 1, 3, 7} : std::vector<int32_t>{1, 3, 6, 7}));
    }
    Tensor g({1, 2, 2, 3}, IntType::unsigned_bits(8));
    g.data = {1, 2, 3, 4, 5, 6, 0, 0, 1, 1, 1, 0};
    const GlobalAveragePoolLayer gap{to_dyadic(1.0 / 6.0), IntType::unsigned_bits(8)};
    CHECK(gap.multiplier == Dyadic{1431655765, 33});
    CHECK(backend.run_layer(QuantizedLayer{"gap", {0}, 1, gap}, {&g}).data == std::vector<int32_t>{3, 0});
}

TEST_CASE("rtl backend: 360 random layers equal the reference", "[rtl][backend]") {
    RandomLayers random(99);
    rtl::RtlBackend rtl_backend;
    ReferenceBackend reference;
    int compared = 0;
    int64_t elements = 0, interior = 0;  // outputs strictly inside the output range: rounding decided them
    for (int i = 0; i < 360; ++i) {
        const int kind = i % 6;
        Case c = kind == 0 ? random_conv(random, false)
                 : kind == 1 ? random_conv(random, false)
                 : kind == 2 ? random_conv(random, true)
                 : kind == 3 ? random_fc(random)
                             : random_stream(random, i % 18 / 6 == 0 ? 0 : (i % 18 / 6 == 1 ? 1 : 2));
        std::vector<const Tensor*> inputs;
        for (const Tensor& t : c.inputs) inputs.push_back(&t);
        INFO("case " << i << ": " << c.layer.name << " " << op_name(c.layer.op));
        REQUIRE(rtl_backend.unsupported_reason(c.layer, inputs).empty());
        const Tensor expected = reference.run_layer(c.layer, inputs);
        const Tensor got = rtl_backend.run_layer(c.layer, inputs);
        CHECK(got.shape == expected.shape);
        CHECK(got.type == expected.type);
        CHECK(got.data == expected.data);
        ++compared;
        for (const int32_t v : expected.data) interior += v > expected.type.min() && v < expected.type.max() && v != 0;
        elements += expected.size();
    }
    CHECK(compared == 360);
    INFO(interior << " of " << elements << " outputs inside the range");
    CHECK(interior * 3 > elements);  // unsigned outputs and ReLU send about half of the rest to 0
    CHECK(rtl_backend.array_cycles() > 0);
    CHECK(rtl_backend.ppu_cycles() > 0);
}

TEST_CASE("rtl backend: says what it cannot run", "[rtl][backend]") {
    rtl::RtlBackend backend;
    const Tensor x({1, 1, 4, 4}, IntType::unsigned_bits(8));
    CHECK(backend.unsupported_reason(QuantizedLayer{"pool", {0}, 1, MaxPool2dLayer{}}, {&x}).empty());
    CHECK(backend.unsupported_reason(QuantizedLayer{"pool", {0}, 1, AveragePool2dLayer{}}, {&x}).empty());
    CHECK(backend.unsupported_reason(QuantizedLayer{"pool", {0}, 1, GlobalAveragePoolLayer{}}, {&x}).empty());
    Conv2dLayer wide;
    wide.weight = Tensor({1, 1, 1, 1}, IntType::signed_bits(8));
    const Tensor x16({1, 1, 4, 4}, IntType::signed_bits(16));
    CHECK_THAT(backend.unsupported_reason(QuantizedLayer{"conv", {0}, 1, wide}, {&x16}), Catch::Contains("2..8 bits"));
    CHECK(backend.unsupported_reason(QuantizedLayer{"conv", {0}, 1, wide}, {&x}).empty());
}

TEST_CASE("rtl backend: traces the tile of one output element to VCDs", "[rtl][backend]") {
    RandomLayers random(5);
    const Case c = random_conv(random, true);
    std::vector<const Tensor*> inputs;
    for (const Tensor& t : c.inputs) inputs.push_back(&t);
    const std::string path =
        (std::filesystem::temp_directory_path() / ("dyadic_rtl_trace_" + std::to_string(::getpid()) + ".vcd")).string();
    rtl::RtlBackend backend;
    const Tensor expected = ReferenceBackend().run_layer(c.layer, inputs);
    // Running the traced tile on its own changes no fold and no result.
    const Tensor traced = backend.trace_tile(c.layer, inputs, expected.size() - 1, path);
    CHECK(traced.data == expected.data);
    for (const std::string& file : {path, rtl::RtlBackend::ppu_trace_path(path)}) {
        std::ifstream in(file);
        REQUIRE(in.good());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK_THAT(text, Catch::Contains("$enddefinitions"));
        CHECK_THAT(text, Catch::Contains(file == path ? "psum_out" : "result"));
        // Two dumps per cycle: at least a fold's 2R + C - 2 cycles (array) or the pipeline (PPU).
        CHECK(std::count(text.begin(), text.end(), '#') > (file == path ? 2 * 46 : 2 * 8));
        std::remove(file.c_str());
    }
    CHECK(rtl::RtlBackend::ppu_trace_path("a/out.vcd") == "a/out.ppu.vcd");
    CHECK(rtl::RtlBackend::ppu_trace_path("wave") == "wave.ppu.vcd");
    // A backend asked to trace mismatches writes nothing while the RTL agrees with the reference.
    rtl::RtlBackend checking(path);
    CHECK(checking.run_layer(c.layer, inputs).data == expected.data);
    CHECK_FALSE(std::ifstream(path).good());
}

TEST_CASE("rtl backend on a 4 x 3 double-buffered array: random layers equal the reference", "[rtl][backend][double_buffer]") {
    RandomLayers random(31);
    rtl::RtlBackend backend(small_double_buffered_array());
    ReferenceBackend reference;
    for (int i = 0; i < 60; ++i) {
        const Case c = random_array_layer(random, i);
        std::vector<const Tensor*> inputs;
        for (const Tensor& t : c.inputs) inputs.push_back(&t);
        INFO("case " << i << ": " << c.layer.name << " " << op_name(c.layer.op));
        CHECK(backend.run_layer(c.layer, inputs).data == reference.run_layer(c.layer, inputs).data);
    }
    CHECK(backend.array_cycles() > 0);
}

TEST_CASE("sim --core rtl on a 4 x 3 double-buffered array: layers equal the reference in the model's cycles",
          "[rtl][backend][double_buffer]") {
    rtl::RtlComputeCore core(small_double_buffered_array());
    sim::AccelConfig untiled = sim::default_accel_config();
    untiled.array_rows = kSmallRows;
    untiled.array_cols = kSmallCols;
    untiled.weight_double_buffer = 1;
    REQUIRE(core.config_refusal(untiled).empty());
    // Small scratchpads: layers split into several steps, each starting its folds afresh.
    sim::AccelConfig tiled = untiled;
    tiled.input_scratchpad_bytes = 2048;
    tiled.weight_scratchpad_bytes = 512;
    tiled.accumulator_entries = 512;

    // The core refuses, and the model will not run it in, a machine without double buffering.
    sim::AccelConfig single = untiled;
    single.weight_double_buffer = 0;
    CHECK_THAT(core.config_refusal(single), Catch::Contains("weight double buffering"));
    RandomLayers random(37);
    const Case first = random_conv(random, false);
    sim::Simulator refusing(single);
    refusing.set_compute_core(&core);
    CHECK_THROWS_WITH(sim::SimBackend(refusing).run_layer(first.layer, {&first.inputs[0]}),
                      Catch::Contains("weight double buffering"));

    ReferenceBackend reference;
    int64_t single_buffered_fill = 0, double_buffered_fill = 0, multi_step_layers = 0;
    for (const bool small_memories : {false, true}) {
        const sim::AccelConfig& config = small_memories ? tiled : untiled;
        sim::AccelConfig without = config;
        without.weight_double_buffer = 0;
        sim::Simulator behavioural_sim(config), rtl_sim(config), single_sim(without);
        rtl_sim.set_compute_core(&core);
        sim::LayerStats behavioural_stats, rtl_stats, single_stats;
        sim::SimBackend behavioural(behavioural_sim, [&](const sim::LayerStats& s) { behavioural_stats = s; });
        sim::SimBackend on_rtl(rtl_sim, [&](const sim::LayerStats& s) { rtl_stats = s; });
        sim::SimBackend single_buffered(single_sim, [&](const sim::LayerStats& s) { single_stats = s; });
        for (int i = 0; i < 30; ++i) {
            const Case c = random_array_layer(random, i);
            std::vector<const Tensor*> inputs;
            for (const Tensor& t : c.inputs) inputs.push_back(&t);
            INFO((small_memories ? "tiled" : "untiled") << " case " << i << ": " << c.layer.name);
            const Tensor expected = reference.run_layer(c.layer, inputs);
            CHECK(on_rtl.run_layer(c.layer, inputs).data == expected.data);
            CHECK(behavioural.run_layer(c.layer, inputs).data == expected.data);
            INFO("mapping " << behavioural_stats.mapping);
            CHECK(rtl_stats.total_cycles == behavioural_stats.total_cycles);
            CHECK(rtl_stats.compute_cycles == behavioural_stats.compute_cycles);
            CHECK(rtl_stats.fill_drain_cycles == behavioural_stats.fill_drain_cycles);
            CHECK(rtl_stats.memory_stall_cycles == behavioural_stats.memory_stall_cycles);
            CHECK(rtl_stats.post_processing_cycles == behavioural_stats.post_processing_cycles);
            single_buffered.run_layer(c.layer, inputs);
            double_buffered_fill += behavioural_stats.fill_drain_cycles;
            single_buffered_fill += single_stats.fill_drain_cycles;
            multi_step_layers += behavioural_stats.mapping.find("(1x1x1 tiles)") == std::string::npos;
        }
    }
    // Double buffering took effect (far less fill and drain than the same layers without it), and
    // the small scratchpads cut layers into several steps.
    INFO(double_buffered_fill << " fill/drain cycles with double buffering, " << single_buffered_fill << " without");
    CHECK(2 * double_buffered_fill < single_buffered_fill);
    CHECK(multi_step_layers >= 5);
}
