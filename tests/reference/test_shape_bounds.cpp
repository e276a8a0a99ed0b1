// Shapes read from files (model files, golden directories, .npy, ONNX) reach the reference's shape
// functions unchanged, so these must refuse what does not fit in int64 instead of wrapping around.
// The bounds are derived by hand: 2^40 - 1 times 2^31 - 1 exceeds 2^63 - 1, INT64_MAX plus a
// padding of 1 exceeds it, and two channel counts of 2^62 add up to 2^63.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>

#include "reference/ops/concat.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/pool2d_params.h"
#include "util/error.h"

using namespace dyadic;
using Catch::Matchers::Contains;

namespace {
constexpr int64_t k2pow40 = int64_t{1} << 40;
constexpr int64_t k2pow62 = int64_t{1} << 62;
}  // namespace

TEST_CASE("shapes: an empty tensor cannot carry an absurd dimension", "[tensor][bounds]") {
    CHECK(element_count({0, 5}) == 0);
    CHECK(element_count({2, 3, 0}) == 0);
    CHECK(element_count({int64_t{1} << 31, int64_t{1} << 31}) == k2pow62);
    CHECK_THROWS_WITH(element_count({int64_t{1} << 32, int64_t{1} << 31}), Contains("64-bit count"));
    // Zero elements, but [2^62, 4] multiplies past int64: the ops would multiply such dimensions.
    CHECK_THROWS_WITH(element_count({0, k2pow62, 4}), Contains("zero dimensions counted as 1"));
    CHECK_THROWS_WITH(Tensor({0, k2pow62, 2, 2}, IntType::unsigned_bits(8)), Contains("64-bit count"));
    CHECK_THROWS_WITH(element_count({3, -1}), Contains("negative dimension"));
}

TEST_CASE("shapes: kernel spans and padded extents past int64 are refused", "[conv2d][pool][bounds]") {
    Conv2dParams dilated;
    dilated.dilation_h = INT_MAX;  // (2^40 - 1) * (2^31 - 1) > 2^63 - 1
    CHECK_THROWS_WITH(conv2d_output_shape({1, 1, 8, 8}, {1, 1, k2pow40, 1}, dilated), Contains("overflows"));
    CHECK_THROWS_WITH(conv2d_output_shape({1, 1, 8, 8}, {1, 1, 3, 0}, {}), Contains("empty spatial extent"));
    Conv2dParams padded;
    padded.pad_top = 1;
    CHECK_THROWS_WITH(conv2d_output_shape({1, 1, INT64_MAX, 1}, {1, 1, 1, 1}, padded), Contains("overflows"));

    Pool2dParams pool;
    pool.kernel_h = 2;
    pool.pad_top = 1;
    CHECK_THROWS_WITH(pool2d_output_shape({1, 1, INT64_MAX, 4}, pool, "max_pool2d"), Contains("overflows"));
    // Just inside the bound the formula still holds: (2^62 + 1 - 2) / 2 + 1 = 2^61.
    CHECK(pool2d_output_shape({0, 1, k2pow62, 2}, pool, "max_pool2d") == Shape{0, 1, int64_t{1} << 61, 1});
}

TEST_CASE("shapes: concatenated channel counts past int64 are refused", "[concat][bounds]") {
    const Tensor a({0, k2pow62, 1, 1}, IntType::unsigned_bits(8));  // valid: volume 2^62, no elements
    const Dyadic one{int32_t{1} << 30, 30};
    CHECK_THROWS_WITH(concat_channels({&a, &a}, {one, one}, IntType::unsigned_bits(8)), Contains("overflows"));
}
