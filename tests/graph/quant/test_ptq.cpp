// Post-training quantization of a small hand-built residual graph: the quantizer's choices and
// integer outputs against an independent recomputation, closeness to float, fake quantization,
// bit configurations and the accumulator-overflow refusal.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "graph/ir/executor.h"
#include "graph/ir/passes/mark_non_negative.h"
#include "graph/ir/shape_inference.h"
#include "graph/quant/calibration.h"
#include "graph/quant/fake_quant.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_file.h"
#include "graph/quant/quantizer.h"
#include "graph/quant/weight_quantization.h"
#include "util/error.h"
#include "tests/reference/naive_model.h"

using namespace dyadic;
using namespace dyadic::quant;
using ir::FloatTensor;

namespace {

FloatTensor random_float(const Shape& shape, double stddev, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> dist(0.0, stddev);
    FloatTensor t(shape);
    for (float& v : t.data) v = static_cast<float>(dist(rng));
    return t;
}

ir::Node conv_node(const std::string& name, std::vector<std::string> inputs, const std::string& output, int64_t c_in,
                   int64_t c_out, unsigned seed) {
    ir::Node n;
    n.op = ir::OpKind::Conv;
    n.name = name;
    n.inputs = std::move(inputs);
    n.outputs = {output};
    n.conv.kernel_h = n.conv.kernel_w = 3;
    n.conv.pad_top = n.conv.pad_left = n.conv.pad_bottom = n.conv.pad_right = 1;
    n.weight = random_float({c_out, c_in, 3, 3}, std::sqrt(2.0 / (9.0 * c_in)), seed);
    n.bias = random_float({c_out}, 0.1, seed + 100);
    n.activation.relu = true;
    return n;
}

// x [N,2,6,6] -> conv1+relu -> t1 -> conv_a+relu -> ta -> conv_b(+ identity t1)+relu -> t2
//   -> global average pool -> t3 -> flatten -> t4 -> fc -> logits [N,3]
// (the form run_standard_passes leaves: BatchNorm folded, ReLU and the residual add fused).
ir::Graph residual_graph() {
    ir::Graph g;
    g.add_input("x", {1, 2, 6, 6});
    g.add_node(conv_node("conv1", {"x"}, "t1", 2, 4, 1));
    g.add_node(conv_node("conv_a", {"t1"}, "ta", 4, 4, 2));
    g.add_node(conv_node("conv_b", {"ta", "t1"}, "t2", 4, 4, 3));
    ir::Node gap;
    gap.op = ir::OpKind::GlobalAveragePool;
    gap.name = "gap";
    gap.inputs = {"t2"};
    gap.outputs = {"t3"};
    g.add_node(gap);
    ir::Node flatten;
    flatten.op = ir::OpKind::Flatten;
    flatten.name = "flatten";
    flatten.axis = 1;
    flatten.inputs = {"t3"};
    flatten.outputs = {"t4"};
    g.add_node(flatten);
    ir::Node fc;
    fc.op = ir::OpKind::FullyConnected;
    fc.name = "fc";
    fc.inputs = {"t4"};
    fc.outputs = {"logits"};
    fc.weight = random_float({3, 4}, 0.7, 4);
    fc.bias = random_float({3}, 0.1, 5);
    g.add_node(fc);
    g.add_output("logits");
    ir::infer_shapes(g);
    ir::mark_non_negative(g);
    return g;
}

const TensorInfo& tensor_named(const QuantizedModel& m, const std::string& name) {
    for (const TensorInfo& t : m.tensors) {
        if (t.name == name) return t;
    }
    FAIL("model has no tensor " << name);
    throw;
}

const QuantizedLayer& layer_named(const QuantizedModel& m, const std::string& name) {
    for (const QuantizedLayer& l : m.layers) {
        if (l.name == name) return l;
    }
    FAIL("model has no layer " << name);
    throw;
}

// ---- the independent recomputation ----------------------------------------------------------

using Activations = std::vector<long double>;  // NCHW, exact integers

struct NaiveWeights {
    std::vector<long double> q;      // [C_out, K]
    std::vector<double> scales;      // per output channel
    std::vector<long double> bias;   // [C_out]
};

NaiveWeights naive_weights(const ir::Node& node, double input_scale) {
    NaiveWeights w;
    const int64_t c_out = node.weight.shape[0];
    const int64_t k = node.weight.size() / c_out;
    for (int64_t o = 0; o < c_out; ++o) {
        double max_abs = 0;
        for (int64_t i = 0; i < k; ++i) max_abs = std::max(max_abs, std::fabs(double(node.weight.data[o * k + i])));
        const double s = max_abs / 127.0;
        w.scales.push_back(s);
        for (int64_t i = 0; i < k; ++i) w.q.push_back(std::round(node.weight.data[o * k + i] / s));
        w.bias.push_back(std::round(node.bias.data[o] / (s * input_scale)));
    }
    return w;
}

// 3x3, pad 1, stride 1 convolution accumulators.
Activations naive_conv(const Activations& x, int64_t n, int64_t c_in, int64_t h, int64_t w, const NaiveWeights& wt) {
    const int64_t c_out = static_cast<int64_t>(wt.bias.size());
    Activations acc(static_cast<size_t>(n * c_out * h * w));
    for (int64_t b = 0; b < n; ++b)
        for (int64_t o = 0; o < c_out; ++o)
            for (int64_t y = 0; y < h; ++y)
                for (int64_t xx = 0; xx < w; ++xx) {
                    long double sum = wt.bias[o];
                    for (int64_t i = 0; i < c_in; ++i)
                        for (int64_t ky = 0; ky < 3; ++ky)
                            for (int64_t kx = 0; kx < 3; ++kx) {
                                const int64_t r = y + ky - 1, c = xx + kx - 1;
                                if (r < 0 || r >= h || c < 0 || c >= w) continue;
                                sum += x[((b * c_in + i) * h + r) * w + c] * wt.q[(o * c_in + i) * 9 + ky * 3 + kx];
                            }
                    acc[((b * c_out + o) * h + y) * w + xx] = sum;
                }
    return acc;
}

double max_of(const std::vector<float>& v, bool absolute) {
    double m = 0;
    for (const float x : v) m = std::max(m, absolute ? std::fabs(double(x)) : double(x));
    return m;
}

}  // namespace

TEST_CASE("PTQ: a residual graph quantizes exactly as an independent recomputation says", "[quant][ptq]") {
    const ir::Graph graph = residual_graph();
    const FloatTensor calibration = random_float({24, 2, 6, 6}, 1.0, 42);
    const FloatTensor test_images = random_float({5, 2, 6, 6}, 1.0, 43);

    QuantizeOptions options;
    options.bits = uniform_bit_config("w8a8");
    options.calibration.method = CalibrationMethod::MinMax;
    const QuantizedModel model = quantize(graph, collect_statistics(graph, calibration, 7, false), options, "tiny");
    CHECK(deserialize_model(serialize_model(model)) == model);

    // Float ranges, computed here from all kept tensors of one float run.
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap all = ir::FloatExecutor(graph).run({{"x", calibration}}, keep);
    const double s_x = max_of(all.at("x").data, true) / 127;
    const double s_t1 = max_of(all.at("t1").data, false) / 65535;    // residual stream: uint16
    const double s_t1q = max_of(all.at("t1").data, false) / 255;     // its copy for conv_a: uint8
    const double s_ta = max_of(all.at("ta").data, false) / 255;
    const double s_t2 = max_of(all.at("t2").data, false) / 65535;    // produced by a residual add
    const double s_t3 = max_of(all.at("t3").data, false) / 255;      // read (via flatten) by fc at 8 bits
    const double s_out = max_of(all.at("logits").data, true) / 32767;  // output_bits 16, signed

    // Types: signed input, unsigned after ReLU, int16-class residual streams, 8-bit conv inputs.
    CHECK(tensor_named(model, "x").type == IntType::signed_bits(8));
    CHECK(tensor_named(model, "t1").type == IntType::unsigned_bits(16));
    CHECK(tensor_named(model, "t1/q8").type == IntType::unsigned_bits(8));
    CHECK(tensor_named(model, "ta").type == IntType::unsigned_bits(8));
    CHECK(tensor_named(model, "t2").type == IntType::unsigned_bits(16));
    CHECK(tensor_named(model, "t3").type == IntType::unsigned_bits(8));
    CHECK(tensor_named(model, "t4").type == IntType::unsigned_bits(8));
    CHECK(tensor_named(model, "logits").type == IntType::signed_bits(16));
    CHECK(tensor_named(model, "x").scale == s_x);
    CHECK(tensor_named(model, "t1").scale == s_t1);
    CHECK(tensor_named(model, "t1/q8").scale == s_t1q);
    CHECK(tensor_named(model, "ta").scale == s_ta);
    CHECK(tensor_named(model, "t2").scale == s_t2);
    CHECK(tensor_named(model, "t3").scale == s_t3);
    CHECK(tensor_named(model, "t4").scale == s_t3);
    CHECK(tensor_named(model, "logits").scale == s_out);
    // Every layer's activation input is 8 bits wide, as configured.
    for (const char* name : {"conv1", "conv_a", "conv_b", "fc"}) {
        CHECK(activation_bits(model, layer_named(model, name)) == 8);
        CHECK(weight_bits(layer_named(model, name)) == 8);
    }

    // Parameters and multipliers, recomputed.
    const auto node = [&](const char* name) -> const ir::Node& { return graph.node(*graph.find_node(name)); };
    const NaiveWeights w1 = naive_weights(node("conv1"), s_x);
    const NaiveWeights wa = naive_weights(node("conv_a"), s_t1q);
    const NaiveWeights wb = naive_weights(node("conv_b"), s_ta);
    const NaiveWeights wf = naive_weights(node("fc"), s_t3);
    const auto& conv1 = std::get<Conv2dLayer>(layer_named(model, "conv1").op);
    CHECK(conv1.weight.scales == w1.scales);
    for (size_t i = 0; i < w1.q.size(); ++i) CHECK(conv1.weight.data[i] == w1.q[i]);
    for (size_t o = 0; o < 4; ++o) {
        CHECK(conv1.bias.data[o] == w1.bias[o]);
        CHECK(conv1.output_stage.multipliers[o] == to_dyadic(w1.scales[o] * s_x / s_t1));
    }

    // The integer pipeline, recomputed with exact long double arithmetic (tests/reference/naive_model.h).
    const int64_t n = 5;
    const IntType u8 = IntType::unsigned_bits(8), u16 = IntType::unsigned_bits(16);
    std::map<std::string, Activations> expected;
    Activations x;
    for (const float v : test_images.data)
        x.push_back(std::clamp<long double>(std::nearbyint(double(v) / s_x), -128, 127));
    expected["x"] = x;
    const auto requantize_all = [](const Activations& acc, int64_t plane, const std::vector<Dyadic>& m,
                                   const IntType& type, bool relu) {
        Activations out;
        for (size_t i = 0; i < acc.size(); ++i) {
            const size_t c = m.size() == 1 ? 0 : (i / plane) % m.size();
            out.push_back(naive::requantize(acc[i], m[c], type, relu));
        }
        return out;
    };
    const auto per_channel = [](const NaiveWeights& w, double s_in, double s_outp) {
        std::vector<Dyadic> m;
        for (const double s : w.scales) m.push_back(to_dyadic(s * s_in / s_outp));
        return m;
    };
    expected["t1"] = requantize_all(naive_conv(x, n, 2, 6, 6, w1), 36, per_channel(w1, s_x, s_t1), u16, true);
    expected["t1/q8"] = requantize_all(expected["t1"], 36, {to_dyadic(s_t1 / s_t1q)}, u8, false);
    expected["ta"] = requantize_all(naive_conv(expected["t1/q8"], n, 4, 6, 6, wa), 36,
                                    per_channel(wa, s_t1q, s_ta), u8, true);
    {
        const Activations acc = naive_conv(expected["ta"], n, 4, 6, 6, wb);
        const std::vector<Dyadic> m = per_channel(wb, s_ta, s_t2);
        const Dyadic m_id = to_dyadic(s_t1 / s_t2);
        Activations t2;
        for (size_t i = 0; i < acc.size(); ++i) {
            const long double sum = naive::scale_and_round(acc[i], m[(i / 36) % 4]) +
                                    naive::scale_and_round(expected["t1"][i], m_id);
            t2.push_back(naive::clamp_to(sum, 0, 65535));
        }
        expected["t2"] = t2;
    }
    {
        Activations sums;
        for (int64_t i = 0; i < n * 4; ++i) {
            long double s = 0;
            for (int64_t j = 0; j < 36; ++j) s += expected["t2"][i * 36 + j];
            sums.push_back(s);
        }
        expected["t3"] = requantize_all(sums, 1, {to_dyadic(s_t2 / (s_t3 * 36))}, u8, false);
        expected["t4"] = expected["t3"];
    }
    {
        Activations acc;
        for (int64_t b = 0; b < n; ++b)
            for (int64_t o = 0; o < 3; ++o) {
                long double s = wf.bias[o];
                for (int64_t k = 0; k < 4; ++k) s += expected["t4"][b * 4 + k] * wf.q[o * 4 + k];
                acc.push_back(s);
            }
        expected["logits"] = requantize_all(acc, 1, per_channel(wf, s_t3, s_out), IntType::signed_bits(16), false);
    }

    const Tensor input = quantize_model_input(model, test_images.data, test_images.shape);
    size_t compared = 0;
    const std::vector<Tensor> outputs =
        run_model(model, input, [&](size_t, const QuantizedLayer& layer, const std::vector<const Tensor*>&,
                                    const Tensor& out) {
            const std::string& name = model.tensors[static_cast<size_t>(layer.output)].name;
            INFO("tensor " << name);
            REQUIRE(expected.count(name) == 1);
            REQUIRE(out.data.size() == expected[name].size());
            for (size_t i = 0; i < out.data.size(); ++i) {
                if (out.data[i] != expected[name][i]) FAIL("element " << i << ": " << out.data[i] << " vs " << expected[name][i]);
            }
            ++compared;
        });
    CHECK(compared == model.layers.size());
    CHECK(model.layers.size() == 7);  // conv1, t1/requant8, conv_a, conv_b, gap, flatten, fc

    // Close to float: dequantized logits within 3% of the float logits' range.
    const FloatTensor reference = ir::FloatExecutor(graph).run(test_images);
    const double range = max_of(reference.data, true);
    for (size_t i = 0; i < reference.data.size(); ++i) {
        CHECK(std::fabs(outputs[0].data[i] * s_out - reference.data[i]) < 0.03 * range);
    }
}

TEST_CASE("fake quantization of a whole tensor equals fake_quantize on each value", "[quant][fake_quant]") {
    // Halves on both sides of zero, values past both ends of each range, random values, and a NaN:
    // the vectorized tensor form must give fake_quantize's results bit for bit.
    for (const IntType type : {IntType::unsigned_bits(4), IntType::signed_bits(4), IntType::signed_bits(8),
                               IntType::unsigned_bits(8)}) {
        for (const double scale : {0.1, 0.037, 1.0 / 3.0}) {
            INFO(type.name() << " scale " << scale);
            std::vector<float> values;
            for (int step = -300; step <= 300; ++step) {
                values.push_back(static_cast<float>((step + 0.5) * scale));
                values.push_back(static_cast<float>(step * scale));
                values.push_back(std::nextafter(static_cast<float>((step + 0.5) * scale), 0.0f));
            }
            std::mt19937 rng(11);
            std::uniform_real_distribution<float> dist(-40.0f, 40.0f);
            for (int i = 0; i < 1000; ++i) values.push_back(dist(rng));
            values.push_back(std::numeric_limits<float>::quiet_NaN());
            for (const bool even : {false, true}) {
                std::vector<float> actual = values;
                fake_quantize_values(actual.data(), static_cast<int64_t>(actual.size()), scale, type, even);
                for (size_t i = 0; i < values.size(); ++i) {
                    const float want = fake_quantize(values[i], scale, type, even);
                    INFO("value " << values[i] << (even ? " half even" : " half up"));
                    if (std::isnan(want)) {
                        REQUIRE(std::isnan(actual[i]));
                    } else {
                        REQUIRE(actual[i] == want);
                    }
                }
            }
        }
    }
}

TEST_CASE("PTQ: fake quantization tracks the integer model", "[quant][ptq][fake_quant]") {
    const ir::Graph graph = residual_graph();
    const FloatTensor calibration = random_float({32, 2, 6, 6}, 1.0, 7);
    const FloatTensor test_images = random_float({200, 2, 6, 6}, 1.0, 8);
    for (const char* bits : {"w8a8", "w4a4"}) {
        INFO(bits);
        QuantizeOptions options;
        options.bits = uniform_bit_config(bits);
        const QuantizedModel model = quantize(graph, collect_statistics(graph, calibration, 32, true), options);
        const FakeQuantModel fake(model);
        const FloatTensor fq = fake.run(test_images, 64);
        const Tensor integer = run_model(model, quantize_model_input(model, test_images.data, test_images.shape))[0];
        const double s_out = model.tensors[static_cast<size_t>(model.outputs[0])].scale;
        REQUIRE(fq.data.size() == integer.data.size());
        // Fake-quant outputs lie on the integer grid (up to float precision: 2^-24 of 32767 steps).
        // They may differ from the integer model only where a float rounding and the dyadic
        // rounding fall on opposite sides of a half; that must stay rare and small.
        int64_t worst = 0, mismatches = 0, agree = 0;
        for (size_t i = 0; i < fq.data.size(); ++i) {
            const double steps = fq.data[i] / s_out;
            CHECK(std::fabs(steps - std::round(steps)) < 0.01);
            const auto difference = static_cast<int64_t>(std::llabs(std::llround(steps) - integer.data[i]));
            worst = std::max(worst, difference);
            mismatches += difference != 0;
        }
        const auto argmax = [](const auto& values, int64_t row) {
            int best = 0;
            for (int c = 1; c < 3; ++c) {
                if (values[row * 3 + c] > values[row * 3 + best]) best = c;
            }
            return best;
        };
        for (int64_t b = 0; b < 200; ++b) agree += argmax(fq.data, b) == argmax(integer.data, b);
        CHECK(worst <= 2);
        CHECK(mismatches <= 6);  // of 600 logits
        CHECK(agree >= 198);
    }
}

TEST_CASE("PTQ: per-layer bits, residual width and config errors", "[quant][ptq]") {
    const ir::Graph graph = residual_graph();
    const FloatTensor calibration = random_float({8, 2, 6, 6}, 1.0, 1);
    const CalibrationStatistics stats = collect_statistics(graph, calibration, 8, true);

    QuantizeOptions options;
    options.bits = parse_bit_config(R"({"residual_bits": 8, "layers": {"conv_b": {"weight_bits": 3, "activation_bits": 4},
                                        "fc": {"weight_bits": 2}}})", "test");
    const QuantizedModel model = quantize(graph, stats, options);
    CHECK(weight_bits(layer_named(model, "conv_b")) == 3);
    CHECK(activation_bits(model, layer_named(model, "conv_b")) == 4);
    CHECK(weight_bits(layer_named(model, "fc")) == 2);
    CHECK(weight_bits(layer_named(model, "conv1")) == 8);
    // With 8-bit residual streams conv_a reads t1 directly: no requantize copy of t1.
    CHECK(tensor_named(model, "t1").type == IntType::unsigned_bits(8));
    CHECK(activation_bits(model, layer_named(model, "conv_a")) == 8);
    for (const QuantizedLayer& l : model.layers) CHECK(l.name != "t1/requant8");
    // conv_b asked for 4-bit activations: ta is only read by conv_b, so it is produced at 4 bits.
    CHECK(tensor_named(model, "ta").type == IntType::unsigned_bits(4));

    options.bits.layers["conv9"] = LayerBits{4, 4};
    CHECK_THROWS_WITH(quantize(graph, stats, options), Catch::Contains("conv9"));
    options.bits.layers.erase("conv9");
    options.bits.layers["gap"] = LayerBits{4, 4};
    CHECK_THROWS_WITH(quantize(graph, stats, options), Catch::Contains("only Conv and FullyConnected"));
    options.bits.layers.erase("gap");
    CHECK_THROWS_WITH(quantize(graph, CalibrationStatistics{}, options), Catch::Contains("no calibration statistics"));
}

TEST_CASE("PTQ: refuses a layer whose worst-case accumulator could overflow int32", "[quant][ptq]") {
    // 70000 non-negative inputs into a fully connected layer of constant weights:
    // 255 * 127 * 70000 > 2^31 at 8 bits, 15 * 127 * 70000 < 2^31 at 4 bits.
    ir::Graph g;
    g.add_input("x", {1, 70000, 1, 1}).non_negative = true;
    ir::Node flatten;
    flatten.op = ir::OpKind::Flatten;
    flatten.name = "flatten";
    flatten.axis = 1;
    flatten.inputs = {"x"};
    flatten.outputs = {"flat"};
    g.add_node(flatten);
    ir::Node fc;
    fc.op = ir::OpKind::FullyConnected;
    fc.name = "wide_fc";
    fc.inputs = {"flat"};
    fc.outputs = {"y"};
    fc.weight = FloatTensor({2, 70000}, std::vector<float>(140000, 0.01f));
    g.add_node(fc);
    g.add_output("y");
    ir::infer_shapes(g);
    ir::mark_non_negative(g);
    FloatTensor images({2, 70000, 1, 1});
    for (size_t i = 0; i < images.data.size(); ++i) images.data[i] = static_cast<float>(i % 7) * 0.1f;
    const CalibrationStatistics stats = collect_statistics(g, images, 2, true);

    QuantizeOptions options;
    options.bits = uniform_bit_config("w8a8");
    CHECK_THROWS_WITH(quantize(g, stats, options), Catch::Contains("wide_fc") && Catch::Contains("overflow int32"));
    options.bits = uniform_bit_config("w8a4");
    const QuantizedModel model = quantize(g, stats, options);
    CHECK(tensor_named(model, "x").type == IntType::unsigned_bits(4));
}

TEST_CASE("PTQ: calibration statistics match the float tensors", "[quant][ptq]") {
    const ir::Graph graph = residual_graph();
    const FloatTensor images = random_float({10, 2, 6, 6}, 1.0, 9);
    const CalibrationStatistics stats = collect_statistics(graph, images, 3, true);
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap all = ir::FloatExecutor(graph).run({{"x", images}}, keep);
    for (const char* name : {"x", "t1", "ta", "t2", "t3", "t4", "logits"}) {
        INFO(name);
        const std::vector<float>& v = all.at(name).data;
        CHECK(stats.at(name).count == static_cast<int64_t>(v.size()));
        CHECK(stats.at(name).max == *std::max_element(v.begin(), v.end()));
        CHECK(stats.at(name).min == *std::min_element(v.begin(), v.end()));
        CHECK(stats.at(name).histogram.total() == static_cast<double>(v.size()));
    }
}

TEST_CASE("PTQ: the per-channel accumulator bound of docs/semantics.md, section 6", "[quant][ptq]") {
    // The document's example: int8 row [127, -128, 5] over uint8 inputs has sum |w| = 260, so
    // bound = |bias| + 255 * 260; a bias of 2147417347 reaches 2^31 - 1 exactly.
    const Tensor weight({1, 3}, IntType::signed_bits(8), {127, -128, 5});
    const IntType uint8 = IntType::unsigned_bits(8);
    const Tensor at_limit({1}, IntType::int32(), {2147417347});
    const Tensor past_limit({1}, IntType::int32(), {2147417348});
    CHECK(worst_case_accumulator(weight, at_limit, uint8) == 2147483647);
    CHECK(worst_case_accumulator(weight, past_limit, uint8) == 2147483648);
    CHECK_NOTHROW(require_accumulator_fits(weight, at_limit, uint8, "fc"));
    CHECK_THROWS_WITH(require_accumulator_fits(weight, past_limit, uint8, "fc"),
                      Catch::Contains("layer 'fc'") && Catch::Contains("2147483648"));
    // A negative bias counts by its magnitude; no bias counts 0.
    const Tensor negative({1}, IntType::int32(), {-2147417348});
    CHECK(worst_case_accumulator(weight, negative, uint8) == 2147483648);
    CHECK(worst_case_accumulator(weight, Tensor{}, uint8) == 66300);
    // Signed inputs: max|x| = 2^(B-1), here 128 for int8. Per channel: the largest channel counts.
    const Tensor two_rows({2, 3}, IntType::signed_bits(8), {1, 1, 1, 127, -128, 5});
    CHECK(worst_case_accumulator(two_rows, Tensor{}, IntType::signed_bits(8)) == 128 * 260);
    CHECK(worst_case_accumulator(two_rows, Tensor{}, IntType::unsigned_bits(4)) == 15 * 260);
}
