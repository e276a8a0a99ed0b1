#pragma once
// Random layers and accelerator configurations for the SystemC model's tests. Seeds are fixed so
// that a failure reproduces; describe() gives INFO lines naming the failing case.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "reference/dyadic.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"
#include "reference/tensor.h"
#include "sim/accel_config.h"
#include "sim/simulator.h"

namespace simtest {

using namespace dyadic;

inline int uniform(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
inline bool coin(std::mt19937& rng, int one_in = 2) { return uniform(rng, 1, one_in) == 1; }

inline Tensor random_tensor(const Shape& shape, const IntType& type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

// Weights as the quantizer makes them: signed symmetric (never -2^(b-1)).
inline Tensor random_weights(const Shape& shape, const IntType& type, std::mt19937& rng) {
    Tensor t(shape, type);
    const auto bound = static_cast<int32_t>(type.max());
    std::uniform_int_distribution<int32_t> dist(-bound, bound);
    for (int32_t& v : t.data) v = dist(rng);
    return t;
}

inline Tensor random_bias(int64_t channels, double magnitude, std::mt19937& rng) {
    Tensor t({channels}, IntType::int32());
    std::uniform_real_distribution<double> dist(-magnitude, magnitude);
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

inline double magnitude(const IntType& t) { return static_cast<double>(std::max(t.max(), -t.min())); }

// Activation types: mostly 4 and 8 bits, sometimes any of 2..8, rarely int16.
inline IntType random_activation_type(std::mt19937& rng, bool allow_16 = true) {
    const int pick = uniform(rng, 0, 9);
    const int bits = pick < 4 ? 4 : pick < 8 ? 8 : (allow_16 && pick == 9) ? 16 : uniform(rng, 2, 8);
    return IntType{bits, bits == 16 ? true : coin(rng)};
}

inline IntType random_weight_type(std::mt19937& rng) {
    const int pick = uniform(rng, 0, 9);
    return IntType::signed_bits(pick < 4 ? 4 : pick < 8 ? 8 : uniform(rng, 2, 8));
}

// A multiplier mapping accumulators of about `typical` onto `out`'s range, with some saturation.
inline Dyadic random_multiplier(std::mt19937& rng, double typical, const IntType& out) {
    std::uniform_real_distribution<double> jitter(0.25, 4.0);
    return to_dyadic(magnitude(out) / std::max(typical, 1.0) * jitter(rng));
}

struct ConvCase {
    Tensor input, weight, bias, identity;
    Conv2dParams params;
    OutputStage stage;
    std::optional<ResidualAddStage> residual;
    bool fully_connected = false;

    std::string describe() const {
        std::ostringstream s;
        s << (fully_connected ? "fc" : "conv") << " input " << to_string(input.shape) << " " << input.type.name()
          << " weight " << to_string(weight.shape) << " " << weight.type.name() << " stride " << params.stride_h << "x"
          << params.stride_w << " pad " << params.pad_top << "," << params.pad_left << "," << params.pad_bottom << ","
          << params.pad_right << " dilation " << params.dilation_h << "x" << params.dilation_w << " groups "
          << params.groups << " bias " << (bias.shape.empty() ? "no" : "yes") << " residual "
          << (residual ? identity.type.name() : std::string("no"));
        return s.str();
    }
};

// The timing-only description of `c` (Simulator::time_conv): what a functional run of the same
// case must match in cycles and counted events.
inline sim::ConvTimingSpec timing_spec(const ConvCase& c) {
    sim::ConvTimingSpec spec;
    spec.fully_connected = c.fully_connected;
    spec.input = c.input.shape;
    spec.weight = c.weight.shape;
    spec.params = c.params;
    spec.input_type = c.input.type;
    spec.weight_type = c.weight.type;
    spec.output_type = c.residual ? c.residual->output_type : c.stage.output_type;
    if (c.residual) spec.identity_type = c.identity.type;
    return spec;
}

// A dense conv of one image: stride 1, "same" padding, one multiplier for every channel.
inline ConvCase dense_conv(std::mt19937& rng, int64_t in_channels, int64_t out_channels, int64_t size, int kernel,
                           const IntType& x_type, const IntType& w_type, const IntType& out_type, double multiplier) {
    ConvCase c;
    c.input = random_tensor({1, in_channels, size, size}, x_type, rng);
    c.weight = random_weights({out_channels, in_channels, kernel, kernel}, w_type, rng);
    c.params.pad_top = c.params.pad_left = c.params.pad_bottom = c.params.pad_right = kernel / 2;
    c.stage.output_type = out_type;
    c.stage.multipliers = {to_dyadic(multiplier)};
    return c;
}

// `c` on the simulator: the FC, conv+residual or conv call its fields name.
inline sim::LayerResult run(sim::Simulator& simulator, const ConvCase& c) {
    if (c.fully_connected) return simulator.fully_connected(c.input, c.weight, c.bias, c.stage);
    if (c.residual) return simulator.conv2d_residual(c.input, c.weight, c.bias, c.params, *c.residual, c.identity);
    return simulator.conv2d(c.input, c.weight, c.bias, c.params, c.stage);
}

// A random conv (or, with `fully_connected`, FC) layer small enough for a test.
inline ConvCase random_conv(std::mt19937& rng, bool fully_connected = false) {
    ConvCase c;
    c.fully_connected = fully_connected;
    const IntType x_type = random_activation_type(rng);
    const IntType w_type = random_weight_type(rng);
    const int64_t batch = uniform(rng, 1, 2);
    int64_t out_channels = 0, reduction = 0;
    if (fully_connected) {
        const int64_t depth = uniform(rng, 1, 300);
        out_channels = uniform(rng, 1, 40);
        c.input = random_tensor({batch, depth}, x_type, rng);
        c.weight = random_weights({out_channels, depth}, w_type, rng);
        reduction = depth;
    } else {
        const int mode = uniform(rng, 0, 3);  // 0, 1: dense; 2: depthwise; 3: grouped
        int64_t groups = 1, in_channels = uniform(rng, 1, 24);
        out_channels = uniform(rng, 1, 40);
        if (mode == 2) {
            groups = in_channels;
            out_channels = in_channels * uniform(rng, 1, 2);
        } else if (mode == 3) {
            groups = uniform(rng, 2, 4);
            in_channels = groups * uniform(rng, 1, 6);
            out_channels = groups * uniform(rng, 1, 8);
        }
        c.params.groups = static_cast<int>(groups);
        const int kh = uniform(rng, 1, 5), kw = coin(rng, 3) ? uniform(rng, 1, 5) : kh;
        c.params.stride_h = uniform(rng, 1, 3);
        c.params.stride_w = coin(rng, 3) ? uniform(rng, 1, 3) : c.params.stride_h;
        c.params.dilation_h = coin(rng, 5) ? 2 : 1;
        c.params.dilation_w = coin(rng, 5) ? 2 : 1;
        c.params.pad_top = uniform(rng, 0, kh / 2 + 1);
        c.params.pad_bottom = uniform(rng, 0, kh / 2 + 1);
        c.params.pad_left = uniform(rng, 0, kw / 2 + 1);
        c.params.pad_right = uniform(rng, 0, kw / 2 + 1);
        const int64_t span_h = (kh - 1) * c.params.dilation_h + 1, span_w = (kw - 1) * c.params.dilation_w + 1;
        const int64_t h = std::max<int64_t>(uniform(rng, 1, 14), span_h - c.params.pad_top - c.params.pad_bottom);
        const int64_t w = std::max<int64_t>(uniform(rng, 1, 14), span_w - c.params.pad_left - c.params.pad_right);
        c.input = random_tensor({batch, in_channels, h, w}, x_type, rng);
        c.weight = random_weights({out_channels, in_channels / groups, kh, kw}, w_type, rng);
        reduction = in_channels / groups * kh * kw;
    }
    // Typical accumulator: a random walk of `reduction` products.
    const double typical = magnitude(x_type) * magnitude(w_type) * std::sqrt(static_cast<double>(reduction)) / 2;
    if (!coin(rng, 4)) c.bias = random_bias(out_channels, typical, rng);
    const IntType out_type{coin(rng) ? 4 : 8, coin(rng)};
    if (!fully_connected && coin(rng, 3)) {
        ResidualAddStage stage;
        stage.output_type = coin(rng, 4) ? IntType::signed_bits(16) : out_type;
        stage.relu = coin(rng);
        const int64_t count = coin(rng) ? 1 : out_channels;
        for (int64_t o = 0; o < count; ++o) stage.main_multipliers.push_back(random_multiplier(rng, typical, stage.output_type));
        const IntType id_type = coin(rng, 4) ? IntType::signed_bits(16) : IntType{coin(rng) ? 4 : 8, coin(rng)};
        stage.identity_multiplier = random_multiplier(rng, magnitude(id_type), stage.output_type);
        c.residual = stage;
        Shape out_shape = conv2d_output_shape(c.input.shape, c.weight.shape, c.params);
        c.identity = random_tensor(out_shape, id_type, rng);
    } else {
        c.stage.output_type = out_type;
        c.stage.relu = coin(rng);
        const int64_t count = coin(rng) ? 1 : out_channels;
        for (int64_t o = 0; o < count; ++o) c.stage.multipliers.push_back(random_multiplier(rng, typical, out_type));
    }
    return c;
}

// Roomy memories, the largest bandwidth and post-processing width the configuration allows
// (sim/accel_config.h) and no latency: the array alone sets the time.
inline sim::AccelConfig unconstrained_config(int rows = 16, int cols = 16) {
    sim::AccelConfig c = sim::default_accel_config();
    c.name = "unconstrained";
    c.array_rows = rows;
    c.array_cols = cols;
    c.input_scratchpad_bytes = c.weight_scratchpad_bytes = int64_t{4} << 20;
    c.accumulator_entries = int64_t{1} << 20;
    c.dram_bandwidth_bytes_per_cycle = 4096;
    c.dram_latency_cycles = 0;
    c.ppu_lanes = 4096;
    c.ppu_pipeline_cycles = 0;
    c.ppu_input_buffer_bytes = c.ppu_output_buffer_bytes = int64_t{4} << 20;
    return c;
}

// Small memories and a small array: many tiles per layer, every loop order and edge tile.
inline sim::AccelConfig tiny_config(std::mt19937& rng) {
    sim::AccelConfig c = sim::default_accel_config();
    c.name = "tiny";
    const int sizes[] = {2, 4, 8, 16};
    c.array_rows = sizes[uniform(rng, 0, 3)];
    c.array_cols = sizes[uniform(rng, 0, 3)];
    c.input_scratchpad_bytes = 2 * int64_t{uniform(rng, 1024, 4096)};
    c.weight_scratchpad_bytes = 2 * int64_t{uniform(rng, 256, 2048)};
    c.accumulator_entries = 2 * int64_t{uniform(rng, 256, 2048)};
    c.dram_bandwidth_bytes_per_cycle = uniform(rng, 1, 32);
    c.dram_latency_cycles = uniform(rng, 0, 50);
    c.ppu_lanes = uniform(rng, 1, 16);
    c.ppu_pipeline_cycles = uniform(rng, 0, 8);
    c.ppu_input_buffer_bytes = 2 * int64_t{uniform(rng, 2048, 4096)};
    c.ppu_output_buffer_bytes = 2 * int64_t{uniform(rng, 2048, 4096)};
    return c;
}

// First differing element, as "[n, c, h, w]: got x, expected y", or "" when equal (== on ints).
inline std::string first_difference(const Tensor& got, const Tensor& expected) {
    if (got.shape != expected.shape) return "shape " + to_string(got.shape) + " vs " + to_string(expected.shape);
    if (got.type != expected.type) return "type " + got.type.name() + " vs " + expected.type.name();
    for (size_t i = 0; i < got.data.size(); ++i) {
        if (got.data[i] != expected.data[i]) {
            return to_string(unravel_index(static_cast<int64_t>(i), got.shape)) + ": got " + std::to_string(got.data[i]) +
                   ", expected " + std::to_string(expected.data[i]);
        }
    }
    return "";
}

}  // namespace simtest
