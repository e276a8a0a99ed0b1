// Every cpu op against the reference with == on seeded random layers, on each instruction path
// this CPU runs: all weight and activation widths 2..8, signed and unsigned activations, int16
// and uint15/16 streams, strides, paddings, dilations, groups, depthwise, odd sizes, output
// channel counts around the kernels' 8/16/32-wide blocks, and multipliers that force exact
// rounding ties. The path each layer took is checked too, so a silent fallback to the reference
// fails the test. INFO prints the failing case; seeds are fixed.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <optional>
#include <string>

#include "cpu/conv2d.h"
#include "cpu/fully_connected.h"
#include "random_layers.h"
#include "reference_check.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/residual_add.h"
#include "util/error.h"

using namespace dyadic;
using namespace cpu_test;

namespace {

struct ConvCase {
    Tensor input, weight, bias, identity;
    Conv2dParams params;
    OutputStage stage;
    ResidualAddStage residual;
    std::string text;
};

ConvCase random_conv(std::mt19937& rng) {
    ConvCase c;
    const bool depthwise = coin(rng, 4);
    Conv2dParams& p = c.params;
    p.groups = depthwise ? uniform(rng, 1, 12) : (coin(rng, 4) ? uniform(rng, 2, 3) : 1);
    // Channels per group: 1 to 9 (padded words, dense stems), or 8, 16 or 24 (rows the AVX2
    // transposes encode, 8 x 8 blocks and pixel tails).
    const int cg = depthwise ? 1 : coin(rng, 5) ? 8 * uniform(rng, 1, 3) : uniform(rng, 1, 9);
    // Output channels per group around the 8, 16, 24 and 32 lane blocks.
    const int mg = depthwise ? uniform(rng, 1, 2) : (coin(rng, 3) ? uniform(rng, 30, 36) : uniform(rng, 1, 26));
    const int kh = coin(rng, 8) ? 5 : uniform(rng, 1, 3), kw = coin(rng, 8) ? 5 : uniform(rng, 1, 3);
    p.stride_h = uniform(rng, 1, 3);
    p.stride_w = uniform(rng, 1, 3);
    p.dilation_h = uniform(rng, 1, 2);
    p.dilation_w = uniform(rng, 1, 2);
    random_pads(p, rng);
    const int span_h = (kh - 1) * p.dilation_h + 1, span_w = (kw - 1) * p.dilation_w + 1;
    const int h = std::max(uniform(rng, 1, 11), span_h), w = std::max(uniform(rng, 1, 11), span_w);
    const int n = uniform(rng, 1, 3);
    const IntType x_type = random_activation_type(rng);
    const IntType w_type = IntType::signed_bits(uniform(rng, 2, 8));
    const int64_t c_out = int64_t{p.groups} * mg;
    c.input = random_tensor({n, int64_t{p.groups} * cg, h, w}, x_type, rng);
    c.weight = random_tensor({c_out, cg, kh, kw}, w_type, rng);
    if (!coin(rng, 5)) c.bias = random_bias(c_out, int64_t{1} << uniform(rng, 0, 22), rng);
    const double typical = std::sqrt(double(cg) * kh * kw) * -double(w_type.min()) * std::max(-x_type.min(), x_type.max());
    c.stage.output_type = random_output_type(rng);
    c.stage.relu = coin(rng);
    for (int64_t i = 0, count = coin(rng, 3) ? 1 : c_out; i < count; ++i) {
        c.stage.multipliers.push_back(random_multiplier(rng, typical, c.stage.output_type.bits));
    }
    const Shape out = conv2d_output_shape(c.input.shape, c.weight.shape, p);
    c.identity = random_tensor(out, coin(rng) ? IntType::signed_bits(16) : random_output_type(rng), rng);
    c.residual.output_type = random_output_type(rng);
    c.residual.relu = coin(rng);
    for (int64_t i = 0, count = coin(rng, 3) ? 1 : c_out; i < count; ++i) {
        c.residual.main_multipliers.push_back(random_multiplier(rng, typical, c.residual.output_type.bits));
    }
    c.residual.identity_multiplier = random_multiplier(rng, 256.0, c.residual.output_type.bits);
    c.text = describe(c.input) + " * " + describe(c.weight) + " groups " + std::to_string(p.groups) + " stride " +
             std::to_string(p.stride_h) + "x" + std::to_string(p.stride_w) + " dilation " + std::to_string(p.dilation_h) +
             "x" + std::to_string(p.dilation_w) + " pads " + std::to_string(p.pad_top) + "," + std::to_string(p.pad_left) +
             "," + std::to_string(p.pad_bottom) + "," + std::to_string(p.pad_right) + " -> " + c.stage.output_type.name();
    return c;
}

// The engine ran the layer on `isa` (or, for one-channel groups, the direct loop of that path).
void check_path(const std::string& path, cpu::Isa isa, const Tensor& input, const Tensor& weight) {
    const int weight_bits = weight.type.bits;
    int64_t max_abs_w = 0;
    for (const int32_t w : weight.data) max_abs_w = std::max<int64_t>(max_abs_w, w < 0 ? -int64_t{w} : w);
    INFO("path: " << path);
    CHECK(path.rfind("reference", 0) == std::string::npos);
    const bool int32_operands = !input.type.is_signed && input.type.bits >= 16;
    if (path.find("direct") != std::string::npos) {
        CHECK(path == (isa == cpu::Isa::kScalar ? "scalar direct" : "avx2 direct"));
    } else if (int32_operands) {
        CHECK(path.rfind("scalar s32s32", 0) == 0);
    } else {
        CHECK(path.rfind(cpu::isa_name(isa), 0) == 0);
        // AVX2 takes u8s8 only where no vpmaddubsw pair sum can saturate.
        const int64_t max_u8 = input.type.is_signed ? 127 + (int64_t{1} << (input.type.bits - 1)) : input.type.max();
        const bool bytes = input.type.bits <= 8 && weight_bits <= 8 &&
                           (isa != cpu::Isa::kAvx2 || 2 * max_u8 * max_abs_w <= 32767);
        CHECK(path.find(bytes ? "u8s8" : "s16s16") != std::string::npos);
    }
}

}  // namespace

TEST_CASE("cpu conv2d and conv+residual equal the reference on random layers, every path", "[cpu][conv2d]") {
    ThreadPool pool(3);
    for (const cpu::Isa isa : paths_to_test()) {
        std::mt19937 rng(1000 + static_cast<unsigned>(isa));
        for (int iteration = 0; iteration < 300; ++iteration) {
            const ConvCase c = random_conv(rng);
            std::string path;
            const cpu::Runtime runtime{isa, &pool, &path};
            INFO("path " << cpu::isa_name(isa) << ", case " << iteration << ": " << c.text);
            check_equal([&] { return dyadic::conv2d(c.input, c.weight, c.bias, c.params, c.stage); },
                        [&] { return cpu::conv2d(c.input, c.weight, c.bias, c.params, c.stage, runtime); });
            check_path(path, isa, c.input, c.weight);
            check_equal(
                [&] {
                    return dyadic::residual_add(conv2d_accumulate(c.input, c.weight, c.bias, c.params), c.identity,
                                                c.residual);
                },
                [&] { return cpu::conv2d_residual(c.input, c.weight, c.bias, c.params, c.identity, c.residual, runtime); });
            check_path(path, isa, c.input, c.weight);
        }
    }
}

TEST_CASE("cpu fully_connected equals the reference on random layers, every path", "[cpu][fully_connected]") {
    ThreadPool pool(3);
    for (const cpu::Isa isa : paths_to_test()) {
        std::mt19937 rng(2000 + static_cast<unsigned>(isa));
        for (int iteration = 0; iteration < 200; ++iteration) {
            const int64_t batch = uniform(rng, 1, 30), depth = uniform(rng, 1, 300), units = uniform(rng, 1, 40);
            const IntType x_type = random_activation_type(rng), w_type = IntType::signed_bits(uniform(rng, 2, 8));
            const Tensor input = random_tensor({batch, depth}, x_type, rng);
            const Tensor weight = random_tensor({units, depth}, w_type, rng);
            const Tensor bias = coin(rng, 5) ? Tensor{} : random_bias(units, int64_t{1} << uniform(rng, 0, 22), rng);
            OutputStage stage;
            stage.output_type = random_output_type(rng);
            stage.relu = coin(rng);
            const double typical = std::sqrt(double(depth)) * 128.0 * std::max(-x_type.min(), x_type.max());
            for (int64_t i = 0, count = coin(rng, 3) ? 1 : units; i < count; ++i) {
                stage.multipliers.push_back(random_multiplier(rng, typical, stage.output_type.bits));
            }
            std::string path;
            const cpu::Runtime runtime{isa, &pool, &path};
            INFO("path " << cpu::isa_name(isa) << ", case " << iteration << ": " << describe(input) << " * "
                         << describe(weight));
            check_equal([&] { return dyadic::fully_connected(input, weight, bias, stage); },
                        [&] { return cpu::fully_connected(input, weight, bias, stage, runtime); });
            check_path(path, isa, input, weight);
        }
    }
}

TEST_CASE("cpu conv2d is exact at the operands' extremes, where vpmaddubsw would saturate", "[cpu][conv2d]") {
    // uint8 255 times int8 -128, and int16 -32768 times int16-widened -128: every pair sum is at
    // the edge of what int16 intermediates can hold (or beyond it), with a bias that puts the
    // final accumulator a few units from the int32 limit in one channel.
    ThreadPool pool(2);
    for (const cpu::Isa isa : paths_to_test()) {
        for (const IntType x_type : {IntType::unsigned_bits(8), IntType::signed_bits(8), IntType::signed_bits(16)}) {
            const int64_t k = 64;
            Tensor input({1, k, 3, 3}, x_type);
            for (size_t i = 0; i < input.data.size(); ++i) {
                input.data[i] = static_cast<int32_t>(i % 3 == 0 ? x_type.min() : x_type.max());
            }
            Tensor weight({2, k, 1, 1}, IntType::signed_bits(8));
            for (size_t i = 0; i < weight.data.size(); ++i) weight.data[i] = i < static_cast<size_t>(k) ? -128 : 127;
            Tensor bias({2}, IntType::int32());
            bias.data = {2147483647 - 64 * 128 * 32768, -5};
            OutputStage stage{{Dyadic{int32_t{1} << 30, 30 + 12}}, IntType::signed_bits(16), false};
            std::string path;
            const cpu::Runtime runtime{isa, &pool, &path};
            INFO("path " << cpu::isa_name(isa) << ", input " << x_type.name());
            check_equal([&] { return dyadic::conv2d(input, weight, bias, {}, stage); },
                        [&] { return cpu::conv2d(input, weight, bias, {}, stage, runtime); });
            check_path(path, isa, input, weight);
        }
    }
}

TEST_CASE("cpu conv2d u8s8 is exact where the int16 sums of pair sums reach their bound", "[cpu][conv2d]") {
    // Every activation at the largest u8 operand (signed ones +128) and a channel of weights all
    // at -max|w| (another all at +max|w|, and a third mixed): every vpmaddubsw pair sum is at its
    // bound, and each int16 sum of pair_sum_words of them comes within one pair sum of -32768.
    // Channel counts give each tap one full run of pair_sum_words words and a shorter one; one
    // pair sum more per run would wrap, so the test fails if the kernel adds too many.
    ThreadPool pool(2);
    struct Case {
        IntType x_type, w_type;
        int64_t channels, k;
    };
    const Case cases[] = {
        {IntType::unsigned_bits(8), IntType::signed_bits(4), 40, 3},     // 2 * 255 * 8: 8 words a run
        {IntType::signed_bits(4), IntType::signed_bits(4), 68, 1},       // 2 * 135 * 8: 15 words
        {IntType::unsigned_bits(4), IntType::signed_bits(8), 48, 3},     // 2 * 15 * 128: 8 words
        {IntType::unsigned_bits(4), IntType::signed_bits(4), 600, 1},    // 2 * 15 * 8: 136 words
        {IntType::signed_bits(8), IntType::signed_bits(3), 72, 3},       // 2 * 255 * 4: 16 words
    };
    for (const cpu::Isa isa : paths_to_test()) {
        for (const Case& c : cases) {
            Tensor input({2, c.channels, 3, 3}, c.x_type);
            for (int32_t& x : input.data) x = static_cast<int32_t>(c.x_type.max());
            input.data[4] = static_cast<int32_t>(c.x_type.min());  // one pixel's sums away from the bound
            Tensor weight({3, c.channels, c.k, c.k}, c.w_type);
            const size_t per_channel = weight.data.size() / 3;
            for (size_t i = 0; i < weight.data.size(); ++i) {
                const int64_t value = i < per_channel ? c.w_type.min() : i < 2 * per_channel ? c.w_type.max()
                                                                                             : (i % 5 ? c.w_type.min() : 1);
                weight.data[i] = static_cast<int32_t>(value);
            }
            Conv2dParams p;
            p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = c.k / 2;
            // Accumulators below 2^23 here: a shift of 8 keeps them in int16, and an int16 sum that
            // wrapped (65536 off) shows as 256.
            const OutputStage stage{{Dyadic{int32_t{1} << 30, 30 + 8}}, IntType::signed_bits(16), false};
            std::string path;
            const cpu::Runtime runtime{isa, &pool, &path};
            INFO("path " << cpu::isa_name(isa) << ": " << describe(input) << " * " << describe(weight));
            check_equal([&] { return dyadic::conv2d(input, weight, {}, p, stage); },
                        [&] { return cpu::conv2d(input, weight, {}, p, stage, runtime); });
            check_path(path, isa, input, weight);
        }
    }
}

TEST_CASE("cpu conv2d hands unprovable layers to the reference and throws where it throws", "[cpu][conv2d][bound]") {
    ThreadPool pool(2);
    const cpu::Isa isa = cpu::best_isa();
    std::string path;
    const cpu::Runtime runtime{isa, &pool, &path};
    // K = 576, int16 x int8: the type bound 576 * 32768 * 128 exceeds 2^31.
    Tensor weight({4, 64, 3, 3}, IntType::signed_bits(8));
    for (int32_t& w : weight.data) w = -128;
    const OutputStage stage{{Dyadic{int32_t{1} << 30, 40}}, IntType::signed_bits(8), false};
    Tensor input({1, 64, 4, 4}, IntType::signed_bits(16));

    SECTION("small data: the data bound proves it, the engine runs it") {
        for (size_t i = 0; i < input.data.size(); ++i) input.data[i] = static_cast<int32_t>(i % 200) - 100;
        check_equal([&] { return dyadic::conv2d(input, weight, {}, {}, stage); },
                    [&] { return cpu::conv2d(input, weight, {}, {}, stage, runtime); });
        CHECK(path.rfind(cpu::isa_name(isa), 0) == 0);
    }
    SECTION("data that fits but is not provable: the reference runs it") {
        for (size_t i = 0; i < input.data.size(); ++i) input.data[i] = i % 2 ? 32767 : -32768;
        check_equal([&] { return dyadic::conv2d(input, weight, {}, {}, stage); },
                    [&] { return cpu::conv2d(input, weight, {}, {}, stage, runtime); });
        CHECK(path.rfind("reference (accumulator bound", 0) == 0);
    }
    SECTION("an accumulator that leaves int32: both throw") {
        for (int32_t& x : input.data) x = -32768;  // 576 * 2^22 > 2^31 at the centre
        CHECK_THROWS_AS(dyadic::conv2d(input, weight, {}, {}, stage), Error);
        CHECK_THROWS_AS(cpu::conv2d(input, weight, {}, {}, stage, runtime), Error);
    }
    SECTION("bad operands: the reference's own error") {
        Tensor bad = input;
        bad.data[3] = 40000;  // outside int16
        CHECK_THROWS_WITH(cpu::conv2d(bad, weight, {}, {}, stage, runtime),
                          Catch::Matchers::Contains("conv2d input"));
    }
}
