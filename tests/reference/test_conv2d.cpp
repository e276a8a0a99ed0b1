// conv2d on small hand-derived cases, and every rejected input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/conv2d.h"

using namespace dyadic;

namespace {

const IntType kU8 = IntType::unsigned_bits(8);
const IntType kI8 = IntType::signed_bits(8);
const Tensor kNoBias;

Tensor iota_tensor(const Shape& shape, IntType type, int32_t first) {
    Tensor t(shape, type);
    std::iota(t.data.begin(), t.data.end(), first);
    return t;
}

Conv2dParams pads(int top, int left, int bottom, int right) {
    Conv2dParams p;
    p.pad_top = top;
    p.pad_left = left;
    p.pad_bottom = bottom;
    p.pad_right = right;
    return p;
}

}  // namespace

TEST_CASE("conv2d: 2x2 difference kernel with bias", "[conv2d]") {
    // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,-1]]: x[y][x] - x[y+1][x+1] = -4 everywhere.
    const Tensor x = iota_tensor({1, 1, 3, 3}, kU8, 1);
    const Tensor w({1, 1, 2, 2}, kI8, {1, 0, 0, -1});
    const Tensor acc = conv2d_accumulate(x, w, kNoBias, {});
    CHECK(acc.shape == Shape{1, 1, 2, 2});
    CHECK(acc.type == IntType::int32());
    CHECK(acc.data == std::vector<int32_t>{-4, -4, -4, -4});
    const Tensor bias({1}, IntType::int32(), {10});
    CHECK(conv2d_accumulate(x, w, bias, {}).data == std::vector<int32_t>{6, 6, 6, 6});
}

TEST_CASE("conv2d: asymmetric zero padding", "[conv2d]") {
    // x = [[1,2],[3,4]], w = [2], pad top 1, right 2 -> 3x4 output: a zero row, then 2x, then zero columns.
    const Tensor x = iota_tensor({1, 1, 2, 2}, kU8, 1);
    const Tensor w({1, 1, 1, 1}, kI8, {2});
    const Tensor acc = conv2d_accumulate(x, w, kNoBias, pads(1, 0, 0, 2));
    CHECK(acc.shape == Shape{1, 1, 3, 4});
    CHECK(acc.data == std::vector<int32_t>{0, 0, 0, 0, 2, 4, 0, 0, 6, 8, 0, 0});
}

TEST_CASE("conv2d: stride 2 box filter counts in-image neighbours", "[conv2d]") {
    // 5x5 ones, 3x3 ones, pad 1, stride 2 -> 3x3 output sampling rows/cols 0, 2, 4:
    // corners see 4 pixels, edges 6, centre 9.
    Tensor x({1, 1, 5, 5}, kU8);
    std::fill(x.data.begin(), x.data.end(), 1);
    Tensor w({1, 1, 3, 3}, kI8);
    std::fill(w.data.begin(), w.data.end(), 1);
    Conv2dParams p = pads(1, 1, 1, 1);
    p.stride_h = p.stride_w = 2;
    const Tensor acc = conv2d_accumulate(x, w, kNoBias, p);
    CHECK(acc.shape == Shape{1, 1, 3, 3});
    CHECK(acc.data == std::vector<int32_t>{4, 6, 4, 6, 9, 6, 4, 6, 4});
}

TEST_CASE("conv2d: dilation 2", "[conv2d]") {
    // x[r][c] = 5r + c on 5x5, 2x2 ones dilated by 2: x[y][x] + x[y][x+2] + x[y+2][x] + x[y+2][x+2] = 4v + 24.
    const Tensor x = iota_tensor({1, 1, 5, 5}, kU8, 0);
    Tensor w({1, 1, 2, 2}, kI8);
    std::fill(w.data.begin(), w.data.end(), 1);
    Conv2dParams p;
    p.dilation_h = p.dilation_w = 2;
    const Tensor acc = conv2d_accumulate(x, w, kNoBias, p);
    CHECK(acc.shape == Shape{1, 1, 3, 3});
    CHECK(acc.data == std::vector<int32_t>{24, 28, 32, 44, 48, 52, 64, 68, 72});
}

TEST_CASE("conv2d: grouped and depthwise", "[conv2d]") {
    // 4 input channels [1, 2, 3, 4], 2 groups: out0 = 5*1 + 6*2 = 17 (channels 0, 1), out1 = 7*3 - 8*4 = -11.
    const Tensor x = iota_tensor({1, 4, 1, 1}, kU8, 1);
    const Tensor w({2, 2, 1, 1}, kI8, {5, 6, 7, -8});
    Conv2dParams p;
    p.groups = 2;
    CHECK(conv2d_accumulate(x, w, kNoBias, p).data == std::vector<int32_t>{17, -11});

    // Depthwise, 3 channels of 2x2, per-channel weights [1, -2, 3]: each channel only scales itself.
    const Tensor xd = iota_tensor({1, 3, 2, 2}, kU8, 1);
    const Tensor wd({3, 1, 1, 1}, kI8, {1, -2, 3});
    p.groups = 3;
    CHECK(conv2d_accumulate(xd, wd, kNoBias, p).data ==
          std::vector<int32_t>{1, 2, 3, 4, -10, -12, -14, -16, 27, 30, 33, 36});

    // Depthwise with a channel multiplier of 2: 2 channels -> 4 outputs, outputs 0,1 read channel 0.
    const Tensor xm({1, 2, 1, 1}, kU8, {3, 5});
    const Tensor wm({4, 1, 1, 1}, kI8, {1, 2, 3, 4});
    p.groups = 2;
    CHECK(conv2d_accumulate(xm, wm, kNoBias, p).data == std::vector<int32_t>{3, 6, 15, 20});
}

TEST_CASE("conv2d: batch and multiple output channels", "[conv2d]") {
    // Two images, 1 input channel, 2 output channels [2] and [-1] with biases [1, 100].
    const Tensor x({2, 1, 1, 2}, kU8, {1, 2, 3, 4});
    const Tensor w({2, 1, 1, 1}, kI8, {2, -1});
    const Tensor bias({2}, IntType::int32(), {1, 100});
    CHECK(conv2d_accumulate(x, w, bias, {}).data == std::vector<int32_t>{3, 5, 99, 98, 7, 9, 97, 96});
}

TEST_CASE("conv2d: fused per-channel output stage with ReLU", "[conv2d]") {
    // acc = [5, -5] for channel 0 (x2 = [5, -5] times 1) and [5, -5] * 3 = [15, -15] for channel 1.
    const Tensor x({1, 1, 1, 2}, IntType::signed_bits(4), {5, -5});
    const Tensor w({2, 1, 1, 1}, kI8, {1, 3});
    OutputStage stage;
    stage.multipliers = {Dyadic{1 << 30, 31}, Dyadic{1 << 30, 32}};  // 1/2 and 1/4
    stage.output_type = kI8;
    // Channel 0: 2.5 -> 3, -2.5 -> -2; channel 1: 3.75 -> 4, -3.75 -> -4.
    CHECK(conv2d(x, w, kNoBias, {}, stage).data == std::vector<int32_t>{3, -2, 4, -4});
    stage.relu = true;
    CHECK(conv2d(x, w, kNoBias, {}, stage).data == std::vector<int32_t>{3, 0, 4, 0});
    stage.relu = false;
    stage.output_type = IntType::signed_bits(2);  // [-2, 1]
    CHECK(conv2d(x, w, kNoBias, {}, stage).data == std::vector<int32_t>{1, -2, 1, -2});
    stage.output_type = IntType::unsigned_bits(2);  // [0, 3]
    CHECK(conv2d(x, w, kNoBias, {}, stage).data == std::vector<int32_t>{3, 0, 3, 0});
}

TEST_CASE("conv2d: output shape formula", "[conv2d]") {
    // ONNX: floor((H + pads - dilation * (K - 1) - 1) / stride) + 1
    Conv2dParams p = pads(1, 2, 0, 3);
    p.stride_h = 2;
    p.stride_w = 3;
    p.dilation_h = 2;
    // H: (7 + 1 - 2*2 - 1) / 2 + 1 = 2; W: (9 + 5 - 1*1 - 1) / 3 + 1 = 5
    CHECK(conv2d_output_shape({3, 4, 7, 9}, {6, 4, 3, 2}, p) == Shape{3, 6, 2, 5});
}

TEST_CASE("conv2d: impossible shapes and parameters are rejected", "[conv2d][errors]") {
    const Tensor x({1, 4, 5, 5}, kU8);
    const Tensor w({8, 4, 3, 3}, kI8);
    CHECK_NOTHROW(conv2d_accumulate(x, w, kNoBias, {}));

    CHECK_THROWS_WITH(conv2d_accumulate(Tensor({4, 5, 5}, kU8), w, kNoBias, {}), Catch::Contains("4-D"));
    CHECK_THROWS_WITH(conv2d_accumulate(x, Tensor({8, 4, 3}, kI8), kNoBias, {}), Catch::Contains("4-D"));
    CHECK_THROWS_WITH(conv2d_accumulate(x, Tensor({8, 3, 3, 3}, kI8), kNoBias, {}),
                      Catch::Contains("conv2d") && Catch::Contains("input channels"));
    CHECK_THROWS_WITH(conv2d_accumulate(x, Tensor({8, 4, 6, 6}, kI8), kNoBias, {}), Catch::Contains("does not fit"));
    Conv2dParams dilated;
    dilated.dilation_h = 3;  // span 7 > 5
    CHECK_THROWS_WITH(conv2d_accumulate(x, w, kNoBias, dilated), Catch::Contains("does not fit"));

    Conv2dParams p;
    p.groups = 3;  // does not divide 4
    CHECK_THROWS_WITH(conv2d_accumulate(x, Tensor({6, 1, 3, 3}, kI8), kNoBias, p), Catch::Contains("groups"));
    p.groups = 0;
    CHECK_THROWS_WITH(conv2d_accumulate(x, w, kNoBias, p), Catch::Contains("groups"));
    p = {};
    p.stride_w = 0;
    CHECK_THROWS_WITH(conv2d_accumulate(x, w, kNoBias, p), Catch::Contains("strides"));
    p = {};
    p.dilation_h = 0;
    CHECK_THROWS_WITH(conv2d_accumulate(x, w, kNoBias, p), Catch::Contains("dilations"));
    p = pads(0, -1, 0, 0);
    CHECK_THROWS_WITH(conv2d_accumulate(x, w, kNoBias, p), Catch::Contains("paddings"));

    CHECK_THROWS_WITH(conv2d_accumulate(x, w, Tensor({7}, IntType::int32()), {}), Catch::Contains("bias"));
    CHECK_THROWS_WITH(conv2d_accumulate(x, w, Tensor({8}, kI8), {}), Catch::Contains("int32"));
}

TEST_CASE("conv2d: bad operand types and data are rejected", "[conv2d][errors]") {
    const Tensor w({1, 1, 1, 1}, kI8, {1});
    CHECK_THROWS_WITH(conv2d_accumulate(Tensor({1, 1, 1, 1}, IntType::int32()), w, kNoBias, {}),
                      Catch::Contains("conv2d input") && Catch::Contains("wider than 16"));
    CHECK_THROWS_WITH(conv2d_accumulate(Tensor({1, 1, 1, 1}, kU8), Tensor({1, 1, 1, 1}, IntType::int32()), kNoBias, {}),
                      Catch::Contains("conv2d weight"));
    CHECK_THROWS_WITH(conv2d_accumulate(Tensor({1, 1, 1, 1}, kU8), Tensor({1, 1, 1, 1}, kU8), kNoBias, {}),
                      Catch::Contains("conv2d weight") && Catch::Contains("signed"));
    Tensor truncated({1, 1, 2, 2}, kU8);
    truncated.data.pop_back();  // a shape/data mismatch must not be read out of bounds
    CHECK_THROWS_WITH(conv2d_accumulate(truncated, w, kNoBias, {}), Catch::Contains("elements"));
    Tensor out_of_range({1, 1, 1, 1}, kU8);
    out_of_range.data[0] = 256;
    CHECK_THROWS_WITH(conv2d_accumulate(out_of_range, w, kNoBias, {}), Catch::Contains("outside uint8"));
}

TEST_CASE("conv2d: int32 accumulator overflow is detected", "[conv2d][errors]") {
    const IntType i16 = IntType::signed_bits(16);
    // Two channels: 2 * 32767^2 = 2147352578 fits int32 ...
    const Tensor x2({1, 2, 1, 1}, i16, {32767, 32767});
    const Tensor w2({1, 2, 1, 1}, i16, {32767, 32767});
    CHECK(conv2d_accumulate(x2, w2, kNoBias, {}).data == std::vector<int32_t>{2147352578});
    // ... but a bias of 131070 pushes it past 2^31 - 1 = 2147483647 by 1.
    CHECK(conv2d_accumulate(x2, w2, Tensor({1}, IntType::int32(), {131069}), {}).data ==
          std::vector<int32_t>{2147483647});
    CHECK_THROWS_WITH(conv2d_accumulate(x2, w2, Tensor({1}, IntType::int32(), {131070}), {}),
                      Catch::Contains("conv2d") && Catch::Contains("overflow"));
    // Three channels overflow on the negative side: 3 * (-32768 * 32767) < -2^31.
    const Tensor x3({1, 3, 1, 1}, i16, {-32768, -32768, -32768});
    const Tensor w3({1, 3, 1, 1}, i16, {32767, 32767, 32767});
    CHECK_THROWS_WITH(conv2d_accumulate(x3, w3, kNoBias, {}), Catch::Contains("overflow") && Catch::Contains("[0, 0, 0, 0]"));
    // The widest single products: uint16 65535 times int16 -32768 and 32767 are exact.
    const Tensor xu({1, 1, 1, 1}, IntType::unsigned_bits(16), {65535});
    CHECK(conv2d_accumulate(xu, Tensor({2, 1, 1, 1}, i16, {-32768, 32767}), kNoBias, {}).data ==
          std::vector<int32_t>{-2147450880, 2147385345});
    // The check is on the final sum: partial sums may leave int32 as long as the total returns.
    // (After three channels the running sum is about -3.2e9.)
    const Tensor x4({1, 6, 1, 1}, i16, {-32768, -32768, -32768, -32768, -32768, -32768});
    const Tensor w4({1, 6, 1, 1}, i16, {32767, 32767, 32767, -32767, -32767, -32767});
    CHECK(conv2d_accumulate(x4, w4, kNoBias, {}).data == std::vector<int32_t>{0});
}
