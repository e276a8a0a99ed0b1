// The conv engine's Winograd F(2x2, 3x3) path against the reference with ==: random 3x3
// stride-1 layers of every size class the transforms treat differently (odd and even output
// sizes, one-pixel outputs, paddings 0..2 on each side, channel counts off the 8- and 16-lane
// steps, batches that span several tasks), the operands' extremes (where the transformed values
// reach 4 max|x| and 9 max|w|), and the bounds that send a layer back to the direct GEMM. The
// path each layer took is checked, so the tests fail if Winograd silently stops running.
#include <catch2/catch.hpp>

#include <string>

#include "cpu/conv2d.h"
#include "random_layers.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/residual_add.h"
#include "reference_check.h"

using namespace dyadic;
using namespace cpu_test;

namespace {

// Whether the engine takes the s16s16 operand for this layer on `isa` (as make_layout decides):
// AVX2 whenever the operands are 8-bit but vpmaddubsw is not provably exact, and every path for
// activations of 9 to 15 bits.
bool s16_operand(cpu::Isa isa, const IntType& x, int64_t max_abs_w) {
    if (x.bits > 8) return true;
    const int64_t max_u8 = x.is_signed ? 127 + (int64_t{1} << (x.bits - 1)) : x.max();
    return isa == cpu::Isa::kAvx2 && 2 * max_u8 * max_abs_w > 32767;
}

int64_t max_abs(const Tensor& t) {
    int64_t m = 0;
    for (const int32_t v : t.data) m = std::max<int64_t>(m, v < 0 ? -int64_t{v} : v);
    return m;
}

struct Layer {
    Tensor input, weight, bias, identity;
    Conv2dParams params;
    OutputStage stage;
    ResidualAddStage residual;
};

// Activations on which every path this CPU runs may take Winograd: 8-bit (AVX2, with 8-bit
// weights) or 9 to 13 bits (4 max|x| <= 32767, so the type bound holds).
IntType winograd_activation_type(std::mt19937& rng) {
    if (coin(rng)) return coin(rng) ? IntType::unsigned_bits(8) : IntType::signed_bits(8);
    return coin(rng) ? IntType::signed_bits(uniform(rng, 9, 13)) : IntType::unsigned_bits(uniform(rng, 9, 13));
}

Layer random_layer(std::mt19937& rng) {
    Layer l;
    Conv2dParams& p = l.params;
    random_pads(p, rng);
    // Output 1 to 12 pixels a side (with the pads above): odd sizes leave a half tile.
    const int h = uniform(rng, 3, 12), w = uniform(rng, 3, 12);
    const int n = coin(rng, 6) ? uniform(rng, 6, 16) : uniform(rng, 1, 3);
    const int c_in = coin(rng) ? 8 * uniform(rng, 1, 4) : uniform(rng, 8, 40);
    const int c_out = coin(rng) ? 8 * uniform(rng, 1, 5) : uniform(rng, 1, 40);
    const IntType x_type = winograd_activation_type(rng);
    const IntType w_type = IntType::signed_bits(x_type.bits > 8 ? uniform(rng, 2, 8) : 8);
    l.input = random_tensor({n, c_in, h, w}, x_type, rng);
    l.weight = random_tensor({c_out, c_in, 3, 3}, w_type, rng);
    if (!coin(rng, 4)) l.bias = random_bias(c_out, int64_t{1} << uniform(rng, 0, 24), rng);
    const double typical = 3.0 * std::sqrt(double(c_in)) * 128.0 * std::max(-x_type.min(), x_type.max());
    l.stage.output_type = random_output_type(rng);
    l.stage.relu = coin(rng);
    for (int64_t i = 0, count = coin(rng, 3) ? 1 : c_out; i < count; ++i) {
        l.stage.multipliers.push_back(random_multiplier(rng, typical, l.stage.output_type.bits));
    }
    const Shape out = conv2d_output_shape(l.input.shape, l.weight.shape, p);
    l.identity = random_tensor(out, IntType::signed_bits(16), rng);
    l.residual.output_type = random_output_type(rng);
    l.residual.relu = coin(rng);
    l.residual.main_multipliers.push_back(random_multiplier(rng, typical, l.residual.output_type.bits));
    l.residual.identity_multiplier = random_multiplier(rng, 256.0, l.residual.output_type.bits);
    return l;
}

std::string describe(const Layer& l) {
    const Conv2dParams& p = l.params;
    return cpu_test::describe(l.input) + " * " + cpu_test::describe(l.weight) + " pads " + std::to_string(p.pad_top) +
           "," + std::to_string(p.pad_left) + "," + std::to_string(p.pad_bottom) + "," + std::to_string(p.pad_right);
}

// conv2d and conv+residual on the cpu engine == the reference; returns the path conv2d took.
std::string check_layer(const Layer& l, cpu::Isa isa, ThreadPool& pool) {
    std::string path, residual_path;
    const cpu::Runtime runtime{isa, &pool, &path}, residual_runtime{isa, &pool, &residual_path};
    check_equal([&] { return dyadic::conv2d(l.input, l.weight, l.bias, l.params, l.stage); },
                [&] { return cpu::conv2d(l.input, l.weight, l.bias, l.params, l.stage, runtime); });
    check_equal(
        [&] {
            return dyadic::residual_add(conv2d_accumulate(l.input, l.weight, l.bias, l.params), l.identity, l.residual);
        },
        [&] { return cpu::conv2d_residual(l.input, l.weight, l.bias, l.params, l.identity, l.residual, residual_runtime); });
    CHECK(residual_path == path);
    return path;
}

}  // namespace

TEST_CASE("cpu conv2d by Winograd F(2x2,3x3) equals the reference on random 3x3 stride-1 layers", "[cpu][winograd]") {
    ThreadPool pool(3);
    for (const cpu::Isa isa : paths_to_test()) {
        std::mt19937 rng(7000 + static_cast<unsigned>(isa));
        int winograd_layers = 0;
        for (int iteration = 0; iteration < 120; ++iteration) {
            const Layer l = random_layer(rng);
            INFO("path " << cpu::isa_name(isa) << ", case " << iteration << ": " << describe(l));
            const std::string path = check_layer(l, isa, pool);
            INFO("took " << path);
            const bool expected = s16_operand(isa, l.input.type, max_abs(l.weight));
            CHECK((path.find("winograd") != std::string::npos) == expected);
            winograd_layers += expected;
        }
        // Every path has a Winograd case in most iterations (the 9- to 13-bit activations).
        CHECK(winograd_layers >= 30);
    }
}

TEST_CASE("cpu Winograd is exact where its transformed operands reach their bounds", "[cpu][winograd]") {
    // A checkerboard of the activation type's extremes makes B^T d B reach 4 max|x| in magnitude;
    // weights of one sign, or of alternating signs, make G' g G'^T reach 9 max|w|. Activations of 13 bits put 4 max|x| at 32764 and 16384, the edge of
    // int16; a bias brings one channel's final accumulator near the int32 limit.
    ThreadPool pool(2);
    for (const cpu::Isa isa : paths_to_test()) {
        for (const IntType x_type : {IntType::signed_bits(13), IntType::unsigned_bits(13), IntType::signed_bits(8),
                                     IntType::unsigned_bits(8)}) {
            for (const int64_t c_in : {8, 21}) {
                Layer l;
                l.params.pad_top = l.params.pad_left = l.params.pad_bottom = l.params.pad_right = 1;
                l.input = Tensor({2, c_in, 7, 6}, x_type);
                for (size_t i = 0; i < l.input.data.size(); ++i) {
                    const size_t pixel = i % 42, y = pixel / 6, x = pixel % 6;
                    l.input.data[i] = static_cast<int32_t>((x + y) % 2 ? x_type.max() : x_type.min());
                }
                l.weight = Tensor({3, c_in, 3, 3}, IntType::signed_bits(8));
                for (size_t i = 0; i < l.weight.data.size(); ++i) {
                    const size_t tap = i % 9, channel = i / (9 * static_cast<size_t>(c_in));
                    const bool corner = tap == 0 || tap == 2 || tap == 6 || tap == 8;
                    // Channel 0: U'[1][1] = 9 * (-128); channel 1, signs (-1)^(ky + kx):
                    // U'[2][2] = 9 * 127; channel 2: corners against the rest.
                    l.weight.data[i] = channel == 0 ? -128 : channel == 1 ? (tap % 2 ? -127 : 127) : (corner ? -128 : 127);
                }
                l.bias = Tensor({3}, IntType::int32());
                l.bias.data = {2147483647 - static_cast<int32_t>(9 * c_in * 128 * 8192), -7, 0};
                l.stage = OutputStage{{Dyadic{int32_t{1} << 30, 30 + 12}}, IntType::signed_bits(16), false};
                l.identity = Tensor(conv2d_output_shape(l.input.shape, l.weight.shape, l.params), IntType::signed_bits(16));
                l.residual.output_type = IntType::signed_bits(16);
                l.residual.main_multipliers = {Dyadic{int32_t{1} << 30, 30 + 12}};
                l.residual.identity_multiplier = Dyadic{int32_t{1} << 30, 30};
                INFO("path " << cpu::isa_name(isa) << ": " << describe(l));
                const std::string path = check_layer(l, isa, pool);
                INFO("took " << path);
                CHECK((path.find("winograd") != std::string::npos) == s16_operand(isa, x_type, 128));
            }
        }
    }
}

TEST_CASE("cpu Winograd leaves a layer to the direct GEMM where its bounds fail", "[cpu][winograd][bound]") {
    ThreadPool pool(2);
    const cpu::Isa isa = cpu::best_isa();
    const OutputStage stage{{Dyadic{int32_t{1} << 30, 44}}, IntType::signed_bits(8), false};
    Conv2dParams same;
    same.pad_top = same.pad_left = same.pad_bottom = same.pad_right = 1;
    Layer l;
    l.params = same;
    l.stage = stage;
    l.input = Tensor({1, 16, 5, 5}, IntType::signed_bits(16));
    l.weight = Tensor({8, 16, 3, 3}, IntType::signed_bits(8));
    for (size_t i = 0; i < l.weight.data.size(); ++i) l.weight.data[i] = static_cast<int32_t>(i % 7) - 3;
    l.identity = Tensor({1, 8, 5, 5}, IntType::signed_bits(16));
    l.residual.output_type = IntType::signed_bits(8);
    l.residual.main_multipliers = {Dyadic{int32_t{1} << 30, 44}};
    l.residual.identity_multiplier = Dyadic{int32_t{1} << 30, 30};

    SECTION("int16 activations whose data stays within 8191: Winograd, by the data's bound") {
        for (size_t i = 0; i < l.input.data.size(); ++i) l.input.data[i] = i % 2 ? 8191 : -8191;
        CHECK(check_layer(l, isa, pool).find("winograd") != std::string::npos);
    }
    SECTION("int16 activations above 8191: 4 max|x| leaves int16, the direct GEMM") {
        for (size_t i = 0; i < l.input.data.size(); ++i) l.input.data[i] = i % 2 ? 8192 : -8000;
        const std::string path = check_layer(l, isa, pool);
        CHECK(path.find("gemm") != std::string::npos);
        CHECK(path.find("winograd") == std::string::npos);
    }
    SECTION("weights above 3640: 9 max|w| leaves int16, the direct GEMM") {
        l.weight.type = IntType::signed_bits(13);
        for (int tap = 0; tap < 9; ++tap) l.weight.data[static_cast<size_t>(tap)] = 3700;  // U'[1][1] = 33300
        for (size_t i = 0; i < l.input.data.size(); ++i) l.input.data[i] = static_cast<int32_t>(i % 5) - 2;
        const std::string path = check_layer(l, isa, pool);
        CHECK(path.find("gemm") != std::string::npos);
        CHECK(path.find("winograd") == std::string::npos);
    }
    SECTION("4 x the accumulator bound leaves int32 while the bound itself fits: the direct GEMM") {
        // K = 9 * 64, max|w| = 128, max|x| = 8191: bound 603,906,048 > 2^31 / 4, < 2^31.
        l.input = Tensor({1, 64, 4, 4}, IntType::signed_bits(14));
        for (size_t i = 0; i < l.input.data.size(); ++i) l.input.data[i] = i % 3 ? -8191 : 8191;
        l.weight = Tensor({8, 64, 3, 3}, IntType::signed_bits(8));
        for (int32_t& w : l.weight.data) w = -128;
        l.identity = Tensor({1, 8, 4, 4}, IntType::signed_bits(16));
        const std::string path = check_layer(l, isa, pool);
        CHECK(path.find("gemm") != std::string::npos);
        CHECK(path.find("winograd") == std::string::npos);
    }
}
