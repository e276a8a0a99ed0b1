#pragma once
// An independent, deliberately naive model of the reference semantics for the tests: real-valued
// arithmetic instead of the integer shift. Accumulators are summed in double (exact: every partial
// sum is an integer far below 2^53), a multiplier b/2^c is the exact long double b * 2^-c, and
// rounding is floor(x + 1/2) on the exact real product. With a 64-bit long double mantissa every
// intermediate below is exact: |acc * b| < 2^62 and (acc * b + 2^(c-1)) / 2^c needs at most 64 bits.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "reference/dyadic.h"
#include "reference/int_type.h"
#include "reference/tensor.h"

namespace naive {

static_assert(std::numeric_limits<long double>::digits >= 64,
              "the naive model needs a long double with at least a 64-bit mantissa to stay exact");

using dyadic::Dyadic;
using dyadic::IntType;
using dyadic::Shape;
using dyadic::Tensor;

inline long double multiplier_value(const Dyadic& m) { return std::ldexp(static_cast<long double>(m.mantissa), -m.shift); }

// round(acc * b / 2^c), halves toward +infinity, without clamping.
inline long double scale_and_round(long double acc, const Dyadic& m) {
    return std::floor(acc * multiplier_value(m) + 0.5L);
}

inline int64_t clamp_to(long double v, int64_t lo, int64_t hi) {
    if (v < static_cast<long double>(lo)) return lo;
    if (v > static_cast<long double>(hi)) return hi;
    return static_cast<int64_t>(v);
}

// The output range of a type, spelled out from the bit width rather than taken from IntType.
inline int64_t lowest(const IntType& t, bool relu = false) {
    if (relu || !t.is_signed) return 0;
    return -static_cast<int64_t>(std::pow(2.0, t.bits - 1));
}
inline int64_t highest(const IntType& t) {
    return t.is_signed ? static_cast<int64_t>(std::pow(2.0, t.bits - 1)) - 1 : static_cast<int64_t>(std::pow(2.0, t.bits)) - 1;
}

inline int64_t requantize(long double acc, const Dyadic& m, const IntType& out, bool relu) {
    return clamp_to(scale_and_round(acc, m), lowest(out, relu), highest(out));
}

inline bool fits_int32(double v) { return v >= -2147483648.0 && v <= 2147483647.0; }

// ---- random inputs ----

inline int uniform(std::mt19937& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
inline bool coin(std::mt19937& rng, int one_in = 2) { return uniform(rng, 1, one_in) == 1; }

// Activation-like types: 2..8 or 16 bits, signed or unsigned.
inline IntType random_type(std::mt19937& rng, bool allow_16 = true) {
    const int bits = (allow_16 && coin(rng, 8)) ? 16 : uniform(rng, 2, 8);
    return IntType{bits, coin(rng)};
}

inline Tensor random_tensor(const Shape& shape, const IntType& type, std::mt19937& rng) {
    Tensor t(shape, type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

// A valid multiplier that maps accumulators of about `typical_acc` into an `out_bits` range
// (with some saturation either way). One in four is a power of two, which makes exact ties
// frequent; one in sixteen has a shift anywhere in [0, 62].
inline Dyadic random_multiplier(std::mt19937& rng, double typical_acc, int out_bits) {
    const int magnitude = static_cast<int>(std::lround(std::log2(std::max(typical_acc, 1.0))));
    int shift = 31 + magnitude - out_bits + uniform(rng, -2, 2);
    if (coin(rng, 16)) shift = uniform(rng, 0, 62);
    shift = std::max(0, std::min(62, shift));
    if (coin(rng, 4)) return Dyadic{int32_t{1} << 30, shift};
    const int32_t mantissa = static_cast<int32_t>(
        std::uniform_int_distribution<int64_t>(int64_t{1} << 30, (int64_t{1} << 31) - 1)(rng));
    return Dyadic{mantissa, shift};
}

// ---- comparison ----

inline std::string describe(const Shape& s) { return dyadic::to_string(s); }

// Requires `actual` to have `shape` and to equal `expected` element by element (integers, ==).
inline void require_equal(const Tensor& actual, const Shape& shape, const std::vector<int64_t>& expected) {
    REQUIRE(describe(actual.shape) == describe(shape));
    REQUIRE(actual.data.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        if (actual.data[i] != expected[i]) {
            FAIL("first mismatch at " << describe(dyadic::unravel_index(static_cast<int64_t>(i), shape)) << ": got "
                                      << actual.data[i] << ", model says " << expected[i]);
        }
    }
}

}  // namespace naive
