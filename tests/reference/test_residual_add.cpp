// residual_add on hand-derived cases, and every rejected input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/residual_add.h"

using namespace dyadic;

namespace {
constexpr Dyadic kHalf{1 << 30, 31};
constexpr Dyadic kQuarter{1 << 30, 32};
}  // namespace

TEST_CASE("residual_add rounds each branch separately", "[residual_add]") {
    // main 5 * 1/2 = 2.5 -> 3, identity 2 * 1/4 = 0.5 -> 1: 4 (rounding the exact sum 3.0 would give 3).
    // main -5 -> -2.5 -> -2, identity -2 -> -0.5 -> 0: -2 (the exact sum -3.0 would give -3).
    // main 7 -> 3.5 -> 4, identity -6 -> -1.5 -> -1: 3.
    const Tensor main({1, 1, 1, 3}, IntType::int32(), {5, -5, 7});
    const Tensor identity({1, 1, 1, 3}, IntType::signed_bits(8), {2, -2, -6});
    ResidualAddStage stage;
    stage.main_multipliers = {kHalf};
    stage.identity_multiplier = kQuarter;
    stage.output_type = IntType::signed_bits(8);
    const Tensor y = residual_add(main, identity, stage);
    CHECK(y.shape == main.shape);
    CHECK(y.type == IntType::signed_bits(8));
    CHECK(y.data == std::vector<int32_t>{4, -2, 3});
    stage.relu = true;
    CHECK(residual_add(main, identity, stage).data == std::vector<int32_t>{4, 0, 3});
}

TEST_CASE("residual_add: per-channel main multipliers and saturation", "[residual_add]") {
    // Two channels of two elements: channel 0 main x 1, channel 1 main x 1/2; identity x 1.
    const Tensor main({1, 2, 2}, IntType::int32(), {100, -100, 100, -100});
    const Tensor identity({1, 2, 2}, IntType::signed_bits(16), {30, 30, 30, 30});
    ResidualAddStage stage;
    stage.main_multipliers = {dyadic_one(), kHalf};
    stage.identity_multiplier = dyadic_one();
    stage.output_type = IntType::signed_bits(8);
    // [130 -> 127, -70, 80, -20]
    CHECK(residual_add(main, identity, stage).data == std::vector<int32_t>{127, -70, 80, -20});
    stage.output_type = IntType::unsigned_bits(4);
    CHECK(residual_add(main, identity, stage).data == std::vector<int32_t>{15, 0, 15, 0});
    // int16 residual stream output: [2e9 + 30 -> 32767, -2e9 + 30 -> -32768, 20000 + 30, -40000 + 30 -> -32768].
    const Tensor big({1, 2, 2}, IntType::int32(), {2000000000, -2000000000, 40000, -80000});
    stage.output_type = IntType::signed_bits(16);
    CHECK(residual_add(big, identity, stage).data == std::vector<int32_t>{32767, -32768, 20030, -32768});
}

TEST_CASE("residual_add: extreme branches cannot overflow the int64 sum", "[residual_add]") {
    // Largest terms: INT32_MIN * (2^31 - 1) with c = 0 on the main branch plus the same sign on the identity.
    const Tensor main({1, 1}, IntType::int32(), {INT32_MIN});
    const Tensor identity({1, 1}, IntType::signed_bits(16), {-32768});
    ResidualAddStage stage;
    stage.main_multipliers = {Dyadic{INT32_MAX, 0}};
    stage.identity_multiplier = Dyadic{INT32_MAX, 0};
    stage.output_type = IntType::signed_bits(16);
    CHECK(residual_add(main, identity, stage).data == std::vector<int32_t>{-32768});
    const Tensor main_max({1, 1}, IntType::int32(), {INT32_MAX});
    const Tensor identity_max({1, 1}, IntType::signed_bits(16), {32767});
    CHECK(residual_add(main_max, identity_max, stage).data == std::vector<int32_t>{32767});
}

TEST_CASE("residual_add: rejected inputs", "[residual_add][errors]") {
    const Tensor main({1, 2, 2, 2}, IntType::int32());
    const Tensor identity({1, 2, 2, 2}, IntType::signed_bits(8));
    ResidualAddStage stage;
    stage.main_multipliers = {dyadic_one()};
    stage.identity_multiplier = dyadic_one();
    CHECK_NOTHROW(residual_add(main, identity, stage));

    CHECK_THROWS_WITH(residual_add(main, Tensor({1, 2, 2, 3}, IntType::signed_bits(8)), stage),
                      Catch::Contains("residual_add") && Catch::Contains("shape"));
    CHECK_THROWS_WITH(residual_add(main, Tensor({1, 2, 2, 2}, IntType::int32()), stage),
                      Catch::Contains("identity") && Catch::Contains("wider than 16"));
    CHECK_THROWS_WITH(residual_add(Tensor({8}, IntType::int32()), Tensor({8}, IntType::signed_bits(8)), stage),
                      Catch::Contains("[N, C"));
    stage.main_multipliers = {dyadic_one(), dyadic_one(), dyadic_one()};
    CHECK_THROWS_WITH(residual_add(main, identity, stage), Catch::Contains("1 or 2"));
    stage.main_multipliers = {};
    CHECK_THROWS_AS(residual_add(main, identity, stage), Error);
    stage.main_multipliers = {Dyadic{1 << 29, 30}};
    CHECK_THROWS_WITH(residual_add(main, identity, stage), Catch::Contains("main multiplier") && Catch::Contains("malformed"));
    stage.main_multipliers = {dyadic_one()};
    stage.identity_multiplier = Dyadic{1 << 30, 63};
    CHECK_THROWS_WITH(residual_add(main, identity, stage), Catch::Contains("identity multiplier"));
    stage.identity_multiplier = dyadic_one();
    stage.output_type = IntType::int32();
    CHECK_THROWS_WITH(residual_add(main, identity, stage), Catch::Contains("residual_add") && Catch::Contains("wider"));
}
