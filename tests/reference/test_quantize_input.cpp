// quantize_input: round half to even of double(x) / scale, then clamp; non-finite input rejected.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "util/error.h"
#include "reference/ops/quantize_input.h"

using namespace dyadic;

TEST_CASE("quantize_input: exact ties go to the even neighbour", "[quantize_input]") {
    const std::vector<float> x{0.5f, 1.5f, 2.5f, 3.5f, -0.5f, -1.5f, -2.5f, -3.5f, 0.49999997f, 0.50000006f, -0.0f, 7.0f};
    const Tensor q = quantize_input(x, {1, 12}, 1.0, IntType::signed_bits(8));
    CHECK(q.shape == Shape{1, 12});
    CHECK(q.type == IntType::signed_bits(8));
    CHECK(q.data == std::vector<int32_t>{0, 2, 2, 4, 0, -2, -2, -4, 0, 1, 0, 7});
    CHECK(q.scales == std::vector<double>{1.0});
    // The same ties through a scale of 0.25 (exact in binary): x / 0.25 = 2.5 -> 2, -4.5 -> -4, 5.5 -> 6.
    CHECK(quantize_input({0.625f, -1.125f, 1.375f}, {3}, 0.25, IntType::signed_bits(8)).data ==
          std::vector<int32_t>{2, -4, 6});
}

TEST_CASE("quantize_input divides in double", "[quantize_input]") {
    // float(0.3) = 0.300000011920928955078125; / 0.1 in double = 3.0000001... -> 3.
    CHECK(quantize_input({0.3f}, {1}, 0.1, IntType::signed_bits(8)).data == std::vector<int32_t>{3});
    // 2.5f / 2^-20 = 2621440 exactly; int16 saturates.
    CHECK(quantize_input({2.5f}, {1}, std::ldexp(1.0, -20), IntType::signed_bits(16)).data ==
          std::vector<int32_t>{32767});
}

TEST_CASE("quantize_input: clamping to every output type", "[quantize_input]") {
    const std::vector<float> x{1000.0f, -1000.0f, 3e38f, -3e38f};
    CHECK(quantize_input(x, {4}, 1.0, IntType::signed_bits(8)).data == std::vector<int32_t>{127, -128, 127, -128});
    CHECK(quantize_input(x, {4}, 1.0, IntType::unsigned_bits(8)).data == std::vector<int32_t>{255, 0, 255, 0});
    CHECK(quantize_input(x, {4}, 1.0, IntType::signed_bits(4)).data == std::vector<int32_t>{7, -8, 7, -8});
    CHECK(quantize_input(x, {4}, 1.0, IntType::unsigned_bits(2)).data == std::vector<int32_t>{3, 0, 3, 0});
    CHECK(quantize_input(x, {4}, 1.0, IntType::signed_bits(16)).data == std::vector<int32_t>{1000, -1000, 32767, -32768});
    // A quotient that overflows double to infinity still clamps.
    CHECK(quantize_input({3e38f, -3e38f}, {2}, 1e-300, IntType::signed_bits(8)).data == std::vector<int32_t>{127, -128});
    // Values just inside the range: 127.49 -> 127, -128.5 -> -128 (even), 255.5 -> 256 -> clamped to 255.
    CHECK(quantize_input({127.49f, -128.5f}, {2}, 1.0, IntType::signed_bits(8)).data == std::vector<int32_t>{127, -128});
    CHECK(quantize_input({255.5f}, {1}, 1.0, IntType::unsigned_bits(8)).data == std::vector<int32_t>{255});
}

TEST_CASE("quantize_input: rejected inputs", "[quantize_input][errors]") {
    const IntType i8 = IntType::signed_bits(8);
    CHECK_THROWS_WITH(quantize_input({1.0f, std::nanf("")}, {2}, 1.0, i8),
                      Catch::Contains("quantize_input") && Catch::Contains("not finite") && Catch::Contains("[1]"));
    CHECK_THROWS_AS(quantize_input({std::numeric_limits<float>::infinity()}, {1}, 1.0, i8), Error);
    CHECK_THROWS_AS(quantize_input({-std::numeric_limits<float>::infinity()}, {1}, 1.0, i8), Error);
    CHECK_THROWS_WITH(quantize_input({1.0f}, {1}, 0.0, i8), Catch::Contains("scale"));
    CHECK_THROWS_AS(quantize_input({1.0f}, {1}, -0.5, i8), Error);
    CHECK_THROWS_AS(quantize_input({1.0f}, {1}, std::nan(""), i8), Error);
    CHECK_THROWS_AS(quantize_input({1.0f}, {1}, INFINITY, i8), Error);
    CHECK_THROWS_WITH(quantize_input({1.0f, 2.0f}, {3}, 1.0, i8), Catch::Contains("3 elements"));
    CHECK_THROWS_WITH(quantize_input({1.0f}, {1}, 1.0, IntType::int32()), Catch::Contains("wider than 16"));
    CHECK_THROWS_AS(quantize_input({1.0f}, {1}, 1.0, IntType{1, false}), Error);
    CHECK_THROWS_AS(quantize_input({1.0f}, {-1}, 1.0, i8), Error);
}
