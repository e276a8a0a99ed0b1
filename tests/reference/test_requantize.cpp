// Requantization edge cases, each value derived by hand from y = clamp(floor(acc * b / 2^c + 1/2)).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/output_stage.h"
#include "reference/requantize.h"

using namespace dyadic;

namespace {

constexpr int32_t kTwo30 = int32_t{1} << 30;
constexpr int32_t kMaxMantissa = std::numeric_limits<int32_t>::max();  // 2^31 - 1
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr Dyadic kHalf{kTwo30, 31};     // exactly 1/2
constexpr Dyadic kQuarter{kTwo30, 32};  // exactly 1/4
constexpr ClampRange kWide{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};

}  // namespace

TEST_CASE("exact ties round half toward +infinity", "[requantize]") {
    // acc / 2: 2.5 -> 3, -2.5 -> -2, 1.5 -> 2, -1.5 -> -1, 0.5 -> 1, -0.5 -> 0
    CHECK(dyadic_scale(5, kHalf) == 3);
    CHECK(dyadic_scale(-5, kHalf) == -2);
    CHECK(dyadic_scale(3, kHalf) == 2);
    CHECK(dyadic_scale(-3, kHalf) == -1);
    CHECK(dyadic_scale(1, kHalf) == 1);
    CHECK(dyadic_scale(-1, kHalf) == 0);
    // acc / 4: 0.25 -> 0, 0.75 -> 1, -0.25 -> 0, -0.75 -> -1, -1.5 -> -1, -2.5 -> -2
    CHECK(dyadic_scale(1, kQuarter) == 0);
    CHECK(dyadic_scale(3, kQuarter) == 1);
    CHECK(dyadic_scale(-1, kQuarter) == 0);
    CHECK(dyadic_scale(-3, kQuarter) == -1);
    CHECK(dyadic_scale(-6, kQuarter) == -1);
    CHECK(dyadic_scale(-10, kQuarter) == -2);
    // Non-ties round to nearest: 3 * 3/4 = 2.25 -> 2, -2.25 -> -2, 5 * 3/4 = 3.75 -> 4
    const Dyadic three_quarters{3 << 29, 31};
    CHECK(dyadic_scale(3, three_quarters) == 2);
    CHECK(dyadic_scale(-3, three_quarters) == -2);
    CHECK(dyadic_scale(5, three_quarters) == 4);
    CHECK(dyadic_scale(-5, three_quarters) == -4);
}

TEST_CASE("shift 0 multiplies without rounding", "[requantize]") {
    CHECK(dyadic_scale(0, Dyadic{kTwo30, 0}) == 0);
    CHECK(dyadic_scale(1, Dyadic{kTwo30, 0}) == int64_t{1} << 30);
    CHECK(dyadic_scale(-3, Dyadic{kMaxMantissa, 0}) == -3 * int64_t{kMaxMantissa});
    // Saturates through the clamp.
    CHECK(requantize(1, Dyadic{kTwo30, 0}, clamp_range(IntType::signed_bits(16), false)) == 32767);
    CHECK(requantize(-1, Dyadic{kTwo30, 0}, clamp_range(IntType::signed_bits(16), false)) == -32768);
}

TEST_CASE("shift 62, the smallest multipliers", "[requantize]") {
    // b = 2^30, c = 62: ratio 2^-32, so even INT32_MIN maps to -2^31 / 2^32 = -0.5 -> 0 (a tie).
    CHECK(dyadic_scale(kInt32Min, Dyadic{kTwo30, 62}) == 0);
    CHECK(dyadic_scale(kInt32Max, Dyadic{kTwo30, 62}) == 0);  // 0.49999999977 -> 0
    // b = 2^31 - 1, c = 62: ratio 2^-31 - 2^-62.
    // INT32_MAX: (2^31 - 1)^2 / 2^62 = 1 - 2^-30 + 2^-62 -> 1.
    CHECK(dyadic_scale(kInt32Max, Dyadic{kMaxMantissa, 62}) == 1);
    // INT32_MIN: -2^31 (2^31 - 1) / 2^62 = -1 + 2^-31 -> -1.
    CHECK(dyadic_scale(kInt32Min, Dyadic{kMaxMantissa, 62}) == -1);
    // -(2^30 + 1)(2^31 - 1) / 2^62 is just below -1/2 -> -1; -2^30 (2^31 - 1) / 2^62 just above -> 0.
    CHECK(dyadic_scale(-kTwo30 - 1, Dyadic{kMaxMantissa, 62}) == -1);
    CHECK(dyadic_scale(-kTwo30, Dyadic{kMaxMantissa, 62}) == 0);
    // 2^30 * (2^31 - 1) / 2^62 = 1/2 - 2^-32 -> 0; one more and it rounds to 1.
    CHECK(dyadic_scale(kTwo30, Dyadic{kMaxMantissa, 62}) == 0);
    CHECK(dyadic_scale(kTwo30 + 1, Dyadic{kMaxMantissa, 62}) == 1);
}

TEST_CASE("mantissa extremes 2^30 and 2^31 - 1", "[requantize]") {
    // b = 2^30, c = 30 is exactly 1.
    CHECK(dyadic_scale(12345, Dyadic{kTwo30, 30}) == 12345);
    CHECK(dyadic_scale(-12345, Dyadic{kTwo30, 30}) == -12345);
    // b = 2^31 - 1, c = 31 is 1 - 2^-31: 2^30 -> 2^30 - 1/2 (a tie) -> 2^30; -2^30 -> -2^30 + 1/2 -> -2^30 + 1.
    CHECK(dyadic_scale(kTwo30, Dyadic{kMaxMantissa, 31}) == kTwo30);
    CHECK(dyadic_scale(-kTwo30, Dyadic{kMaxMantissa, 31}) == -kTwo30 + 1);
    // Small values are unchanged: 1000 - 1000 * 2^-31 -> 1000.
    CHECK(dyadic_scale(1000, Dyadic{kMaxMantissa, 31}) == 1000);
    CHECK(dyadic_scale(-1000, Dyadic{kMaxMantissa, 31}) == -1000);
}

TEST_CASE("accumulators at INT32_MIN and INT32_MAX do not overflow int64", "[requantize]") {
    // The largest products: |acc| * b <= 2^31 (2^31 - 1) < 2^62, and adding 2^(c-1) <= 2^61 stays below 2^63.
    CHECK(dyadic_scale(kInt32Max, Dyadic{kMaxMantissa, 0}) == kInt32Max * kInt32Max);
    CHECK(dyadic_scale(kInt32Min, Dyadic{kMaxMantissa, 0}) == kInt32Min * kInt32Max);
    CHECK(dyadic_scale(kInt32Min, Dyadic{kTwo30, 0}) == -(int64_t{1} << 61));
    // With the largest rounding term: (2^31 - 1)^2 + 2^61 >> 62 = 1 (no wrap to negative).
    CHECK(dyadic_scale(kInt32Max, Dyadic{kMaxMantissa, 62}) == 1);
    // Identity multiplier keeps the extremes exactly.
    CHECK(dyadic_scale(kInt32Max, dyadic_one()) == kInt32Max);
    CHECK(dyadic_scale(kInt32Min, dyadic_one()) == kInt32Min);
    CHECK(requantize(kInt32Max, dyadic_one(), kWide) == kInt32Max);
    CHECK(requantize(kInt32Min, dyadic_one(), kWide) == kInt32Min);
    // Values beyond int32 are refused rather than silently wrapped.
    CHECK_THROWS_AS(dyadic_scale(kInt32Max + 1, dyadic_one()), Error);
    CHECK_THROWS_AS(dyadic_scale(kInt32Min - 1, dyadic_one()), Error);
}

TEST_CASE("clamp ranges of every output width", "[requantize]") {
    struct Expected {
        IntType type;
        int64_t lo, hi;
    };
    const Expected cases[] = {
        {IntType::signed_bits(2), -2, 1},       {IntType::unsigned_bits(2), 0, 3},
        {IntType::signed_bits(4), -8, 7},       {IntType::unsigned_bits(4), 0, 15},
        {IntType::signed_bits(8), -128, 127},   {IntType::unsigned_bits(8), 0, 255},
        {IntType::signed_bits(16), -32768, 32767}, {IntType::unsigned_bits(16), 0, 65535},
    };
    for (const Expected& e : cases) {
        INFO(e.type.name());
        const ClampRange plain = clamp_range(e.type, false);
        CHECK(plain.lo == e.lo);
        CHECK(plain.hi == e.hi);
        const ClampRange relu = clamp_range(e.type, true);
        CHECK(relu.lo == 0);
        CHECK(relu.hi == e.hi);
        // Saturation at both ends, and the bounds themselves pass through unchanged.
        CHECK(requantize(1000000, dyadic_one(), plain) == e.hi);
        CHECK(requantize(-1000000, dyadic_one(), plain) == e.lo);
        CHECK(requantize(e.hi, dyadic_one(), plain) == e.hi);
        CHECK(requantize(e.lo, dyadic_one(), plain) == e.lo);
        CHECK(requantize(e.hi + 1, dyadic_one(), plain) == e.hi);
        CHECK(requantize(e.lo - 1, dyadic_one(), plain) == e.lo);
        CHECK(requantize(kInt32Max, Dyadic{kMaxMantissa, 0}, plain) == e.hi);
        CHECK(requantize(kInt32Min, Dyadic{kMaxMantissa, 0}, plain) == e.lo);
    }
}

TEST_CASE("ReLU is the lower clamp bound 0", "[requantize]") {
    const ClampRange int8_relu = clamp_range(IntType::signed_bits(8), true);
    CHECK(requantize(-1, dyadic_one(), int8_relu) == 0);
    CHECK(requantize(-1000, dyadic_one(), int8_relu) == 0);
    CHECK(requantize(0, dyadic_one(), int8_relu) == 0);
    CHECK(requantize(5, kHalf, int8_relu) == 3);
    CHECK(requantize(-1, kHalf, int8_relu) == 0);  // -0.5 rounds to 0 anyway
    CHECK(requantize(-3, kHalf, int8_relu) == 0);  // -1.5 -> -1 -> clamped to 0
    CHECK(requantize(300, dyadic_one(), int8_relu) == 127);
}

TEST_CASE("malformed multipliers are rejected", "[requantize]") {
    CHECK_THROWS_WITH(dyadic_scale(1, Dyadic{kTwo30 - 1, 30}), Catch::Contains("malformed"));
    CHECK_THROWS_AS(dyadic_scale(1, Dyadic{0, 30}), Error);
    CHECK_THROWS_AS(dyadic_scale(1, Dyadic{-kTwo30, 30}), Error);
    CHECK_THROWS_AS(dyadic_scale(1, Dyadic{kTwo30, -1}), Error);
    CHECK_THROWS_AS(dyadic_scale(1, Dyadic{kTwo30, 63}), Error);
    CHECK_THROWS_AS(requantize(1, Dyadic{kTwo30, 63}, kWide), Error);
}

TEST_CASE("output stage validation names the op", "[requantize]") {
    Tensor acc({1, 2, 1, 1}, IntType::int32(), {10, -10});
    OutputStage stage;
    stage.output_type = IntType::signed_bits(8);

    stage.multipliers = {};
    CHECK_THROWS_WITH(apply_output_stage(acc, stage, "conv2d"), Catch::Contains("conv2d") && Catch::Contains("1 or 2"));
    stage.multipliers = {dyadic_one(), dyadic_one(), dyadic_one()};
    CHECK_THROWS_WITH(apply_output_stage(acc, stage, "conv2d"), Catch::Contains("multipliers"));
    stage.multipliers = {dyadic_one(), Dyadic{kTwo30 - 1, 30}};
    CHECK_THROWS_WITH(apply_output_stage(acc, stage, "fully_connected"),
                      Catch::Contains("fully_connected") && Catch::Contains("malformed"));
    stage.multipliers = {dyadic_one()};
    stage.output_type = IntType::int32();
    CHECK_THROWS_WITH(apply_output_stage(acc, stage, "conv2d"), Catch::Contains("wider than 16 bits"));
    stage.output_type = IntType{1, true};
    CHECK_THROWS_AS(apply_output_stage(acc, stage, "conv2d"), Error);
    stage.output_type = IntType{17, false};
    CHECK_THROWS_AS(apply_output_stage(acc, stage, "conv2d"), Error);

    // Per-channel multipliers: channel 0 halves, channel 1 quarters. 10/2 = 5, -10/4 = -2.5 -> -2.
    stage.output_type = IntType::signed_bits(8);
    stage.multipliers = {kHalf, kQuarter};
    const Tensor y = apply_output_stage(acc, stage, "conv2d");
    CHECK(y.type == IntType::signed_bits(8));
    CHECK(y.data == std::vector<int32_t>{5, -2});
}

TEST_CASE("accumulator check names op and element", "[requantize]") {
    CHECK_NOTHROW(check_accumulator(kInt32Max, {2, 3}, 5, "fully_connected"));
    CHECK_NOTHROW(check_accumulator(kInt32Min, {2, 3}, 5, "fully_connected"));
    CHECK_THROWS_WITH(check_accumulator(kInt32Max + 1, {2, 3}, 5, "fully_connected"),
                      Catch::Contains("fully_connected") && Catch::Contains("overflow") && Catch::Contains("[1, 2]"));
    CHECK_THROWS_AS(check_accumulator(kInt32Min - 1, {2, 3}, 0, "conv2d"), Error);
}
