// Q_b(W) as the sensitivity uses it: the PTQ weight quantizer (per output channel, symmetric,
// MSE clip search at <= 4 bits), checked against hand values and a naive max-abs quantizer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "graph/sensitivity/weight_quantization.h"
#include "util/error.h"
#include "test_models.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

// Max-abs clip, round half away from zero, clamp: the quantizer without the clip search.
double naive_max_abs_error(const ir::FloatTensor& w, int bits) {
    const int64_t channels = w.dim(0), per_channel = w.size() / channels;
    const double levels = std::ldexp(1.0, bits - 1) - 1.0;
    double error = 0.0;
    for (int64_t c = 0; c < channels; ++c) {
        double max_abs = 0.0;
        for (int64_t i = 0; i < per_channel; ++i) max_abs = std::max(max_abs, std::fabs(double{w.data[c * per_channel + i]}));
        if (max_abs == 0.0) continue;
        const double scale = max_abs / levels;
        for (int64_t i = 0; i < per_channel; ++i) {
            const double x = w.data[c * per_channel + i];
            const double d = std::clamp(std::round(x / scale), -levels, levels) * scale - x;
            error += d * d;
        }
    }
    return error;
}

}  // namespace

TEST_CASE("Q_b by hand at 5 bits: per-channel scale max|w| / 15, rounding half away from zero", "[sensitivity][quant]") {
    // Channel 0: scale 1/15; 0.5 * 15 = 7.5 -> 8; -0.1 * 15 = -1.5 -> -2. Channel 1: scale 3/15 = 0.2.
    const ir::FloatTensor w(Shape{2, 3}, {1.0f, 0.5f, -0.1f, 3.0f, -0.3f, 0.0f});
    const ir::FloatTensor q = quantize_weight(w, 5);
    CHECK(q.data[0] == 1.0f);
    CHECK(q.data[1] == Approx(8.0 / 15.0).epsilon(1e-7));
    CHECK(q.data[2] == Approx(-2.0 / 15.0).epsilon(1e-7));
    CHECK(q.data[3] == 3.0f);
    CHECK(q.data[4] == Approx(-0.4).epsilon(1e-7));  // -1.5 -> -2 levels of 0.2
    CHECK(q.data[5] == 0.0f);
    const double expected = std::pow(8.0 / 15.0 - 0.5, 2) + std::pow(-2.0 / 15.0 + 0.1, 2) + std::pow(0.1, 2);
    CHECK(quantization_error_squared(w, 5) == Approx(expected).epsilon(1e-6));
}

TEST_CASE("Q_b: values on each channel's grid; max-abs above 4 bits, a better clip at 4 bits and below",
          "[sensitivity][quant]") {
    ir::FloatTensor w = testing::random_tensor(Shape{4, 2, 3, 3}, 5);
    for (int i = 18; i < 36; ++i) w.data[i] = 0.0f;  // channel 1 all zero
    for (const int bits : {2, 3, 4, 5, 6, 7, 8}) {
        INFO(bits << " bits");
        const ir::FloatTensor q = quantize_weight(w, bits);
        for (int i = 18; i < 36; ++i) REQUIRE(q.data[i] == 0.0f);
        const double error = quantization_error_squared(w, bits), naive = naive_max_abs_error(w, bits);
        if (bits > 4)
            CHECK(error == Approx(naive).epsilon(1e-6));
        else
            CHECK(error <= naive * (1 + 1e-9));
        // quantize_weight and quantization_error_squared describe the same Q_b.
        double direct = 0.0;
        for (int64_t i = 0; i < w.size(); ++i) direct += std::pow(double{q.data[i]} - w.data[i], 2);
        CHECK(direct == Approx(error).epsilon(1e-5));
    }
}

TEST_CASE("Q_b error decreases with the bit width, about 4x per bit", "[sensitivity][quant]") {
    const ir::FloatTensor w = testing::random_tensor(Shape{16, 8, 3, 3}, 11, 0.1);
    double previous = quantization_error_squared(w, 2);
    for (int bits = 3; bits <= 8; ++bits) {
        const double error = quantization_error_squared(w, bits);
        INFO(bits << " bits: " << error << ", " << bits - 1 << " bits: " << previous);
        CHECK(error < previous);
        // Uniform rounding error: step^2 / 12 per weight, the step halving per bit (from 6 bits
        // on, where the grid is fine and both widths use the max-abs clip).
        if (bits >= 6) CHECK(previous / error == Approx(4.0).epsilon(0.3));
        previous = error;
    }
    CHECK_THROWS_WITH(quantize_weight(w, 1), Catch::Contains("1 bits"));
    CHECK_THROWS_WITH(quantize_weight(w, 9), Catch::Contains("9 bits"));
}
