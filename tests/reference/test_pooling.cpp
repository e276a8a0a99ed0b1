// max_pool2d, average_pool2d and global_average_pool on hand-derived cases, and rejected inputs.
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/max_pool2d.h"

using namespace dyadic;

namespace {

Pool2dParams window(int kernel, int stride, int pad) {
    Pool2dParams p;
    p.kernel_h = p.kernel_w = kernel;
    p.stride_h = p.stride_w = stride;
    p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
    return p;
}

}  // namespace

TEST_CASE("pool2d output shape", "[pooling]") {
    CHECK(pool2d_output_shape({1, 3, 4, 4}, window(2, 2, 0), "max_pool2d") == Shape{1, 3, 2, 2});
    CHECK(pool2d_output_shape({1, 3, 5, 5}, window(2, 2, 0), "max_pool2d") == Shape{1, 3, 2, 2});  // floor
    CHECK(pool2d_output_shape({2, 1, 112, 112}, window(3, 2, 1), "max_pool2d") == Shape{2, 1, 56, 56});
    Pool2dParams p = window(3, 1, 0);
    p.pad_top = 2;
    p.stride_w = 2;
    p.pad_right = 1;
    // H: (4 + 2 - 3) / 1 + 1 = 4; W: (7 + 1 - 3) / 2 + 1 = 3
    CHECK(pool2d_output_shape({1, 1, 4, 7}, p, "average_pool2d") == Shape{1, 1, 4, 3});
}

TEST_CASE("pool2d geometry errors name the op", "[pooling][errors]") {
    const Shape x{1, 1, 4, 4};
    CHECK_THROWS_WITH(pool2d_output_shape({1, 4, 4}, window(2, 2, 0), "max_pool2d"),
                      Catch::Contains("max_pool2d") && Catch::Contains("4-D"));
    CHECK_THROWS_WITH(pool2d_output_shape(x, window(5, 1, 0), "average_pool2d"),
                      Catch::Contains("average_pool2d") && Catch::Contains("does not fit"));
    CHECK_THROWS_WITH(pool2d_output_shape(x, window(2, 0, 0), "max_pool2d"), Catch::Contains("strides"));
    CHECK_THROWS_WITH(pool2d_output_shape(x, window(0, 1, 0), "max_pool2d"), Catch::Contains("kernel"));
    CHECK_THROWS_WITH(pool2d_output_shape(x, window(2, 1, 2), "max_pool2d"), Catch::Contains("smaller than the kernel"));
    CHECK_THROWS_WITH(pool2d_output_shape(x, window(2, 1, -1), "max_pool2d"), Catch::Contains("paddings"));
    CHECK_THROWS_WITH(pool2d_output_shape({1, 1, 0, 4}, window(1, 1, 0), "max_pool2d"), Catch::Contains("empty"));
}

TEST_CASE("max_pool2d: 2x2 stride 2", "[pooling][max_pool2d]") {
    Tensor x({1, 1, 4, 4}, IntType::unsigned_bits(8));
    std::iota(x.data.begin(), x.data.end(), 0);
    x.scales = {0.5};
    const Tensor y = max_pool2d(x, window(2, 2, 0));
    CHECK(y.shape == Shape{1, 1, 2, 2});
    CHECK(y.type == x.type);
    CHECK(y.scales == x.scales);
    CHECK(y.data == std::vector<int32_t>{5, 7, 13, 15});
}

TEST_CASE("max_pool2d: padding never wins over negative values", "[pooling][max_pool2d]") {
    // x = [[-5, -6], [-7, -8]], 2x2 windows, stride 1, pad 1: each window's in-image elements only.
    const Tensor x({1, 1, 2, 2}, IntType::signed_bits(8), {-5, -6, -7, -8});
    const Tensor y = max_pool2d(x, window(2, 1, 1));
    CHECK(y.shape == Shape{1, 1, 3, 3});
    CHECK(y.data == std::vector<int32_t>{-5, -5, -6, -5, -5, -6, -7, -7, -8});
    // The most negative value of the type survives too.
    const Tensor z({1, 1, 1, 1}, IntType::signed_bits(16), {-32768});
    CHECK(max_pool2d(z, window(2, 1, 1)).data == std::vector<int32_t>{-32768, -32768, -32768, -32768});
}

TEST_CASE("max_pool2d: rejected inputs", "[pooling][max_pool2d][errors]") {
    Tensor truncated({1, 1, 4, 4}, IntType::signed_bits(8));
    truncated.data.resize(3);
    CHECK_THROWS_WITH(max_pool2d(truncated, window(2, 2, 0)), Catch::Contains("max_pool2d"));
    CHECK_THROWS_WITH(max_pool2d(Tensor({1, 1, 2, 2}, IntType::signed_bits(8)), window(3, 1, 0)),
                      Catch::Contains("does not fit"));
}

TEST_CASE("make_average_pool_stage folds 1/count into the multiplier", "[pooling][average_pool2d]") {
    const AveragePoolStage stage = make_average_pool_stage(1.0, 4, IntType::unsigned_bits(8), false);
    REQUIRE(stage.multiplier_by_count.size() == 4);
    CHECK(stage.multiplier_by_count[0] == Dyadic{1 << 30, 30});  // 1
    CHECK(stage.multiplier_by_count[1] == Dyadic{1 << 30, 31});  // 1/2
    // 1/3 = (2/3) 2^-1: b = round(2^31 * 2/3) = round(1431655765.33) = 1431655765, c = 32
    CHECK(stage.multiplier_by_count[2] == Dyadic{1431655765, 32});
    CHECK(stage.multiplier_by_count[3] == Dyadic{1 << 30, 32});  // 1/4
    CHECK(stage.output_type == IntType::unsigned_bits(8));
    CHECK_FALSE(stage.count_include_pad);
    // ratio 3 with 2 elements: 3 = 0.75 * 2^2 -> b = 3 * 2^29, c = 29; 3/2 -> c = 30
    const AveragePoolStage three = make_average_pool_stage(3.0, 2, IntType::signed_bits(4), true);
    CHECK(three.multiplier_by_count == std::vector<Dyadic>{Dyadic{3 << 29, 29}, Dyadic{3 << 29, 30}});
    CHECK(three.count_include_pad);

    CHECK_THROWS_WITH(make_average_pool_stage(0.0, 4, IntType::unsigned_bits(8), false), Catch::Contains("average_pool2d"));
    CHECK_THROWS_AS(make_average_pool_stage(-1.0, 4, IntType::unsigned_bits(8), false), Error);
    CHECK_THROWS_AS(make_average_pool_stage(std::nan(""), 4, IntType::unsigned_bits(8), false), Error);
    CHECK_THROWS_WITH(make_average_pool_stage(1.0, 0, IntType::unsigned_bits(8), false), Catch::Contains("window"));
    CHECK_THROWS_WITH(make_average_pool_stage(1.0, 4, IntType::int32(), false), Catch::Contains("wider than 16"));
}

TEST_CASE("average_pool2d: padding excluded from or included in the count", "[pooling][average_pool2d]") {
    // x = [[1, 2], [3, 4]], 2x2 windows, stride 1, pad 1, equal scales.
    const Tensor x({1, 1, 2, 2}, IntType::unsigned_bits(8), {1, 2, 3, 4});
    // Excluding padding: 1, 3/2, 2, 4/2, 10/4, 6/2, 3, 7/2, 4 -> halves round up.
    const AveragePoolStage exclude = make_average_pool_stage(1.0, 4, IntType::unsigned_bits(8), false);
    const Tensor y = average_pool2d(x, window(2, 1, 1), exclude);
    CHECK(y.shape == Shape{1, 1, 3, 3});
    CHECK(y.type == IntType::unsigned_bits(8));
    CHECK(y.data == std::vector<int32_t>{1, 2, 2, 2, 3, 3, 3, 4, 4});
    // Including padding, every window divides by 4: 1/4, 3/4, 2/4, 4/4, 10/4, 6/4, 3/4, 7/4, 4/4.
    const AveragePoolStage include = make_average_pool_stage(1.0, 4, IntType::unsigned_bits(8), true);
    CHECK(average_pool2d(x, window(2, 1, 1), include).data == std::vector<int32_t>{0, 1, 1, 1, 3, 2, 1, 2, 1});
    // Without padding both agree: one window, (1 + 2 + 3 + 4) / 4 = 2.5 -> 3.
    CHECK(average_pool2d(x, window(2, 1, 0), exclude).data == std::vector<int32_t>{3});
    CHECK(average_pool2d(x, window(2, 1, 0), include).data == std::vector<int32_t>{3});
}

TEST_CASE("average_pool2d: signed values, scale change and saturation", "[pooling][average_pool2d]") {
    // Window sums of a signed 1x4 row with 1x2 windows, stride 2: (-3 + -2) = -5, (7 + 6) = 13.
    const Tensor x({1, 1, 1, 4}, IntType::signed_bits(8), {-3, -2, 7, 6});
    Pool2dParams p = window(1, 1, 0);
    p.kernel_w = 2;
    p.stride_w = 2;
    // ratio 1: -2.5 -> -2, 6.5 -> 7
    CHECK(average_pool2d(x, p, make_average_pool_stage(1.0, 2, IntType::signed_bits(8), false)).data ==
          std::vector<int32_t>{-2, 7});
    // ratio 4 (output scale 4x finer): -10, 26 -> int4 saturates to [-8, 7]
    CHECK(average_pool2d(x, p, make_average_pool_stage(4.0, 2, IntType::signed_bits(4), false)).data ==
          std::vector<int32_t>{-8, 7});
    // unsigned output clamps the negative average to 0
    CHECK(average_pool2d(x, p, make_average_pool_stage(1.0, 2, IntType::unsigned_bits(4), false)).data ==
          std::vector<int32_t>{0, 7});
}

TEST_CASE("average_pool2d: rejected inputs", "[pooling][average_pool2d][errors]") {
    const Tensor x({1, 1, 4, 4}, IntType::unsigned_bits(8));
    AveragePoolStage stage = make_average_pool_stage(1.0, 4, IntType::unsigned_bits(8), false);
    CHECK_NOTHROW(average_pool2d(x, window(2, 2, 0), stage));
    CHECK_THROWS_WITH(average_pool2d(x, window(3, 1, 0), stage), Catch::Contains("expected 9 multipliers"));
    stage.multiplier_by_count[2] = Dyadic{5, 30};
    CHECK_THROWS_WITH(average_pool2d(x, window(2, 2, 0), stage),
                      Catch::Contains("average_pool2d") && Catch::Contains("count 3") && Catch::Contains("malformed"));
    stage = make_average_pool_stage(1.0, 4, IntType::unsigned_bits(8), false);
    stage.output_type = IntType::int32();
    CHECK_THROWS_WITH(average_pool2d(x, window(2, 2, 0), stage), Catch::Contains("wider than 16"));
    stage.output_type = IntType::unsigned_bits(8);
    CHECK_THROWS_WITH(average_pool2d(Tensor({1, 4, 4}, IntType::unsigned_bits(8)), window(2, 2, 0), stage),
                      Catch::Contains("4-D"));

    // Window sums are checked like accumulators: two int32 elements of 2^31 - 1 overflow.
    const Tensor wide({1, 1, 1, 2}, IntType::int32(), {INT32_MAX, INT32_MAX});
    Pool2dParams row = window(1, 1, 0);
    row.kernel_w = 2;
    CHECK_THROWS_WITH(average_pool2d(wide, row, make_average_pool_stage(1.0, 2, IntType::signed_bits(16), false)),
                      Catch::Contains("average_pool2d") && Catch::Contains("overflow"));
}

TEST_CASE("global_average_pool: one multiplier for the whole plane", "[pooling][global_average_pool]") {
    // channel 0: 1 + 2 + 3 + 4 = 10, /4 = 2.5 -> 3; channel 1: -10 / 4 = -2.5 -> -2.
    const Tensor x({1, 2, 2, 2}, IntType::signed_bits(8), {1, 2, 3, 4, -1, -2, -3, -4});
    const Tensor y = global_average_pool(x, Dyadic{1 << 30, 32}, IntType::signed_bits(8));
    CHECK(y.shape == Shape{1, 2, 1, 1});
    CHECK(y.type == IntType::signed_bits(8));
    CHECK(y.data == std::vector<int32_t>{3, -2});
    // Two images, uint4 output, multiplier 1 (no division): sums 10 -> 10 and 26 -> 15.
    const Tensor z({2, 1, 1, 4}, IntType::unsigned_bits(4), {1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(global_average_pool(z, dyadic_one(), IntType::unsigned_bits(4)).data == std::vector<int32_t>{10, 15});
}

TEST_CASE("global_average_pool: rejected inputs", "[pooling][global_average_pool][errors]") {
    const Tensor x({1, 2, 2, 2}, IntType::signed_bits(8));
    CHECK_THROWS_WITH(global_average_pool(Tensor({2, 4}, IntType::signed_bits(8)), dyadic_one(), IntType::signed_bits(8)),
                      Catch::Contains("global_average_pool") && Catch::Contains("4-D"));
    CHECK_THROWS_WITH(global_average_pool(x, Dyadic{1, 30}, IntType::signed_bits(8)), Catch::Contains("malformed"));
    CHECK_THROWS_WITH(global_average_pool(x, dyadic_one(), IntType::int32()), Catch::Contains("wider than 16"));
    CHECK_THROWS_WITH(global_average_pool(Tensor({1, 1, 0, 2}, IntType::signed_bits(8)), dyadic_one(),
                                          IntType::signed_bits(8)),
                      Catch::Contains("empty"));
    const Tensor wide({1, 1, 1, 2}, IntType::int32(), {INT32_MIN, -1});
    CHECK_THROWS_WITH(global_average_pool(wide, dyadic_one(), IntType::signed_bits(8)),
                      Catch::Contains("global_average_pool") && Catch::Contains("overflow"));
}
