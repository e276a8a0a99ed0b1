// Checked arithmetic: results equal the exact integer result whenever it fits, and every result
// that does not fit is refused with the caller's name for the quantity (edge cases derived by
// hand from the int64/int32 ranges).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "util/checked.h"
#include "util/error.h"

using namespace dyadic;

namespace {
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
}  // namespace

TEST_CASE("checked_mul: exact products in range, Error naming the quantity beyond", "[util][checked]") {
    CHECK(checked_mul(0, kMax, "x") == 0);
    CHECK(checked_mul(-1, kMax, "x") == -kMax);
    CHECK(checked_mul(int64_t{1} << 31, int64_t{1} << 31, "x") == int64_t{1} << 62);
    CHECK(checked_mul(3037000499, 3037000499, "x") == 9223372030926249001);  // floor(sqrt(2^63 - 1))^2
    CHECK_THROWS_WITH(checked_mul(3037000500, 3037000500, "element count"),
                      Catch::Contains("element count") && Catch::Contains("3037000500 * 3037000500"));
    CHECK_THROWS_AS(checked_mul(kMin, -1, "x"), Error);  // -2^63 * -1 = 2^63 does not fit
    CHECK_THROWS_AS(checked_mul(int64_t{1} << 32, int64_t{1} << 31, "x"), Error);
}

TEST_CASE("checked_add: exact sums in range, Error beyond", "[util][checked]") {
    CHECK(checked_add(kMax - 1, 1, "x") == kMax);
    CHECK(checked_add(kMin, kMax, "x") == -1);
    CHECK_THROWS_WITH(checked_add(kMax, 1, "padded height"), Catch::Contains("padded height"));
    CHECK_THROWS_AS(checked_add(kMin, -1, "x"), Error);
}

TEST_CASE("checked_narrow: int64 to int keeps every int and refuses the rest by name", "[util][checked]") {
    CHECK(checked_narrow<int>(int64_t{2147483647}, "x") == 2147483647);
    CHECK(checked_narrow<int>(int64_t{-2147483647 - 1}, "x") == -2147483647 - 1);
    // 4294967297 = 2^32 + 1 would wrap to 1 in a plain cast.
    CHECK_THROWS_WITH(checked_narrow<int>(int64_t{4294967297}, "attribute 'strides'"),
                      Catch::Contains("attribute 'strides' = 4294967297 lies outside -2147483648..2147483647"));
    CHECK_THROWS_AS(checked_narrow<int>(int64_t{2147483648}, "x"), Error);
    CHECK_THROWS_AS(checked_narrow<uint32_t>(int64_t{-1}, "x"), Error);
    CHECK(checked_narrow<uint8_t>(255u, "x") == 255);
    CHECK_THROWS_AS(checked_narrow<uint8_t>(256u, "x"), Error);
}

TEST_CASE("checked_range: inclusive bounds, message names the field and its bounds", "[util][checked]") {
    CHECK(checked_range(1, 1, 1024, "array.rows") == 1);
    CHECK(checked_range(1024, 1, 1024, "array.rows") == 1024);
    CHECK_THROWS_WITH(checked_range(1025, 1, 1024, "array.rows"),
                      Catch::Equals("array.rows must lie in 1..1024, got 1025"));
    CHECK_THROWS_AS(checked_range(0, 1, 1024, "array.rows"), Error);
}
