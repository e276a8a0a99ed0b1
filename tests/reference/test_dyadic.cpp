// The float -> (b, c) conversion and requantization, against hand-derived values.
#include <catch2/catch.hpp>

#include <cmath>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/requantize.h"

using namespace dyadic;

TEST_CASE("to_dyadic of exact powers of two", "[dyadic]") {
    // 1 = 0.5 * 2^1 -> b = 2^30, c = 30
    CHECK(to_dyadic(1.0) == Dyadic{1 << 30, 30});
    // 0.25 = 0.5 * 2^-1 -> c = 32
    CHECK(to_dyadic(0.25) == Dyadic{1 << 30, 32});
    CHECK(to_dyadic(0.25).value() == 0.25);
}

TEST_CASE("to_dyadic rounds half up and renormalises at 2^31", "[dyadic]") {
    // m = 1 - 2^-33: m * 2^31 = 2^31 - 0.25 -> rounds to 2^31 -> renormalised to 2^30 with e + 1.
    const double just_below_one = 1.0 - std::ldexp(1.0, -33);
    CHECK(to_dyadic(just_below_one) == Dyadic{1 << 30, 30});
    // m * 2^31 = 2^30 + 0.5 exactly: half rounds up to 2^30 + 1.
    const double tie = std::ldexp(std::ldexp(1.0, 30) + 0.5, -31);  // in [0.5, 1), e = 0
    CHECK(to_dyadic(tie) == Dyadic{(1 << 30) + 1, 31});
    // m * 2^31 = 2^30 + 0.25 rounds down.
    CHECK(to_dyadic(std::ldexp(std::ldexp(1.0, 30) + 0.25, -31)) == Dyadic{1 << 30, 31});
}

TEST_CASE("to_dyadic rejects ratios outside its range", "[dyadic]") {
    CHECK_THROWS_AS(to_dyadic(0.0), Error);
    CHECK_THROWS_AS(to_dyadic(-1.0), Error);
    CHECK_THROWS_AS(to_dyadic(std::nan("")), Error);
    CHECK_THROWS_AS(to_dyadic(INFINITY), Error);
    CHECK_THROWS_AS(to_dyadic(std::ldexp(1.0, 31)), Error);   // c would be -1
    CHECK_THROWS_AS(to_dyadic(std::ldexp(1.0, -33)), Error);  // c would be 63
    CHECK(to_dyadic(std::ldexp(1.0, -32)).shift == 62);       // smallest legal binade
    CHECK(to_dyadic(std::ldexp(1.0, 30)).shift == 0);         // largest legal binade
}

TEST_CASE("to_dyadic is within half an ulp of b", "[dyadic]") {
    for (double r = 1e-9; r < 1e9; r *= 1.37) {
        const Dyadic d = to_dyadic(r);
        REQUIRE(d.mantissa >= (1 << 30));
        const double error_in_mantissa_units = std::abs(std::ldexp(r, d.shift) - d.mantissa);
        CHECK(error_in_mantissa_units <= 0.5);
    }
}
