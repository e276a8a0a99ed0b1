// fully_connected on hand-derived cases, and every rejected input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/fully_connected.h"

using namespace dyadic;

namespace {
const IntType kU8 = IntType::unsigned_bits(8);
const IntType kI8 = IntType::signed_bits(8);
const Tensor kNoBias;
}  // namespace

TEST_CASE("fully_connected: dot products plus bias", "[fully_connected]") {
    // x = [[1, 2, 3], [0, 5, 1]], W = [[1, 1, 1], [-1, 0, 2]], bias = [10, -5]
    // row 0: [6 + 10, (-1 + 6) - 5] = [16, 0]; row 1: [6 + 10, (0 + 2) - 5] = [16, -3]
    const Tensor x({2, 3}, kU8, {1, 2, 3, 0, 5, 1});
    const Tensor w({2, 3}, kI8, {1, 1, 1, -1, 0, 2});
    const Tensor bias({2}, IntType::int32(), {10, -5});
    const Tensor acc = fully_connected_accumulate(x, w, bias);
    CHECK(acc.shape == Shape{2, 2});
    CHECK(acc.type == IntType::int32());
    CHECK(acc.data == std::vector<int32_t>{16, 0, 16, -3});
    CHECK(fully_connected_accumulate(x, w, kNoBias).data == std::vector<int32_t>{6, 5, 6, 2});

    // Per-unit multipliers 1/4 and 1/2: [4, 0, 4, -1.5 -> -1]; with ReLU the -1 becomes 0.
    OutputStage stage;
    stage.multipliers = {Dyadic{1 << 30, 32}, Dyadic{1 << 30, 31}};
    stage.output_type = IntType::signed_bits(4);
    CHECK(fully_connected(x, w, bias, stage).data == std::vector<int32_t>{4, 0, 4, -1});
    stage.relu = true;
    CHECK(fully_connected(x, w, bias, stage).data == std::vector<int32_t>{4, 0, 4, 0});
    // A single multiplier serves every unit: 16 * 1/2 = 8 saturates int4 at 7.
    stage.relu = false;
    stage.multipliers = {Dyadic{1 << 30, 31}};
    CHECK(fully_connected(x, w, bias, stage).data == std::vector<int32_t>{7, 0, 7, -1});
}

TEST_CASE("fully_connected: rejected inputs", "[fully_connected][errors]") {
    const Tensor x({1, 3}, kU8);
    const Tensor w({2, 3}, kI8);
    CHECK_NOTHROW(fully_connected_accumulate(x, w, kNoBias));
    CHECK_THROWS_WITH(fully_connected_accumulate(Tensor({1, 3, 1}, kU8), w, kNoBias),
                      Catch::Contains("fully_connected") && Catch::Contains("2-D"));
    CHECK_THROWS_WITH(fully_connected_accumulate(x, Tensor({6}, kI8), kNoBias), Catch::Contains("2-D"));
    CHECK_THROWS_WITH(fully_connected_accumulate(x, Tensor({2, 4}, kI8), kNoBias), Catch::Contains("K = 4"));
    CHECK_THROWS_WITH(fully_connected_accumulate(x, w, Tensor({3}, IntType::int32())), Catch::Contains("bias"));
    CHECK_THROWS_WITH(fully_connected_accumulate(x, w, Tensor({2}, IntType::signed_bits(16))),
                      Catch::Contains("int32"));
    CHECK_THROWS_WITH(fully_connected_accumulate(Tensor({1, 3}, IntType::int32()), w, kNoBias),
                      Catch::Contains("wider than 16"));
    CHECK_THROWS_WITH(fully_connected_accumulate(x, Tensor({2, 3}, kU8), kNoBias),
                      Catch::Contains("fully_connected weight") && Catch::Contains("signed"));
    Tensor truncated({1, 3}, kU8);
    truncated.data.resize(2);
    CHECK_THROWS_AS(fully_connected_accumulate(truncated, w, kNoBias), Error);

    OutputStage stage;
    stage.multipliers = {dyadic_one(), dyadic_one(), dyadic_one()};
    CHECK_THROWS_WITH(fully_connected(x, w, kNoBias, stage), Catch::Contains("fully_connected"));
}

TEST_CASE("fully_connected: int32 accumulator overflow is detected", "[fully_connected][errors]") {
    const IntType i16 = IntType::signed_bits(16);
    // 2 * 32767^2 = 2147352578 fits; a third term overflows.
    const Tensor w2({1, 2}, i16, {32767, 32767});
    CHECK(fully_connected_accumulate(Tensor({1, 2}, i16, {32767, 32767}), w2, kNoBias).data ==
          std::vector<int32_t>{2147352578});
    const Tensor x3({2, 3}, i16, {0, 0, 0, 32767, 32767, 32767});
    const Tensor w3({1, 3}, i16, {32767, 32767, 32767});
    CHECK_THROWS_WITH(fully_connected_accumulate(x3, w3, kNoBias),
                      Catch::Contains("fully_connected") && Catch::Contains("overflow") && Catch::Contains("[1, 0]"));
}
