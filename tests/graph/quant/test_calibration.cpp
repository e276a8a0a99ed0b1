// Clipping choices on known distributions, weight and bias quantization, bit configurations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "graph/quant/bit_config.h"
#include "graph/quant/clipping.h"
#include "graph/quant/weight_quantization.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::quant;

namespace {

TensorStatistics statistics_of(const std::vector<float>& values, int bins = 2048) {
    TensorStatistics s;
    s.add_range(values.data(), static_cast<int64_t>(values.size()));
    s.histogram = AbsHistogram(s.abs_max(), bins);
    s.histogram.add(values.data(), static_cast<int64_t>(values.size()));
    return s;
}

// Mean squared error of symmetric quantization with clip c, computed directly on the samples.
double sample_mse(const std::vector<float>& values, double clip, int64_t levels) {
    const double step = clip / static_cast<double>(levels);
    double sum = 0.0;
    for (const float v : values) {
        const double q = std::clamp(std::round(v / step), -static_cast<double>(levels), static_cast<double>(levels));
        sum += (v - q * step) * (v - q * step);
    }
    return sum / static_cast<double>(values.size());
}

std::vector<float> gaussian(size_t n, double sigma, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> dist(0.0, sigma);
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(dist(rng));
    return v;
}

}  // namespace

TEST_CASE("clipping: min/max takes the largest magnitude", "[quant][calibration]") {
    const std::vector<float> values{-3.0f, 0.5f, 2.0f};
    const TensorStatistics s = statistics_of(values);
    CalibrationOptions minmax{CalibrationMethod::MinMax};
    CHECK(choose_clip(s, IntType::signed_bits(8), minmax) == 3.0);
    CHECK(choose_clip(s, IntType::unsigned_bits(8), minmax) == 2.0);  // unsigned: the positive side
    CHECK(choose_clip(s, IntType::signed_bits(8), minmax, 1.5) == 1.5);  // a known bound (ReLU6-like) wins
    CHECK(quant_levels(IntType::signed_bits(4)) == 7);
    CHECK(quant_levels(IntType::unsigned_bits(4)) == 15);
}

TEST_CASE("clipping: percentile on uniform data", "[quant][calibration]") {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> dist(0.0, 1.0);
    std::vector<float> values(200000);
    for (float& x : values) x = static_cast<float>(dist(rng));
    const TensorStatistics s = statistics_of(values);
    CalibrationOptions options{CalibrationMethod::Percentile, 99.0};
    const double clip = choose_clip(s, IntType::unsigned_bits(8), options);
    // The 99th percentile of U(0, 1) is 0.99; bins are 1/2048 wide and sampling adds ~0.0003.
    CHECK(std::fabs(clip - 0.99) < 0.002);
    options.percentile = 100.0;
    CHECK(choose_clip(s, IntType::unsigned_bits(8), options) == Approx(s.max).epsilon(1e-9));
    CHECK_THROWS_AS(percentile_clip(s.histogram, 0.0), Error);
}

TEST_CASE("clipping: MSE search clips Gaussian data below its maximum at 4 bits", "[quant][calibration]") {
    const double sigma = 2.0;
    const std::vector<float> values = gaussian(100000, sigma, 17);
    const TensorStatistics s = statistics_of(values);
    const double max_abs = s.abs_max();
    CHECK(max_abs > 4.0 * sigma);  // 100k normal samples reach past 4 sigma

    const double clip = choose_clip(s, IntType::signed_bits(4), CalibrationOptions{CalibrationMethod::Mse});
    // Known optimum for a 4-bit symmetric uniform quantizer of N(0, sigma^2): about 2.5 sigma.
    CHECK(clip < max_abs);
    CHECK(clip > 2.0 * sigma);
    CHECK(clip < 3.2 * sigma);
    // Checked directly on the samples, not on the histogram: the chosen clip beats min/max and
    // is within 1% of the best clip on a fine grid.
    const double chosen = sample_mse(values, clip, 7);
    CHECK(chosen < 0.7 * sample_mse(values, max_abs, 7));
    double best = chosen;
    for (int k = 1; k <= 200; ++k) best = std::min(best, sample_mse(values, max_abs * k / 200.0, 7));
    CHECK(chosen <= best * 1.01);

    // Auto uses MSE at <= 4 bits and min/max above.
    CHECK(choose_clip(s, IntType::signed_bits(4), CalibrationOptions{}) == clip);
    CHECK(choose_clip(s, IntType::signed_bits(8), CalibrationOptions{}) == max_abs);
    // At 8 bits the MSE optimum clips much less than at 4.
    CHECK(choose_clip(s, IntType::signed_bits(8), CalibrationOptions{CalibrationMethod::Mse}) > clip * 1.3);
}

TEST_CASE("clipping: MSE keeps the maximum for data without outliers", "[quant][calibration]") {
    // Values exactly on a 3-bit unsigned grid of step 1: clipping anything loses accuracy.
    std::vector<float> values;
    for (int i = 0; i < 1000; ++i) values.push_back(static_cast<float>(i % 8));
    const TensorStatistics s = statistics_of(values, 7 * 64);
    CHECK(choose_clip(s, IntType::unsigned_bits(3), CalibrationOptions{CalibrationMethod::Mse}) == Approx(7.0).margin(0.02));
}

TEST_CASE("calibration method names", "[quant][calibration]") {
    for (const auto m : {CalibrationMethod::Auto, CalibrationMethod::MinMax, CalibrationMethod::Percentile,
                         CalibrationMethod::Mse}) {
        CHECK(parse_calibration_method(calibration_method_name(m)) == m);
    }
    CHECK_THROWS_WITH(parse_calibration_method("kl"), Catch::Contains("unknown calibration method 'kl'"));
}

TEST_CASE("weights: symmetric per output channel", "[quant][weights]") {
    // Channel 0 max |w| = 2 -> scale 2/127; channel 1 all zero -> scale 1; channel 2 max 0.5.
    ir::FloatTensor w({3, 4}, {2.0f, -1.1f, 0.01f, -2.0f, 0, 0, 0, 0, 0.5f, 0.3f, -0.125f, 0.0f});
    const Tensor q = quantize_weights(w, 8, false);
    CHECK(q.type == IntType::signed_bits(8));
    CHECK(q.scales == std::vector<double>{2.0 / 127, 1.0, 0.5 / 127});
    // Hand-derived: -1.1 * 63.5 = -69.85 -> -70; 0.01 * 63.5 = 0.635 -> 1; 0.3 * 254 = 76.2 -> 76;
    // -0.125 * 254 = -31.75 -> -32.
    CHECK(q.data == std::vector<int32_t>{127, -70, 1, -127, 0, 0, 0, 0, 127, 76, -32, 0});

    const Tensor q2 = quantize_weights(w, 2, false);  // levels {-1, 0, 1}, scales 2 and 0.5
    CHECK(q2.data == std::vector<int32_t>{1, -1, 0, -1, 0, 0, 0, 0, 1, 1, 0, 0});
    CHECK_THROWS_AS(quantize_weights(w, 9, false), Error);
}

TEST_CASE("weights: MSE clipping at 4 bits lowers the error of Gaussian weights", "[quant][weights]") {
    const std::vector<float> values = gaussian(4096, 0.1, 5);
    ir::FloatTensor w({2, 2048}, values);
    const Tensor plain = quantize_weights(w, 4, false);
    const Tensor clipped = quantize_weights(w, 4, true);
    for (int o = 0; o < 2; ++o) {
        CHECK(clipped.scales[o] < plain.scales[o]);
        double e_plain = 0, e_clipped = 0;
        for (int i = 0; i < 2048; ++i) {
            const double x = values[o * 2048 + i];
            e_plain += std::pow(x - plain.data[o * 2048 + i] * plain.scales[o], 2);
            e_clipped += std::pow(x - clipped.data[o * 2048 + i] * clipped.scales[o], 2);
        }
        CHECK(e_clipped < e_plain);
    }
}

TEST_CASE("bias: int32 at weight scale times input scale", "[quant][weights]") {
    const ir::FloatTensor bias({2}, {1.0f, -0.3f});
    const Tensor q = quantize_bias(bias, {0.01, 0.002}, 0.5, "conv");
    CHECK(q.type == IntType::int32());
    CHECK(q.data == std::vector<int32_t>{200, -300});  // 1 / 0.005, -0.3 / 0.001
    CHECK(quantize_bias(ir::FloatTensor{}, {0.01}, 0.5, "conv").shape.empty());
    CHECK_THROWS_WITH(quantize_bias(ir::FloatTensor({1}, {1e6f}), {1e-4}, 1e-4, "conv7"),
                      Catch::Contains("conv7") && Catch::Contains("does not fit int32"));
}

TEST_CASE("accumulator bound: exact worst case per output channel", "[quant][weights]") {
    Tensor w({2, 3}, IntType::signed_bits(8), {127, -127, 5, 1, 1, 1});
    w.scales = {1, 1};
    const Tensor b({2}, IntType::int32(), {-10, 7});
    // uint8 inputs: channel 0 = 10 + 255 * 259; int8 inputs use 128 (the magnitude of -128).
    CHECK(worst_case_accumulator(w, b, IntType::unsigned_bits(8)) == 10 + 255 * 259);
    CHECK(worst_case_accumulator(w, b, IntType::signed_bits(8)) == 10 + 128 * 259);
    Tensor wide({1, 70000}, IntType::signed_bits(8));
    wide.scales = {1};
    std::fill(wide.data.begin(), wide.data.end(), 127);
    CHECK_NOTHROW(require_accumulator_fits(wide, Tensor{}, IntType::unsigned_bits(4), "fc"));
    CHECK_THROWS_WITH(require_accumulator_fits(wide, Tensor{}, IntType::unsigned_bits(8), "fc"),
                      Catch::Contains("layer 'fc'") && Catch::Contains("could overflow int32"));
}

TEST_CASE("bit config: shorthand, JSON, per-layer overrides and errors", "[quant][bits]") {
    const BitConfig w4a4 = uniform_bit_config("w4a4");
    CHECK(w4a4.defaults.weight_bits == 4);
    CHECK(w4a4.defaults.activation_bits == 4);
    CHECK(w4a4.residual_bits == 16);
    CHECK(uniform_bit_config("w2a8").defaults.weight_bits == 2);
    CHECK_THROWS_WITH(uniform_bit_config("w9a8"), Catch::Contains("w9a8"));
    CHECK_THROWS_AS(uniform_bit_config("w8a1"), Error);

    const BitConfig c = parse_bit_config(
        R"({"weight_bits": 6, "residual_bits": 8, "layers": {"conv2": {"weight_bits": 3}, "fc": {"activation_bits": 5}}})",
        "cfg.json");
    CHECK(c.defaults.weight_bits == 6);
    CHECK(c.defaults.activation_bits == 8);
    CHECK(c.residual_bits == 8);
    CHECK(c.output_bits == 16);
    CHECK(c.for_layer("conv2").weight_bits == 3);
    CHECK(c.for_layer("conv2").activation_bits == 8);
    CHECK(c.for_layer("fc").weight_bits == 6);
    CHECK(c.for_layer("fc").activation_bits == 5);
    CHECK(c.for_layer("other").weight_bits == 6);

    const BitConfig again = parse_bit_config(to_json(c), "round trip");
    CHECK(again.layers.size() == 2);
    CHECK(again.for_layer("fc").activation_bits == 5);
    CHECK(again.residual_bits == 8);

    CHECK_THROWS_WITH(parse_bit_config("{", "a.json"), Catch::Contains("a.json") && Catch::Contains("invalid JSON"));
    CHECK_THROWS_WITH(parse_bit_config(R"({"weight_bit": 4})", "a.json"), Catch::Contains("unknown key \"weight_bit\""));
    CHECK_THROWS_WITH(parse_bit_config(R"({"layers": {"c": {"weight_bits": 1}}})", "a.json"),
                      Catch::Contains("layer \"c\"") && Catch::Contains("2..8"));
    CHECK_THROWS_WITH(parse_bit_config(R"({"residual_bits": 17})", "a.json"), Catch::Contains("2..16"));
    CHECK_THROWS_WITH(parse_bit_config(R"({"output_bits": 8.5})", "a.json"), Catch::Contains("integer"));
    CHECK_THROWS_WITH(load_bit_config("no/such/file.json"), Catch::Contains("no/such/file.json"));
}

TEST_CASE("bit config: an ILP result's assignment gives per-layer widths", "[quant][bits]") {
    const BitConfig c = parse_bit_config(
        R"({"status": "OPTIMAL", "objective": 0.5, "assignment": {"conv1": 4, "fc": "w8a4", "conv2": 8}})", "ilp.json");
    CHECK(c.for_layer("conv1").weight_bits == 4);
    CHECK(c.for_layer("conv1").activation_bits == 4);
    CHECK(c.for_layer("fc").weight_bits == 8);
    CHECK(c.for_layer("fc").activation_bits == 4);
    CHECK(c.for_layer("conv2").weight_bits == 8);
    CHECK(c.for_layer("unnamed").weight_bits == 8);  // defaults stay 8-bit
    CHECK(c.residual_bits == 16);
    CHECK_THROWS_WITH(parse_bit_config(R"({"assignment": {"c": 9}})", "ilp.json"),
                      Catch::Contains("layer \"c\"") && Catch::Contains("2..8"));
    CHECK_THROWS_WITH(parse_bit_config(R"({"assignment": {"c": "w4"}})", "ilp.json"), Catch::Contains("w4a8"));
    CHECK_THROWS_WITH(parse_bit_config(R"({"assignment": [4]})", "ilp.json"), Catch::Contains("assignment"));
}
