// The post-processing unit (rtl/hdl/dyadic_ppu*.sv), which rounds in its own datapath, against the
// reference's requantization: the hand-derived edge cases of tests/reference/test_requantize.cpp and
// docs/semantics.md (each checked against the hand value and the reference), then 100k random
// elements compared with reference requantize() and residual_add() with ==, and the tile timing
// ceil(E / lanes) + pipeline cycles.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "Vdyadic_rtl_ppu.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"
#include "rtl/ppu_driver.h"

using namespace dyadic;
using rtl::PpuElement;
using rtl::PpuSettings;

namespace {

constexpr int kLanes = DYADIC_PPU_LANES;
constexpr int kPipeline = DYADIC_PPU_PIPELINE_CYCLES;
constexpr int32_t kTwo30 = int32_t{1} << 30;
constexpr int32_t kMaxMantissa = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr Dyadic kHalf{kTwo30, 31};
constexpr Dyadic kQuarter{kTwo30, 32};
constexpr IntType kInt8 = IntType::signed_bits(8);
constexpr IntType kInt16 = IntType::signed_bits(16);
constexpr IntType kInt32 = IntType::int32();

rtl::PpuDriver<Vdyadic_rtl_ppu>& ppu() {
    static rtl::PpuDriver<Vdyadic_rtl_ppu> driver(kLanes);
    return driver;
}

int32_t run_one(const PpuSettings& settings, const PpuElement& element) {
    int32_t result = 0;
    ppu().run_tile(settings, &element, 1, &result);
    return result;
}

struct Case {
    int64_t acc;  // acc + bias, split below
    Dyadic m;
    IntType type;
    bool relu;
    int64_t expected;
};

// Runs each case through the PPU (the value split into accumulator and bias, so the bias adder is
// exercised too) and checks the hand-derived value and the reference's.
void check_cases(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        INFO("acc " << c.acc << " b " << c.m.mantissa << " c " << c.m.shift << " " << c.type.name() << (c.relu ? " relu" : ""));
        const int32_t bias = static_cast<int32_t>(c.acc / 3);
        const PpuElement e{static_cast<int32_t>(c.acc - bias), bias, c.m, 0};
        const int32_t got = run_one(PpuSettings{false, dyadic_one(), c.type, c.relu}, e);
        CHECK(got == c.expected);
        CHECK(got == requantize(c.acc, c.m, clamp_range(c.type, c.relu)));
    }
}

}  // namespace

TEST_CASE("PPU: ties round half toward +infinity", "[rtl][ppu]") {
    const Dyadic three_quarters{3 << 29, 31};
    check_cases({
        {5, kHalf, kInt8, false, 3},   {-5, kHalf, kInt8, false, -2}, {3, kHalf, kInt8, false, 2},
        {-3, kHalf, kInt8, false, -1}, {1, kHalf, kInt8, false, 1},   {-1, kHalf, kInt8, false, 0},
        {1, kQuarter, kInt8, false, 0}, {3, kQuarter, kInt8, false, 1}, {-1, kQuarter, kInt8, false, 0},
        {-3, kQuarter, kInt8, false, -1}, {-6, kQuarter, kInt8, false, -1}, {-10, kQuarter, kInt8, false, -2},
        {3, three_quarters, kInt8, false, 2}, {-3, three_quarters, kInt8, false, -2},
        {5, three_quarters, kInt8, false, 4}, {-5, three_quarters, kInt8, false, -4},
        // docs/semantics.md section 5: to_dyadic(0.1) = (1717986918, 34) and the 0.25 ties.
        {37, Dyadic{1717986918, 34}, kInt8, false, 4}, {-15, Dyadic{1717986918, 34}, kInt8, false, -1},
        {-25, Dyadic{1717986918, 34}, kInt8, false, -2}, {10, kQuarter, kInt8, false, 3},
        {-10, kQuarter, kInt8, false, -2}, {-11, kQuarter, kInt8, false, -3},
        // section 7.2: 240 * 0.6 = 144 saturates int8; -10 * 0.25 = -2.5 -> -2.
        {240, Dyadic{1288490189, 31}, kInt8, false, 127}, {-10, Dyadic{1073741824, 32}, kInt8, false, -2},
    });
}

TEST_CASE("PPU: shift 0, shift 62 and the mantissa extremes", "[rtl][ppu]") {
    check_cases({
        // c = 0: no rounding term; the product itself, clamped.
        {0, Dyadic{kTwo30, 0}, kInt32, false, 0},
        {1, Dyadic{kTwo30, 0}, kInt32, false, kTwo30},
        {-3, Dyadic{kMaxMantissa, 0}, kInt32, false, kInt32Min},  // -6442450941 saturates
        {1, Dyadic{kTwo30, 0}, kInt16, false, 32767},
        {-1, Dyadic{kTwo30, 0}, kInt16, false, -32768},
        // c = 62.
        {kInt32Min, Dyadic{kTwo30, 62}, kInt32, false, 0},
        {kInt32Max, Dyadic{kTwo30, 62}, kInt32, false, 0},
        {kInt32Max, Dyadic{kMaxMantissa, 62}, kInt32, false, 1},
        {kInt32Min, Dyadic{kMaxMantissa, 62}, kInt32, false, -1},
        {-kTwo30 - 1, Dyadic{kMaxMantissa, 62}, kInt32, false, -1},
        {-kTwo30, Dyadic{kMaxMantissa, 62}, kInt32, false, 0},
        {kTwo30, Dyadic{kMaxMantissa, 62}, kInt32, false, 0},
        {kTwo30 + 1, Dyadic{kMaxMantissa, 62}, kInt32, false, 1},
        // b = 2^30 and 2^31 - 1.
        {12345, Dyadic{kTwo30, 30}, kInt16, false, 12345},
        {-12345, Dyadic{kTwo30, 30}, kInt16, false, -12345},
        {kTwo30, Dyadic{kMaxMantissa, 31}, kInt32, false, kTwo30},
        {-kTwo30, Dyadic{kMaxMantissa, 31}, kInt32, false, -kTwo30 + 1},
        {1000, Dyadic{kMaxMantissa, 31}, kInt16, false, 1000},
        {-1000, Dyadic{kMaxMantissa, 31}, kInt16, false, -1000},
        // Accumulators at the int32 limits.
        {kInt32Max, dyadic_one(), kInt32, false, kInt32Max},
        {kInt32Min, dyadic_one(), kInt32, false, kInt32Min},
        {kInt32Max, Dyadic{kMaxMantissa, 0}, kInt32, false, kInt32Max},
        {kInt32Min, Dyadic{kMaxMantissa, 0}, kInt32, false, kInt32Min},
    });
}

TEST_CASE("PPU: saturation at both ends of every output width, and ReLU", "[rtl][ppu]") {
    for (int bits = 2; bits <= 16; ++bits) {
        for (bool is_signed : {true, false}) {
            const IntType t{bits, is_signed};
            // Bounds derived from the width, not from IntType.
            const int64_t hi = is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
            const int64_t lo = is_signed ? -(int64_t{1} << (bits - 1)) : 0;
            check_cases({
                {1000000, dyadic_one(), t, false, hi}, {-1000000, dyadic_one(), t, false, lo},
                {hi, dyadic_one(), t, false, hi},      {lo, dyadic_one(), t, false, lo},
                {hi + 1, dyadic_one(), t, false, hi},  {lo - 1, dyadic_one(), t, false, lo},
                {kInt32Max, Dyadic{kMaxMantissa, 0}, t, false, hi},
                {kInt32Min, Dyadic{kMaxMantissa, 0}, t, false, lo},
                {-1, dyadic_one(), t, true, 0},        {lo - 1, dyadic_one(), t, true, 0},
                {hi + 1, dyadic_one(), t, true, hi},
            });
        }
    }
    check_cases({
        {-1000, dyadic_one(), kInt8, true, 0}, {0, dyadic_one(), kInt8, true, 0},
        {5, kHalf, kInt8, true, 3},            {-1, kHalf, kInt8, true, 0},
        {-3, kHalf, kInt8, true, 0},           {300, dyadic_one(), kInt8, true, 127},
    });
}

TEST_CASE("PPU: fused residual, each branch rounded on its own (docs/semantics.md section 8)", "[rtl][ppu]") {
    // main channel 0 [10, -7] at 1/4, channel 1 [25, 3] at 1/2; identity [1, -3, -9, 4] at 1/2; int4.
    const PpuSettings settings{true, kHalf, IntType::signed_bits(4), false};
    const std::vector<PpuElement> elements{
        {10, 0, kQuarter, 1}, {-7, 0, kQuarter, -3}, {20, 5, kHalf, -9}, {3, 0, kHalf, 4}};
    std::vector<int32_t> got(elements.size());
    ppu().run_tile(settings, elements.data(), static_cast<int64_t>(elements.size()), got.data());
    CHECK(got == std::vector<int32_t>{4, -3, 7, 4});
    // The largest identity magnitudes: int16 and uint16 at the largest mantissa, c = 0 saturates.
    const PpuSettings wide{true, Dyadic{kMaxMantissa, 31}, kInt16, false};
    CHECK(run_one(wide, {0, 0, dyadic_one(), -32768}) == -32768);  // -32768 (1 - 2^-31) -> -32768 + tiny -> -32768
    CHECK(run_one(wide, {0, 0, dyadic_one(), 65535}) == 32767);
    CHECK(run_one(PpuSettings{true, Dyadic{kTwo30, 0}, kInt32, false}, {0, 0, dyadic_one(), 65535}) == kInt32Max);
    // ReLU applies to the sum, not to each term: -3 + 2 = -1 -> 0, 1 + 2 = 3.
    const PpuSettings relu{true, dyadic_one(), kInt8, true};
    CHECK(run_one(relu, {-3, 0, dyadic_one(), 2}) == 0);
    CHECK(run_one(relu, {-3, 4, dyadic_one(), 2}) == 3);
}

TEST_CASE("PPU: 100k random elements equal the reference, tiles take ceil(E / lanes) + pipeline cycles", "[rtl][ppu]") {
    std::mt19937_64 rng(2024);
    const auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    // Values spread over magnitudes: uniform int32, small, and the extremes.
    const auto value = [&](int64_t lo, int64_t hi) -> int64_t {
        switch (uniform(0, 3)) {
            case 0: return uniform(lo, hi);
            case 1: { const int64_t m = int64_t{1} << uniform(0, 30); return std::clamp(uniform(-m, m), lo, hi); }
            case 2: return uniform(0, 1) ? lo : hi;
            default: return std::clamp<int64_t>(uniform(-300, 300), lo, hi);
        }
    };
    // Mantissa extremes often; shifts uniform half the time and otherwise aimed so that the result
    // lands near the output range, where rounding and clamping both matter.
    const auto multiplier = [&](int64_t v, int bits) {
        const int64_t b = uniform(0, 9) == 0 ? kTwo30 : uniform(0, 9) == 0 ? kMaxMantissa : uniform(kTwo30, kMaxMantissa);
        const int magnitude = std::bit_width(static_cast<uint64_t>(v < 0 ? -v : v));
        const int64_t c = uniform(0, 1) ? uniform(0, 62) : std::clamp<int64_t>(31 + magnitude - bits + uniform(-3, 3), 0, 62);
        return Dyadic{static_cast<int32_t>(b), static_cast<int>(c)};
    };

    int64_t elements_checked = 0, mismatches = 0;
    std::string first;
    for (int batch = 0; batch < 100; ++batch) {
        const IntType out{static_cast<int>(uniform(2, 16)), uniform(0, 1) == 1};
        const bool relu = uniform(0, 2) == 0;
        const bool residual = batch % 2 == 1;
        const IntType id_type{static_cast<int>(uniform(2, 16)), uniform(0, 1) == 1};
        const int64_t count = 1000 + uniform(0, kLanes - 1);  // a partial last beat most of the time

        std::vector<PpuElement> elements(static_cast<size_t>(count));
        TensorStorage main(static_cast<size_t>(count), 0), identity(static_cast<size_t>(count), 0);
        std::vector<Dyadic> main_multipliers(static_cast<size_t>(count));
        const Dyadic id_multiplier = multiplier(value(id_type.min(), id_type.max()), out.bits);
        for (int64_t i = 0; i < count; ++i) {
            const int64_t v = value(kInt32Min, kInt32Max);
            int64_t bias = value(-(int64_t{1} << 20), int64_t{1} << 20);
            if (v - bias < kInt32Min || v - bias > kInt32Max) bias = 0;
            const size_t k = static_cast<size_t>(i);
            main[k] = static_cast<int32_t>(v);
            main_multipliers[k] = multiplier(v, out.bits);
            identity[k] = residual ? static_cast<int32_t>(value(id_type.min(), id_type.max())) : 0;
            elements[k] = PpuElement{static_cast<int32_t>(v - bias), static_cast<int32_t>(bias), main_multipliers[k], identity[k]};
        }
        std::vector<int32_t> got(static_cast<size_t>(count));
        const int64_t cycles =
            ppu().run_tile(PpuSettings{residual, id_multiplier, out, relu}, elements.data(), count, got.data());
        CHECK(cycles == (count + kLanes - 1) / kLanes + kPipeline);

        TensorStorage expected(static_cast<size_t>(count), 0);
        if (residual) {
            // The reference op itself: one channel per element, so each has its own main multiplier.
            const Tensor main_t({1, count, 1, 1}, IntType::int32(), main);
            const Tensor id_t({1, count, 1, 1}, id_type, identity);
            expected = residual_add(main_t, id_t, ResidualAddStage{main_multipliers, id_multiplier, out, relu}).data;
        } else {
            for (size_t k = 0; k < expected.size(); ++k) expected[k] = requantize(main[k], main_multipliers[k], clamp_range(out, relu));
        }
        for (size_t k = 0; k < expected.size(); ++k, ++elements_checked) {
            if (got[k] != expected[k] && mismatches++ == 0) {
                first = "batch " + std::to_string(batch) + " element " + std::to_string(k) + ": main " + std::to_string(main[k]) +
                        " b " + std::to_string(main_multipliers[k].mantissa) + " c " + std::to_string(main_multipliers[k].shift) +
                        " identity " + std::to_string(identity[k]) + " " + out.name() + ": expected " +
                        std::to_string(expected[k]) + ", got " + std::to_string(got[k]);
            }
        }
    }
    INFO(first);
    CHECK(mismatches == 0);
    CHECK(elements_checked >= 100000);
}
