// Every op against the naive real-arithmetic model of naive_model.h on thousands of random cases:
// random shapes, strides, paddings, dilations, groups, bit widths (2..8 and 16), signedness,
// multipliers and ReLU. Seeds are fixed, so a failure reproduces; INFO prints the failing case.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "naive_model.h"
#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/quantize_input.h"
#include "reference/ops/residual_add.h"

using namespace dyadic;
using naive::coin;
using naive::uniform;

namespace {

// Signed weights, 2..8 bits, sometimes 16.
IntType random_weight_type(std::mt19937& rng) { return IntType::signed_bits(coin(rng, 10) ? 16 : uniform(rng, 2, 8)); }

// Usually symmetric like the quantizer's (no -2^(b-1)); one tensor in four uses the full range.
Tensor random_weights(const Shape& shape, const IntType& type, std::mt19937& rng) {
    Tensor t(shape, type);
    const int32_t bound = static_cast<int32_t>(type.max());
    std::uniform_int_distribution<int32_t> dist(coin(rng, 4) ? static_cast<int32_t>(type.min()) : -bound, bound);
    for (int32_t& v : t.data) v = dist(rng);
    return t;
}

Tensor random_bias(int64_t size, double magnitude, std::mt19937& rng) {
    Tensor t({size}, IntType::int32());
    const double bound = std::min(magnitude, 2.0e9);
    std::uniform_real_distribution<double> dist(-bound, bound);
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

double typical_magnitude(const IntType& t) { return static_cast<double>(std::max(t.max(), -t.min())); }

OutputStage random_stage(int64_t channels, double typical_acc, std::mt19937& rng) {
    OutputStage stage;
    stage.output_type = naive::random_type(rng);
    stage.relu = coin(rng);
    const int64_t count = coin(rng, 3) ? 1 : channels;
    for (int64_t c = 0; c < count; ++c) {
        stage.multipliers.push_back(naive::random_multiplier(rng, typical_acc, stage.output_type.bits));
    }
    return stage;
}

// The model's requantization of real accumulators [N, C, ...] with the stage's per-channel multipliers.
std::vector<int64_t> model_output_stage(const std::vector<double>& acc, int64_t channels, int64_t inner,
                                        const OutputStage& stage) {
    std::vector<int64_t> y(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
        const size_t channel = stage.multipliers.size() == 1 ? 0 : (i / static_cast<size_t>(inner)) % channels;
        y[i] = naive::requantize(acc[i], stage.multipliers[channel], stage.output_type, stage.relu);
    }
    return y;
}

bool all_fit_int32(const std::vector<double>& acc) {
    return std::all_of(acc.begin(), acc.end(), naive::fits_int32);
}

}  // namespace

TEST_CASE("conv2d matches the naive model on random layers", "[conv2d][random]") {
    std::mt19937 rng(20210701);
    int compared = 0, overflows = 0;
    for (int trial = 0; trial < 1500; ++trial) {
        const int groups = coin(rng, 3) ? 1 : uniform(rng, 2, 4);
        const bool depthwise = coin(rng, 4);
        const int64_t c_in = depthwise ? uniform(rng, 1, 8) : groups * uniform(rng, 1, 3);
        const int64_t g = depthwise ? c_in : groups;
        const int64_t c_out = depthwise ? c_in * uniform(rng, 1, 2) : groups * uniform(rng, 1, 3);
        Conv2dParams p;
        p.groups = static_cast<int>(g);
        p.stride_h = uniform(rng, 1, 3);
        p.stride_w = coin(rng) ? p.stride_h : uniform(rng, 1, 3);
        p.dilation_h = coin(rng, 4) ? uniform(rng, 2, 3) : 1;
        p.dilation_w = coin(rng, 4) ? uniform(rng, 2, 3) : 1;
        const int64_t k_h = uniform(rng, 1, 4), k_w = uniform(rng, 1, 4);
        p.pad_top = uniform(rng, 0, 3);
        p.pad_bottom = uniform(rng, 0, 3);
        p.pad_left = uniform(rng, 0, 3);
        p.pad_right = uniform(rng, 0, 3);
        const int64_t span_h = (k_h - 1) * p.dilation_h + 1, span_w = (k_w - 1) * p.dilation_w + 1;
        // Input at least as large as the kernel's span minus the padding, so the shape is valid.
        const int64_t h = std::max<int64_t>(1, span_h - p.pad_top - p.pad_bottom) + uniform(rng, 0, 7);
        const int64_t w = std::max<int64_t>(1, span_w - p.pad_left - p.pad_right) + uniform(rng, 0, 7);
        const int64_t batch = uniform(rng, 1, 2);

        // Every 20th layer has 16-bit operands, where int32 overflow is likely.
        const bool wide = trial % 20 == 0;
        const IntType x_type = wide ? IntType{16, coin(rng)} : naive::random_type(rng);
        const IntType w_type = wide ? IntType::signed_bits(16) : random_weight_type(rng);
        const Tensor x = naive::random_tensor({batch, c_in, h, w}, x_type, rng);
        const Tensor weight = random_weights({c_out, c_in / g, k_h, k_w}, w_type, rng);
        const double term = typical_magnitude(x_type) * typical_magnitude(w_type);
        const double typical_acc = term * std::sqrt(static_cast<double>((c_in / g) * k_h * k_w));
        const Tensor bias = coin(rng, 4) ? Tensor() : random_bias(c_out, typical_acc, rng);
        const OutputStage stage = random_stage(c_out, typical_acc, rng);

        // The model: output size by the ONNX formula, then a direct sum over the padded window.
        const int64_t out_h = (h + p.pad_top + p.pad_bottom - span_h) / p.stride_h + 1;
        const int64_t out_w = (w + p.pad_left + p.pad_right - span_w) / p.stride_w + 1;
        const Shape out_shape{batch, c_out, out_h, out_w};
        std::vector<double> acc;
        for (int64_t n = 0; n < batch; ++n) {
            for (int64_t o = 0; o < c_out; ++o) {
                const int64_t first_channel = (o / (c_out / g)) * (c_in / g);
                for (int64_t oy = 0; oy < out_h; ++oy) {
                    for (int64_t ox = 0; ox < out_w; ++ox) {
                        double sum = bias.shape.empty() ? 0.0 : bias.data[static_cast<size_t>(o)];
                        for (int64_t i = 0; i < c_in / g; ++i) {
                            for (int64_t ky = 0; ky < k_h; ++ky) {
                                for (int64_t kx = 0; kx < k_w; ++kx) {
                                    const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
                                    const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    sum += static_cast<double>(x.at(n, first_channel + i, iy, ix)) *
                                           weight.at(o, i, ky, kx);
                                }
                            }
                        }
                        acc.push_back(sum);
                    }
                }
            }
        }

        INFO("trial " << trial << ": x " << naive::describe(x.shape) << " " << x_type.name() << ", w "
                      << naive::describe(weight.shape) << " " << w_type.name() << ", groups " << g << ", stride "
                      << p.stride_h << "x" << p.stride_w << ", dilation " << p.dilation_h << "x" << p.dilation_w
                      << ", pads " << p.pad_top << "," << p.pad_left << "," << p.pad_bottom << "," << p.pad_right
                      << ", out " << stage.output_type.name() << (stage.relu ? " relu" : ""));
        if (!all_fit_int32(acc)) {
            ++overflows;
            REQUIRE_THROWS_WITH(conv2d(x, weight, bias, p, stage), Catch::Contains("overflow"));
            continue;
        }
        naive::require_equal(conv2d_accumulate(x, weight, bias, p), out_shape,
                             std::vector<int64_t>(acc.begin(), acc.end()));
        const Tensor y = conv2d(x, weight, bias, p, stage);
        REQUIRE(y.type == stage.output_type);
        naive::require_equal(y, out_shape, model_output_stage(acc, c_out, out_h * out_w, stage));
        ++compared;
    }
    // Both paths were exercised.
    CHECK(compared > 1000);
    CHECK(overflows > 0);
}

TEST_CASE("fully_connected matches the naive model on random layers", "[fully_connected][random]") {
    std::mt19937 rng(31415);
    int compared = 0, overflows = 0;
    for (int trial = 0; trial < 1000; ++trial) {
        const int64_t batch = uniform(rng, 1, 3), depth = uniform(rng, 1, 64), units = uniform(rng, 1, 16);
        const bool wide = trial % 20 == 0;
        const IntType x_type = wide ? IntType{16, coin(rng)} : naive::random_type(rng);
        const IntType w_type = wide ? IntType::signed_bits(16) : random_weight_type(rng);
        const Tensor x = naive::random_tensor({batch, depth}, x_type, rng);
        const Tensor weight = random_weights({units, depth}, w_type, rng);
        const double typical_acc =
            typical_magnitude(x_type) * typical_magnitude(w_type) * std::sqrt(static_cast<double>(depth));
        const Tensor bias = coin(rng, 4) ? Tensor() : random_bias(units, typical_acc, rng);
        const OutputStage stage = random_stage(units, typical_acc, rng);

        std::vector<double> acc;
        for (int64_t n = 0; n < batch; ++n) {
            for (int64_t m = 0; m < units; ++m) {
                double sum = bias.shape.empty() ? 0.0 : bias.data[static_cast<size_t>(m)];
                for (int64_t k = 0; k < depth; ++k) {
                    sum += static_cast<double>(x.data[static_cast<size_t>(n * depth + k)]) *
                           weight.data[static_cast<size_t>(m * depth + k)];
                }
                acc.push_back(sum);
            }
        }
        INFO("trial " << trial << ": x [" << batch << ", " << depth << "] " << x_type.name() << ", units " << units
                      << " " << w_type.name() << ", out " << stage.output_type.name() << (stage.relu ? " relu" : ""));
        if (!all_fit_int32(acc)) {
            ++overflows;
            REQUIRE_THROWS_WITH(fully_connected(x, weight, bias, stage), Catch::Contains("overflow"));
            continue;
        }
        const Tensor y = fully_connected(x, weight, bias, stage);
        naive::require_equal(y, {batch, units}, model_output_stage(acc, units, 1, stage));
        ++compared;
    }
    CHECK(compared > 800);
    CHECK(overflows > 0);
}

TEST_CASE("residual_add matches the naive model on random tensors", "[residual_add][random]") {
    std::mt19937 rng(27182);
    for (int trial = 0; trial < 500; ++trial) {
        const Shape shape{uniform(rng, 1, 2), uniform(rng, 1, 6), uniform(rng, 1, 5), uniform(rng, 1, 5)};
        // The main branch is usually a conv accumulator (int32), sometimes a narrow tensor.
        const IntType main_type = coin(rng, 3) ? naive::random_type(rng) : IntType::int32();
        const IntType id_type = naive::random_type(rng);
        Tensor main(shape, main_type);
        if (main_type.bits == 32) {
            // Accumulator-like values, sometimes at the int32 extremes.
            const int magnitude_bits = uniform(rng, 4, 31);
            std::uniform_int_distribution<int64_t> dist(-(int64_t{1} << magnitude_bits), (int64_t{1} << magnitude_bits) - 1);
            for (int32_t& v : main.data) v = static_cast<int32_t>(dist(rng));
        } else {
            main = naive::random_tensor(shape, main_type, rng);
        }
        const Tensor identity = naive::random_tensor(shape, id_type, rng);

        ResidualAddStage stage;
        stage.output_type = naive::random_type(rng);
        stage.relu = coin(rng);
        double main_magnitude = 0;
        for (const int32_t v : main.data) main_magnitude = std::max(main_magnitude, std::fabs(static_cast<double>(v)));
        const int64_t count = coin(rng) ? 1 : shape[1];
        for (int64_t c = 0; c < count; ++c) {
            stage.main_multipliers.push_back(naive::random_multiplier(rng, main_magnitude, stage.output_type.bits));
        }
        stage.identity_multiplier = naive::random_multiplier(rng, typical_magnitude(id_type), stage.output_type.bits);

        const int64_t inner = shape[2] * shape[3];
        std::vector<int64_t> expected(main.data.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            const size_t channel = count == 1 ? 0 : (i / static_cast<size_t>(inner)) % static_cast<size_t>(shape[1]);
            const long double sum = naive::scale_and_round(main.data[i], stage.main_multipliers[channel]) +
                                    naive::scale_and_round(identity.data[i], stage.identity_multiplier);
            expected[i] = naive::clamp_to(sum, naive::lowest(stage.output_type, stage.relu), naive::highest(stage.output_type));
        }
        INFO("trial " << trial << ": " << naive::describe(shape) << " main " << main_type.name() << ", identity "
                      << id_type.name() << ", out " << stage.output_type.name() << (stage.relu ? " relu" : ""));
        naive::require_equal(residual_add(main, identity, stage), shape, expected);
    }
}

namespace {

Pool2dParams random_pool_params(std::mt19937& rng) {
    Pool2dParams p;
    p.kernel_h = uniform(rng, 1, 4);
    p.kernel_w = coin(rng) ? p.kernel_h : uniform(rng, 1, 4);
    p.stride_h = uniform(rng, 1, 3);
    p.stride_w = coin(rng) ? p.stride_h : uniform(rng, 1, 3);
    if (!coin(rng, 3)) {
        p.pad_top = uniform(rng, 0, p.kernel_h - 1);
        p.pad_bottom = uniform(rng, 0, p.kernel_h - 1);
        p.pad_left = uniform(rng, 0, p.kernel_w - 1);
        p.pad_right = uniform(rng, 0, p.kernel_w - 1);
    } else {
        p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = 0;
    }
    return p;
}

Shape random_pool_input(const Pool2dParams& p, std::mt19937& rng) {
    const int64_t h = std::max<int64_t>(1, p.kernel_h - p.pad_top - p.pad_bottom) + uniform(rng, 0, 8);
    const int64_t w = std::max<int64_t>(1, p.kernel_w - p.pad_left - p.pad_right) + uniform(rng, 0, 8);
    return {uniform(rng, 1, 2), uniform(rng, 1, 4), h, w};
}

struct Window {
    double sum = 0;
    double max = -1e300;
    int in_image = 0;   // elements inside the image
    int positions = 0;  // kernel positions, padding included
};

// The window of output (oy, ox), walked position by position over the padded input.
Window model_window(const Tensor& x, int64_t n, int64_t c, int64_t oy, int64_t ox, const Pool2dParams& p) {
    Window win;
    for (int ky = 0; ky < p.kernel_h; ++ky) {
        for (int kx = 0; kx < p.kernel_w; ++kx) {
            ++win.positions;
            const int64_t iy = oy * p.stride_h - p.pad_top + ky, ix = ox * p.stride_w - p.pad_left + kx;
            if (iy < 0 || iy >= x.shape[2] || ix < 0 || ix >= x.shape[3]) continue;
            const double v = x.at(n, c, iy, ix);
            win.sum += v;
            win.max = std::max(win.max, v);
            ++win.in_image;
        }
    }
    return win;
}

std::string describe(const Pool2dParams& p) {
    return "kernel " + std::to_string(p.kernel_h) + "x" + std::to_string(p.kernel_w) + ", stride " +
           std::to_string(p.stride_h) + "x" + std::to_string(p.stride_w) + ", pads " + std::to_string(p.pad_top) + "," +
           std::to_string(p.pad_left) + "," + std::to_string(p.pad_bottom) + "," + std::to_string(p.pad_right);
}

}  // namespace

TEST_CASE("max_pool2d matches the naive model on random windows", "[max_pool2d][random]") {
    std::mt19937 rng(16180);
    for (int trial = 0; trial < 700; ++trial) {
        const Pool2dParams p = random_pool_params(rng);
        const Shape in_shape = random_pool_input(p, rng);
        const IntType type = coin(rng, 8) ? IntType::int32() : naive::random_type(rng);
        const Tensor x = naive::random_tensor(in_shape, type, rng);
        const int64_t out_h = (in_shape[2] + p.pad_top + p.pad_bottom - p.kernel_h) / p.stride_h + 1;
        const int64_t out_w = (in_shape[3] + p.pad_left + p.pad_right - p.kernel_w) / p.stride_w + 1;
        std::vector<int64_t> expected;
        for (int64_t n = 0; n < in_shape[0]; ++n)
            for (int64_t c = 0; c < in_shape[1]; ++c)
                for (int64_t oy = 0; oy < out_h; ++oy)
                    for (int64_t ox = 0; ox < out_w; ++ox)
                        expected.push_back(static_cast<int64_t>(model_window(x, n, c, oy, ox, p).max));
        INFO("trial " << trial << ": " << naive::describe(in_shape) << " " << type.name() << ", " << describe(p));
        const Tensor y = max_pool2d(x, p);
        REQUIRE(y.type == type);
        naive::require_equal(y, {in_shape[0], in_shape[1], out_h, out_w}, expected);
    }
}

TEST_CASE("average_pool2d matches the naive model on random windows", "[average_pool2d][random]") {
    std::mt19937 rng(14142);
    for (int trial = 0; trial < 1000; ++trial) {
        const Pool2dParams p = random_pool_params(rng);
        const Shape in_shape = random_pool_input(p, rng);
        const IntType in_type = naive::random_type(rng);
        const IntType out_type = naive::random_type(rng);
        const bool include_pad = coin(rng);
        // Input/output scale ratios around 2^(out_bits - in_bits), sometimes exactly 1 (ties on halves).
        const double ratio = coin(rng, 4) ? 1.0
                                          : std::ldexp(std::uniform_real_distribution<double>(0.5, 2.0)(rng),
                                                       out_type.bits - in_type.bits + uniform(rng, -1, 1));
        const int window = p.kernel_h * p.kernel_w;
        const AveragePoolStage stage = make_average_pool_stage(ratio, window, out_type, include_pad);
        // The stage's entries are ratio / k, rounded to the nearest dyadic (relative error < 2^-31).
        for (int k = 1; k <= window; ++k) {
            const long double exact = static_cast<long double>(ratio) / k;
            const long double m = naive::multiplier_value(stage.multiplier_by_count[static_cast<size_t>(k - 1)]);
            REQUIRE(std::fabs(m - exact) <= exact * std::ldexp(1.0L, -31));
        }
        const Tensor x = naive::random_tensor(in_shape, in_type, rng);
        const int64_t out_h = (in_shape[2] + p.pad_top + p.pad_bottom - p.kernel_h) / p.stride_h + 1;
        const int64_t out_w = (in_shape[3] + p.pad_left + p.pad_right - p.kernel_w) / p.stride_w + 1;
        std::vector<int64_t> expected;
        for (int64_t n = 0; n < in_shape[0]; ++n) {
            for (int64_t c = 0; c < in_shape[1]; ++c) {
                for (int64_t oy = 0; oy < out_h; ++oy) {
                    for (int64_t ox = 0; ox < out_w; ++ox) {
                        const Window win = model_window(x, n, c, oy, ox, p);
                        const int count = include_pad ? win.positions : win.in_image;
                        const Dyadic& m = stage.multiplier_by_count[static_cast<size_t>(count - 1)];
                        const int64_t y = naive::requantize(win.sum, m, out_type, false);
                        // Meaning check: unless clamped, y is the real average within 1/2 (+ multiplier error).
                        // (The multiplier's relative error is below 2^-31.)
                        if (y > naive::lowest(out_type) && y < naive::highest(out_type)) {
                            const double average = win.sum * ratio / count;
                            REQUIRE(std::fabs(y - average) <= 0.5 + std::fabs(average) * std::ldexp(1.0, -30));
                        }
                        expected.push_back(y);
                    }
                }
            }
        }
        INFO("trial " << trial << ": " << naive::describe(in_shape) << " " << in_type.name() << " -> "
                      << out_type.name() << ", " << describe(p) << (include_pad ? ", count_include_pad" : "")
                      << ", ratio " << ratio);
        naive::require_equal(average_pool2d(x, p, stage), {in_shape[0], in_shape[1], out_h, out_w}, expected);
    }
}

TEST_CASE("global_average_pool matches the naive model", "[global_average_pool][random]") {
    std::mt19937 rng(17320);
    for (int trial = 0; trial < 300; ++trial) {
        const Shape shape{uniform(rng, 1, 2), uniform(rng, 1, 8), uniform(rng, 1, 9), uniform(rng, 1, 9)};
        const IntType in_type = naive::random_type(rng);
        const IntType out_type = naive::random_type(rng);
        const double plane = static_cast<double>(shape[2] * shape[3]);
        const double ratio = std::ldexp(std::uniform_real_distribution<double>(0.5, 2.0)(rng),
                                        out_type.bits - in_type.bits + uniform(rng, -1, 1));
        const Dyadic m = to_dyadic(ratio / plane);
        const Tensor x = naive::random_tensor(shape, in_type, rng);
        std::vector<int64_t> expected;
        for (int64_t n = 0; n < shape[0]; ++n) {
            for (int64_t c = 0; c < shape[1]; ++c) {
                double sum = 0;
                for (int64_t r = 0; r < shape[2]; ++r)
                    for (int64_t s = 0; s < shape[3]; ++s) sum += x.at(n, c, r, s);
                expected.push_back(naive::requantize(sum, m, out_type, false));
            }
        }
        INFO("trial " << trial << ": " << naive::describe(shape) << " " << in_type.name() << " -> " << out_type.name());
        naive::require_equal(global_average_pool(x, m, out_type), {shape[0], shape[1], 1, 1}, expected);
    }
}

TEST_CASE("concat matches the naive model", "[concat][random]") {
    std::mt19937 rng(57721);
    for (int trial = 0; trial < 300; ++trial) {
        const int64_t batch = uniform(rng, 1, 3), h = uniform(rng, 1, 4), w = uniform(rng, 1, 4);
        const int parts = uniform(rng, 1, 4);
        const IntType out_type = naive::random_type(rng);
        std::vector<Tensor> inputs;
        std::vector<Dyadic> multipliers;
        for (int i = 0; i < parts; ++i) {
            const IntType type = naive::random_type(rng);
            inputs.push_back(naive::random_tensor({batch, uniform(rng, 1, 4), h, w}, type, rng));
            multipliers.push_back(coin(rng, 4) ? dyadic_one()
                                               : naive::random_multiplier(rng, typical_magnitude(type), out_type.bits));
        }
        std::vector<const Tensor*> pointers;
        int64_t channels = 0;
        for (const Tensor& t : inputs) {
            pointers.push_back(&t);
            channels += t.shape[1];
        }
        std::vector<int64_t> expected;
        for (int64_t n = 0; n < batch; ++n)
            for (int i = 0; i < parts; ++i)
                for (int64_t c = 0; c < inputs[i].shape[1]; ++c)
                    for (int64_t r = 0; r < h; ++r)
                        for (int64_t s = 0; s < w; ++s)
                            expected.push_back(naive::requantize(inputs[i].at(n, c, r, s), multipliers[i], out_type, false));
        INFO("trial " << trial << ": " << parts << " inputs, out " << out_type.name());
        naive::require_equal(concat_channels(pointers, multipliers, out_type), {batch, channels, h, w}, expected);
    }
}

TEST_CASE("quantize_input matches nearbyint under round-to-nearest-even", "[quantize_input][random]") {
    REQUIRE(std::fegetround() == FE_TONEAREST);
    std::mt19937 rng(11235);
    for (int trial = 0; trial < 300; ++trial) {
        const IntType type = naive::random_type(rng);
        // A power-of-two scale makes the tie values below exact in float.
        const double mantissa = coin(rng, 3) ? 1.0 : std::uniform_real_distribution<double>(0.5, 2.0)(rng);
        const double scale = std::ldexp(mantissa, uniform(rng, -12, 4));
        const int64_t count = uniform(rng, 1, 200);
        std::vector<float> values(static_cast<size_t>(count));
        const double span = scale * static_cast<double>(std::max(type.max(), -type.min())) * 1.25;
        for (float& v : values) {
            if (coin(rng, 5)) {
                // An exact tie in the quotient: (k + 1/2) * scale, when float represents it.
                v = static_cast<float>((uniform(rng, -300, 300) + 0.5) * scale);
            } else {
                v = static_cast<float>(std::uniform_real_distribution<double>(-span, span)(rng));
            }
        }
        std::vector<int64_t> expected;
        for (const float v : values) {
            const double q = std::nearbyint(static_cast<double>(v) / scale);
            expected.push_back(naive::clamp_to(q, naive::lowest(type), naive::highest(type)));
        }
        INFO("trial " << trial << ": " << type.name() << ", scale " << scale);
        naive::require_equal(quantize_input(values, {count}, scale, type), {count}, expected);
    }
}
