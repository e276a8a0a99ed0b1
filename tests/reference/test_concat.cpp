// concat_channels on hand-derived cases, and rejected inputs.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/concat.h"

using namespace dyadic;

namespace {
constexpr Dyadic kHalf{1 << 30, 31};
}

TEST_CASE("concat: each input rescaled by its own multiplier", "[concat]") {
    // a (1 channel, x1) = [1, 2]; b (2 channels, x1/2) = [[3, 4], [5, 6]] -> [1.5, 2, 2.5, 3] -> [2, 2, 3, 3]
    const Tensor a({1, 1, 1, 2}, IntType::unsigned_bits(8), {1, 2});
    const Tensor b({1, 2, 1, 2}, IntType::signed_bits(8), {3, 4, 5, 6});
    const Tensor y = concat_channels({&a, &b}, {dyadic_one(), kHalf}, IntType::signed_bits(8));
    CHECK(y.shape == Shape{1, 3, 1, 2});
    CHECK(y.type == IntType::signed_bits(8));
    CHECK(y.data == std::vector<int32_t>{1, 2, 2, 2, 3, 3});
}

TEST_CASE("concat: batches interleave and outputs clamp", "[concat]") {
    // Two images; a has 1 channel, b has 1 channel: output image n = [a_n, b_n].
    const Tensor a({2, 1, 1, 1}, IntType::signed_bits(8), {-100, 100});
    const Tensor b({2, 1, 1, 1}, IntType::signed_bits(8), {-3, 3});
    // x2 multiplier: 2 = 0.5 * 2^2 -> b = 2^30, c = 29. -200 -> -128, 200 -> 127 in int8.
    const Dyadic two{1 << 30, 29};
    CHECK(concat_channels({&a, &b}, {two, two}, IntType::signed_bits(8)).data ==
          std::vector<int32_t>{-128, -6, 127, 6});
    CHECK(concat_channels({&a, &b}, {dyadic_one(), dyadic_one()}, IntType::unsigned_bits(4)).data ==
          std::vector<int32_t>{0, 0, 15, 3});
    // A single input is a plain requantization.
    CHECK(concat_channels({&b}, {kHalf}, IntType::signed_bits(8)).data == std::vector<int32_t>{-1, 2});
}

TEST_CASE("concat: rejected inputs", "[concat][errors]") {
    const Tensor a({1, 1, 2, 2}, IntType::signed_bits(8));
    const Tensor b({1, 3, 2, 2}, IntType::signed_bits(8));
    CHECK_NOTHROW(concat_channels({&a, &b}, {dyadic_one(), dyadic_one()}, IntType::signed_bits(8)));
    CHECK_THROWS_WITH(concat_channels({}, {}, IntType::signed_bits(8)), Catch::Contains("concat"));
    CHECK_THROWS_WITH(concat_channels({&a, &b}, {dyadic_one()}, IntType::signed_bits(8)), Catch::Contains("multipliers"));
    CHECK_THROWS_WITH(concat_channels({&a, nullptr}, {dyadic_one(), dyadic_one()}, IntType::signed_bits(8)),
                      Catch::Contains("null"));
    const Tensor c({1, 1, 2, 3}, IntType::signed_bits(8));
    CHECK_THROWS_WITH(concat_channels({&a, &c}, {dyadic_one(), dyadic_one()}, IntType::signed_bits(8)),
                      Catch::Contains("concat input 1") && Catch::Contains("does not match"));
    const Tensor d({2, 1, 2, 2}, IntType::signed_bits(8));
    CHECK_THROWS_AS(concat_channels({&a, &d}, {dyadic_one(), dyadic_one()}, IntType::signed_bits(8)), Error);
    const Tensor e({1, 4}, IntType::signed_bits(8));
    CHECK_THROWS_WITH(concat_channels({&e}, {dyadic_one()}, IntType::signed_bits(8)), Catch::Contains("4-D"));
    CHECK_THROWS_WITH(concat_channels({&a, &b}, {dyadic_one(), Dyadic{0, 0}}, IntType::signed_bits(8)),
                      Catch::Contains("multiplier 1") && Catch::Contains("malformed"));
    CHECK_THROWS_WITH(concat_channels({&a}, {dyadic_one()}, IntType::int32()), Catch::Contains("wider than 16"));
}
