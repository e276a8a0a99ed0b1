// Whole integer models on the simulator: every layer kind (conv with and without fused residual,
// an int16 residual stream read by a conv, depthwise and grouped convs, 2/4/8-bit weights, pooling,
// standalone add, concat, requantize, flatten, FC) bit-exact against the reference executor, the
// mismatch report, the JSON report (cycles and energy), and latency tables.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "graph/quant/integer_executor.h"
#include "graph/quant/quantized_model.h"
#include "sim/latency_table.h"
#include "graph/verify/random_input.h"
#include "sim/network.h"
#include "sim/sim_backend.h"
#include "sim_test_support.h"

using namespace dyadic;
using namespace dyadic::quant;

namespace {

Tensor weight(std::mt19937& rng, const Shape& shape, int bits) {
    Tensor w = simtest::random_weights(shape, IntType::signed_bits(bits), rng);
    w.scales.assign(static_cast<size_t>(shape[0]), 0.01);
    return w;
}

std::vector<Dyadic> multipliers(std::mt19937& rng, size_t count, double lo, double hi) {
    std::uniform_real_distribution<double> ratio(lo, hi);
    std::vector<Dyadic> out;
    for (size_t i = 0; i < count; ++i) out.push_back(to_dyadic(ratio(rng)));
    return out;
}

QuantizedModel test_model(unsigned seed) {
    std::mt19937 rng(seed);
    QuantizedModel m;
    m.name = "sim_test_model";
    const auto tensor = [&](const char* name, Shape shape, IntType type) {
        m.tensors.push_back(TensorInfo{name, std::move(shape), type, 0.05});
        return static_cast<TensorId>(m.tensors.size() - 1);
    };
    const auto layer = [&](const char* name, std::vector<TensorId> inputs, TensorId output, LayerOp op) {
        m.layers.push_back(QuantizedLayer{name, std::move(inputs), output, std::move(op)});
    };
    const IntType u8 = IntType::unsigned_bits(8), s8 = IntType::signed_bits(8), s16 = IntType::signed_bits(16);
    const IntType u4 = IntType::unsigned_bits(4);
    const auto pads = [](Conv2dParams& p, int pad) { p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad; };

    const TensorId input = tensor("input", {1, 3, 20, 20}, u8);
    m.input = input;

    Conv2dLayer conv1;
    conv1.weight = weight(rng, {16, 3, 3, 3}, 8);
    conv1.bias = simtest::random_bias(16, 3000, rng);
    pads(conv1.params, 1);
    conv1.output_stage = OutputStage{multipliers(rng, 16, 0.002, 0.01), u8, true};
    const TensorId t1 = tensor("conv1", {1, 16, 20, 20}, u8);
    layer("conv1", {input}, t1, conv1);

    Pool2dParams pool;
    pool.kernel_h = pool.kernel_w = 3;
    pool.stride_h = pool.stride_w = 2;
    pool.pad_top = pool.pad_left = pool.pad_bottom = pool.pad_right = 1;
    const TensorId t2 = tensor("pool1", {1, 16, 10, 10}, u8);
    layer("pool1", {t1}, t2, MaxPool2dLayer{pool});

    Conv2dLayer conv2;  // 4-bit weights, fused residual onto the pooled tensor, int16 stream out
    conv2.weight = weight(rng, {16, 16, 3, 3}, 4);
    conv2.bias = simtest::random_bias(16, 2000, rng);
    pads(conv2.params, 1);
    conv2.residual = FusedResidual{ResidualAddStage{multipliers(rng, 16, 0.05, 0.2), to_dyadic(0.7), s16, true}};
    const TensorId t3 = tensor("block", {1, 16, 10, 10}, s16);
    layer("conv2", {t2, t2}, t3, conv2);

    Conv2dLayer conv2b;  // reads the int16 stream: 16-bit activations take extra passes
    conv2b.weight = weight(rng, {8, 16, 1, 1}, 8);
    conv2b.output_stage = OutputStage{multipliers(rng, 1, 0.00001, 0.00005), s8, false};
    const TensorId t3b = tensor("conv2b", {1, 8, 10, 10}, s8);
    layer("conv2b", {t3}, t3b, conv2b);

    const TensorId t4 = tensor("block_q", {1, 16, 10, 10}, u4);
    layer("requant", {t3}, t4, RequantizeLayer{to_dyadic(0.002), u4});

    Conv2dLayer conv3;  // depthwise 3x3 stride 2 on 4-bit activations, 2-bit weights
    conv3.weight = weight(rng, {16, 1, 3, 3}, 2);
    conv3.bias = simtest::random_bias(16, 20, rng);
    conv3.params.groups = 16;
    conv3.params.stride_h = conv3.params.stride_w = 2;
    pads(conv3.params, 1);
    conv3.output_stage = OutputStage{multipliers(rng, 16, 0.1, 0.5), u4, true};
    const TensorId t5 = tensor("dw", {1, 16, 5, 5}, u4);
    layer("dw", {t4}, t5, conv3);

    Conv2dLayer conv4;  // grouped 1x1, no bias
    conv4.weight = weight(rng, {8, 4, 1, 1}, 4);
    conv4.params.groups = 4;
    conv4.output_stage = OutputStage{multipliers(rng, 1, 0.05, 0.2), s8, false};
    const TensorId t6 = tensor("grouped", {1, 8, 5, 5}, s8);
    layer("grouped", {t5}, t6, conv4);

    Pool2dParams avg;
    avg.kernel_h = avg.kernel_w = 2;
    avg.stride_h = avg.stride_w = 2;
    const TensorId t7 = tensor("avg", {1, 8, 5, 5}, s8);
    layer("avg", {t3b}, t7, AveragePool2dLayer{avg, make_average_pool_stage(0.9, 4, s8, false)});

    const TensorId t8 = tensor("add", {1, 8, 5, 5}, s8);
    layer("add", {t6, t7}, t8, ResidualAddLayer{ResidualAddStage{multipliers(rng, 1, 0.4, 0.6), to_dyadic(0.5), s8, true}});

    const TensorId t9 = tensor("cat", {1, 16, 5, 5}, s8);
    layer("cat", {t8, t6}, t9, ConcatLayer{{to_dyadic(0.9), to_dyadic(0.7)}, s8});

    const TensorId t10 = tensor("gap", {1, 16, 1, 1}, s8);
    layer("gap", {t9}, t10, GlobalAveragePoolLayer{to_dyadic(1.0 / 25), s8});

    const TensorId t11 = tensor("flat", {1, 16}, s8);
    layer("flat", {t10}, t11, FlattenLayer{});

    FullyConnectedLayer fc;
    fc.weight = weight(rng, {10, 16}, 8);
    fc.bias = simtest::random_bias(10, 500, rng);
    fc.output_stage = OutputStage{multipliers(rng, 10, 0.01, 0.05), s8, false};
    const TensorId t12 = tensor("logits", {1, 10}, s8);
    layer("fc", {t11}, t12, fc);

    m.outputs = {t12};
    validate(m);
    return m;
}

}  // namespace

TEST_CASE("a whole integer model on the simulator equals the reference executor", "[sim][network]") {
    for (unsigned seed : {1u, 2u}) {
        const QuantizedModel model = test_model(seed);
        for (int64_t batch : {int64_t{1}, int64_t{2}}) {
            const Tensor input = verify::random_model_input(model, seed, batch);
            for (const sim::AccelConfig& config : {sim::default_accel_config(), [] {
                                                       std::mt19937 rng(5);
                                                       return simtest::tiny_config(rng);
                                                   }()}) {
                INFO("seed " << seed << " batch " << batch << " config " << config.name);
                sim::Simulator simulator(config);
                sim::NetworkOptions options;
                options.verify = true;
                const sim::NetworkReport report = sim::simulate_model(simulator, model, input, options);
                const std::vector<Tensor> expected = run_model(model, input);
                REQUIRE(report.outputs.size() == 1);
                CHECK(simtest::first_difference(report.outputs[0], expected[0]) == "");
                CHECK(report.verified);
                REQUIRE(report.layers.size() == model.layers.size());
                int64_t cycles = 0;
                for (const sim::LayerStats& s : report.layers) cycles += s.total_cycles;
                CHECK(report.total.total_cycles == cycles);
                CHECK(report.layers[0].op == "conv2d");
                CHECK(report.layers[3].precision == "w8a16");
                CHECK(report.layers[10].op == "global_average_pool");
                CHECK(report.layers[11].total_cycles == 0);  // flatten is a relabelling
            }
        }
    }
}

TEST_CASE("verification names the first mismatching element", "[sim][network]") {
    const QuantizedModel model = test_model(3);
    const Tensor input = verify::random_model_input(model, 3);
    const QuantizedLayer& conv1 = model.layers[0];
    Tensor wrong = run_layer(conv1, {&input});
    wrong.data[static_cast<size_t>(((0 * 16 + 5) * 20 + 7) * 20 + 3)] ^= 1;
    try {
        sim::verify_layer_output(conv1, 0, {&input}, wrong);
        FAIL("no mismatch reported");
    } catch (const sim::MismatchError& e) {
        CHECK(e.layer == "conv1");
        CHECK(e.at == Shape{0, 5, 7, 3});
        CHECK_THAT(e.what(), Catch::Contains("1 of 6400 differ, first at [0, 5, 7, 3]"));
        CHECK_THAT(e.what(), Catch::Contains("largest difference 1"));
    }
    Tensor reshaped = run_layer(conv1, {&input});
    reshaped.shape = {1, 16, 400};
    CHECK_THROWS_AS(sim::verify_layer_output(conv1, 0, {&input}, reshaped), sim::MismatchError);
}

TEST_CASE("the JSON report lists every layer with its cycle and energy breakdowns", "[sim][network]") {
    const QuantizedModel model = test_model(4);
    sim::Simulator simulator(sim::default_accel_config());
    const sim::NetworkReport report = sim::simulate_model(simulator, model, verify::random_model_input(model, 4));
    const nlohmann::json j = nlohmann::json::parse(sim::report_json(report, simulator.config()));
    CHECK(j.at("model") == "sim_test_model");
    CHECK(j.at("unit") == "cycles");
    CHECK(j.at("config").at("array").at("rows") == 16);
    REQUIRE(j.at("layers").size() == model.layers.size());
    int64_t total = 0;
    for (const auto& layer : j.at("layers")) {
        const auto& c = layer.at("cycles");
        CHECK(c.at("total").get<int64_t>() == c.at("compute").get<int64_t>() + c.at("fill_drain").get<int64_t>() +
                                                  c.at("memory_stall").get<int64_t>() +
                                                  c.at("post_processing").get<int64_t>());
        total += c.at("total").get<int64_t>();
    }
    CHECK(j.at("total").at("cycles").at("total").get<int64_t>() == total);
    // Energy: each layer's parts add up to its total, and the network's is the layers' sum.
    double energy = 0;
    for (const auto& layer : j.at("layers")) {
        const auto& e = layer.at("energy_pj");
        CHECK(e.at("total").get<double>() ==
              Approx(e.at("compute").get<double>() + e.at("scratchpads").get<double>() + e.at("dram").get<double>() +
                     e.at("ppu").get<double>() + e.at("static").get<double>())
                  .epsilon(1e-12));
        energy += e.at("total").get<double>();
    }
    CHECK(j.at("total").at("energy_pj").at("total").get<double>() == Approx(energy).epsilon(1e-12));
    CHECK(j.at("total").at("energy_pj").at("total").get<double>() > 0);
}

TEST_CASE("latency tables time every conv and FC layer at every candidate", "[sim][latency]") {
    const QuantizedModel model = test_model(5);
    const sim::AccelConfig config = sim::default_accel_config();
    const auto candidates = sim::parse_bit_candidates("4,8,w4a8");
    REQUIRE(candidates.size() == 3);
    CHECK(candidates[0].label == "w4a4");
    CHECK(candidates[2].weight_bits == 4);
    CHECK(candidates[2].activation_bits == 8);
    CHECK_THROWS(sim::parse_bit_candidates("4,x"));
    CHECK_THROWS(sim::parse_bit_candidates("4,4"));
    CHECK_THROWS(sim::parse_bit_candidates("w9a8"));

    const auto rows = sim::build_latency_table(model, config, candidates);
    REQUIRE(rows.size() == 6);  // conv1, conv2, conv2b, dw, grouped, fc
    CHECK(rows[0].name == "conv1");
    CHECK(rows[5].op == "fully_connected");
    for (const auto& row : rows) {
        INFO(row.name);
        REQUIRE(row.candidates.size() == 3);
        CHECK(row.candidates[0].cycles > 0);
        CHECK(row.candidates[0].cycles <= row.candidates[2].cycles);  // w4a4 <= w4a8
        CHECK(row.candidates[2].cycles <= row.candidates[1].cycles);  // w4a8 <= w8a8
        CHECK(row.candidates[1].latency_ms == Approx(row.candidates[1].cycles / (config.clock_mhz * 1000.0)));
    }
    // The 8-bit candidate of conv1 (8-bit weights, uint8 input and output in the model) is the
    // model's own layer: the same cycles as simulating it.
    sim::Simulator simulator(config);
    const Tensor input = verify::random_model_input(model, 5);
    sim::LayerStats conv1;
    sim::SimBackend backend(simulator, [&](const sim::LayerStats& s) { conv1 = s; });
    backend.run_layer(model.layers[0], {&input});
    CHECK(conv1.name == model.layers[0].name);
    CHECK(rows[0].candidates[1].cycles == conv1.total_cycles);
    CHECK(rows[0].candidates[1].energy.total_pj() == conv1.energy.total_pj());

    const nlohmann::json j = nlohmann::json::parse(sim::latency_table_json(model.name, config, rows));
    CHECK(j.at("backend") == "sim");
    CHECK(j.at("unit") == "cycles");
    CHECK(j.at("clock_mhz") == config.clock_mhz);
    CHECK(j.at("layers").at(1).at("candidates").at(0).at("bits") == "w4a4");
    CHECK(j.at("layers").at(1).at("candidates").at(0).at("cycles") == rows[1].candidates[0].cycles);
    CHECK(j.at("layers").at(1).at("candidates").at(0).at("energy_pj") == rows[1].candidates[0].energy.total_pj());
    CHECK(j.at("layers").at(1).at("candidates").at(0).at("energy_breakdown_pj").at("dram") ==
          rows[1].candidates[0].energy.dram_pj);
}

TEST_CASE("network utilisation weighs each layer's cycles by its own peak", "[sim][network]") {
    const QuantizedModel model = test_model(6);
    sim::Simulator simulator(sim::default_accel_config());
    const sim::NetworkReport report = sim::simulate_model(simulator, model, verify::random_model_input(model, 6));
    double capacity = 0;
    for (const sim::LayerStats& s : report.layers) {
        capacity += static_cast<double>(s.peak_macs_per_cycle > 0 ? s.peak_macs_per_cycle : 16 * 16) *
                    static_cast<double>(s.total_cycles);
        CHECK(s.utilisation <= 1.0);
    }
    CHECK(report.total.utilisation == Approx(static_cast<double>(report.total.macs) / capacity));
    CHECK(report.total.utilisation <= 1.0);
    CHECK(report.layers[2].peak_macs_per_cycle == 16 * 16 * 2);  // w4a8: two MACs per PE
}
