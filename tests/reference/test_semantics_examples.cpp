// Every worked example of docs/semantics.md, recomputed. Each expected number is derived by hand
// arithmetic written out below (the same steps the document shows), checked against the reference
// executor, and then looked up in the document text, so the document's numbers cannot drift from
// either the arithmetic or the code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "reference/dyadic.h"
#include "util/error.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/quantize_input.h"
#include "reference/ops/residual_add.h"
#include "reference/requantize.h"

using namespace dyadic;

namespace {

// Tests run from the repository root (catch_discover_tests WORKING_DIRECTORY).
const std::string& semantics_doc() {
    static const std::string text = [] {
        std::ifstream file("docs/semantics.md");
        std::ostringstream content;
        content << file.rdbuf();
        return content.str();
    }();
    return text;
}

void check_doc_states(const std::string& fragment) {
    INFO("docs/semantics.md should contain: " << fragment);
    CHECK(semantics_doc().find(fragment) != std::string::npos);
}

std::string str(int64_t v) { return std::to_string(v); }

// Streams every part into one string (numbers in decimal).
template <typename... Parts>
std::string concat(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

// "| a | b | c |", the form of a markdown table row.
std::string table_row(std::initializer_list<std::string> cells) {
    std::ostringstream row;
    row << '|';
    for (const std::string& cell : cells) row << ' ' << cell << " |";
    return row.str();
}

constexpr int64_t pow2(int k) { return int64_t{1} << k; }

// floor(a / 2^c) by integer division with an explicit correction for negative remainders,
// deliberately not written as a shift.
int64_t floor_div_pow2(int64_t a, int c) {
    const int64_t d = pow2(c);
    int64_t q = a / d;
    if (a % d != 0 && a < 0) q -= 1;
    return q;
}

// round half up of the positive fraction num / den: floor(num / den + 1/2)
int64_t round_half_up(int64_t num, int64_t den) { return (2 * num + den) / (2 * den); }

// The document's rounding step, from the hand-written product: (p + 2^(c-1)) >> c.
int64_t rounded_shift(int64_t product, int c) { return floor_div_pow2(product + (c == 0 ? 0 : pow2(c - 1)), c); }

int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

const IntType kInt4 = IntType::signed_bits(4);
const IntType kUint4 = IntType::unsigned_bits(4);
const IntType kInt8 = IntType::signed_bits(8);
const IntType kUint8 = IntType::unsigned_bits(8);

// The multipliers used by the examples, each derived by hand from frexp(r) = m * 2^e:
// b = round_half_up(m * 2^31), c = 31 - e.
const Dyadic kTenth{static_cast<int32_t>(round_half_up(pow2(34), 10)), 34};       // 0.1 = 0.8 * 2^-3
const Dyadic kThird{static_cast<int32_t>(round_half_up(pow2(32), 3)), 32};        // 1/3 = (2/3) * 2^-1
const Dyadic kSixth{static_cast<int32_t>(round_half_up(pow2(32), 3)), 33};        // 1/6 = (2/3) * 2^-2
const Dyadic kQuarter{static_cast<int32_t>(pow2(30)), 32};                        // 0.25 = 0.5 * 2^-1
const Dyadic kHalf{static_cast<int32_t>(pow2(30)), 31};                           // 0.5 = 0.5 * 2^0
const Dyadic kOne{static_cast<int32_t>(pow2(30)), 30};                            // 1 = 0.5 * 2^1
const Dyadic kPoint3{static_cast<int32_t>(round_half_up(3 * pow2(31), 5)), 32};   // 0.3 = 0.6 * 2^-1
const Dyadic kPoint6{static_cast<int32_t>(round_half_up(3 * pow2(31), 5)), 31};   // 0.6 = 0.6 * 2^0
const Dyadic kThreeQuarters{static_cast<int32_t>(3 * pow2(29)), 31};              // 0.75 = 0.75 * 2^0

std::string pair(const Dyadic& d) { return concat('(', d.mantissa, ", ", d.shift, ')'); }

}  // namespace

TEST_CASE("semantics doc: the dyadic multiplier examples", "[semantics]") {
    // The hand-derived pairs equal to_dyadic and the numbers the document prints.
    CHECK(kTenth == Dyadic{1717986918, 34});  // 2^34 / 10 = 1717986918.4
    CHECK(kThird == Dyadic{1431655765, 32});  // 2^32 / 3 = 1431655765.33
    CHECK(kPoint3.mantissa == 1288490189);    // 3 * 2^31 / 5 = 1288490188.8
    CHECK(to_dyadic(0.1) == kTenth);
    CHECK(to_dyadic(1.0 / 3.0) == kThird);
    CHECK(to_dyadic(1.0 / 6.0) == kSixth);
    CHECK(to_dyadic(0.25) == kQuarter);
    CHECK(to_dyadic(0.5) == kHalf);
    CHECK(to_dyadic(1.0) == kOne);
    CHECK(dyadic_one() == kOne);
    CHECK(to_dyadic(0.3) == kPoint3);
    CHECK(to_dyadic(0.6) == kPoint6);
    CHECK(to_dyadic(0.75) == kThreeQuarters);
    check_doc_states("m * 2^31 = 1717986918.4  ->  b = 1717986918, c = 34");
    check_doc_states("m * 2^31 = 1431655765.33           ->  b = 1431655765, c = 32");

    // Value and error bound of 0.1.
    CHECK(kTenth.value() == 0.09999999997671694);
    const double relative_error = std::abs(kTenth.value() - 0.1) / 0.1;
    CHECK(relative_error <= std::ldexp(1.0, -31));
    CHECK(relative_error == Approx(2.33e-10).epsilon(1e-3));
    check_doc_states("b / 2^c = 0.09999999997671694, relative error 2.33e-10 <= 2^-31 = 4.66e-10");

    // Renormalisation: m * 2^31 = 2^31 - 0.25 rounds to 2^31.
    CHECK(to_dyadic(1.0 - std::ldexp(1.0, -33)) == Dyadic{static_cast<int32_t>(pow2(30)), 30});
    check_doc_states("m * 2^31 = 2^31 - 0.25 -> 2^31 -> renormalised: b = 2^30, c = 30");

    // The exact edges of the legal range.
    const double low_edge = std::ldexp(1.0, -32) - std::ldexp(1.0, -64);
    CHECK(to_dyadic(low_edge) == Dyadic{static_cast<int32_t>(pow2(30)), 62});
    CHECK_THROWS_AS(to_dyadic(std::nextafter(low_edge, 0.0)), Error);
    const double high_edge = std::ldexp(1.0, 31) - 0.5;
    CHECK_THROWS_AS(to_dyadic(high_edge), Error);
    CHECK(to_dyadic(std::nextafter(high_edge, 0.0)) == Dyadic{static_cast<int32_t>(pow2(31) - 1), 0});
    CHECK_THROWS_AS(to_dyadic(std::ldexp(1.0, -33)), Error);
    check_doc_states("`r >= 2^31 - 1/2`");
    check_doc_states("`r < 2^-32 - 2^-64`");
    check_doc_states("The representable values are `[2^-32, 2^31 - 1]`");
    // Below 2^-32 every int32 accumulator, even -2^31, is mapped to 0: |acc * r| < 1/2.
    CHECK(std::ldexp(1.0, 31) * std::nextafter(low_edge, 0.0) < 0.5);
}

TEST_CASE("semantics doc: requantization tables", "[semantics]") {
    const ClampRange int8_range = clamp_range(kInt8, false);
    struct Row {
        int64_t acc;
        Dyadic multiplier;
        int64_t product, plus_rounding, shifted;
        const char* real;
    };
    // product = acc * b, plus_rounding = product + 2^(c-1), shifted = floor(plus_rounding / 2^c),
    // all multiplied out by hand.
    const Row rows[] = {
        {37, kTenth, 63565515966, 72155450558, 4, "3.7"},        // 72155450558 / 2^34 = 4.2
        {-15, kTenth, -25769803770, -17179869178, -1, "-1.5"},   // -0.99999999965
        {-25, kTenth, -42949672950, -34359738358, -2, "-2.5"},   // -1.99999999965
        {10, kQuarter, 10737418240, 12884901888, 3, "2.5"},      // exactly 3
        {-10, kQuarter, -10737418240, -8589934592, -2, "-2.5"},  // exactly -2
        {-11, kQuarter, -11811160064, -9663676416, -3, "-2.75"}, // -2.25
    };
    for (const Row& row : rows) {
        INFO("acc " << row.acc);
        CHECK(row.acc * row.multiplier.mantissa == row.product);
        CHECK(row.product + pow2(row.multiplier.shift - 1) == row.plus_rounding);
        CHECK(floor_div_pow2(row.plus_rounding, row.multiplier.shift) == row.shifted);
        CHECK(dyadic_scale(row.acc, row.multiplier) == row.shifted);
        CHECK(requantize(row.acc, row.multiplier, int8_range) == row.shifted);
        check_doc_states(table_row({str(row.acc), str(row.product), str(row.plus_rounding), str(row.shifted), row.real}));
    }
    // Ties go toward +infinity: 2.5 -> 3, -2.5 -> -2.
    CHECK(dyadic_scale(10, kQuarter) == 3);
    CHECK(dyadic_scale(-10, kQuarter) == -2);
    check_doc_states("`R = 2^33 = 8589934592`");
    check_doc_states("`R = 2^31 = 2147483648`");

    // The overflow proof's extreme: |v * b| < 2^62 and v*b + R < 2^63 at v = -2^31, b = 2^31 - 1, c = 62.
    const Dyadic extreme{static_cast<int32_t>(pow2(31) - 1), 62};
    const int64_t v = -pow2(31);
    CHECK(v * extreme.mantissa > -pow2(62));
    CHECK(dyadic_scale(v, extreme) == floor_div_pow2(v * extreme.mantissa + pow2(61), 62));
    CHECK(dyadic_scale(pow2(31) - 1, Dyadic{static_cast<int32_t>(pow2(31) - 1), 0}) == (pow2(31) - 1) * (pow2(31) - 1));
    CHECK_THROWS_AS(dyadic_scale(pow2(31), kOne), Error);
}

TEST_CASE("semantics doc: storage, packing and accumulator bounds", "[semantics]") {
    // int4 [-3, 5, 7]: element 2i in the low nibble, two's complement low 4 bits.
    const int byte0 = ((5 & 0xF) << 4) | (-3 & 0xF);
    const int byte1 = (0 << 4) | (7 & 0xF);
    CHECK(byte0 == 0x5D);
    CHECK(byte1 == 0x07);
    check_doc_states("`int4 [-3, 5, 7]` packs to bytes `0x5D, 0x07` (-3 = `0xD`)");

    CHECK(4608 == 512 * 3 * 3);
    CHECK(int64_t{4608} * 128 * 255 == 150405120);
    CHECK(128 * 255 == 32640);
    CHECK((pow2(31) - 1) / 32640 == 65793);
    CHECK(255 * 255 == 65025);
    CHECK((pow2(31) - 1) / 65025 == 33025);
    check_doc_states("`4608 * 128 * 255 = 150405120`");
    check_doc_states("`K = floor((2^31 - 1) / 32640) = 65793`");
    check_doc_states("`K <= floor((2^31 - 1) / 65025) = 33025`");

    // A final accumulator that leaves int32 is an error, an intermediate one is not: the exact
    // sum 2147483647 + 10*10 + (-20)*10 = 2147483547 passes through 2147483747 > 2^31 - 1.
    const Tensor bias({1}, IntType::int32(), {2147483647});
    const Tensor weight({1, 2}, kInt8, {10, 10});
    const Tensor fits({1, 2}, kInt8, {10, -20});
    CHECK(fully_connected_accumulate(fits, weight, bias).data == std::vector<int32_t>{2147483547});
    // A wrapping int32 accumulator (modulo 2^32) ends on the same value.
    uint32_t wrapping = static_cast<uint32_t>(2147483647);
    wrapping += static_cast<uint32_t>(10 * 10);
    wrapping += static_cast<uint32_t>(-20 * 10);
    CHECK(static_cast<int32_t>(wrapping) == 2147483547);
    const Tensor overflows({1, 2}, kInt8, {10, 0});
    CHECK_THROWS_AS(fully_connected_accumulate(overflows, weight, bias), Error);
}

TEST_CASE("semantics doc: conv2d example A (stride, padding, dilation, ReLU)", "[semantics]") {
    TensorStorage x_values(16, 0);
    for (int i = 0; i < 16; ++i) x_values[static_cast<size_t>(i)] = i;
    const Tensor x({1, 1, 4, 4}, kUint4, x_values);
    const Tensor w({2, 1, 2, 2}, kInt4, {1, 2, -1, 3, /**/ 2, -1, 0, -1});
    const Tensor bias({2}, IntType::int32(), {5, 6});
    Conv2dParams params;
    params.stride_h = params.stride_w = 2;
    params.pad_top = params.pad_left = params.pad_bottom = params.pad_right = 1;
    params.dilation_h = params.dilation_w = 2;
    const OutputStage stage{{kPoint3, kThreeQuarters}, kUint4, true};

    // Output (y, x) reads input rows/cols 2y - 1 + 2k: only X[1,1] = 5, X[1,3] = 7, X[3,1] = 13,
    // X[3,3] = 15 are ever read, against Wt[o, ky, kx].
    struct Row {
        const char* index;
        const char* terms;
        int64_t acc;
        Dyadic multiplier;
        int64_t product, plus_rounding, shifted, out;
    };
    const Row rows[] = {
        {"0,0,0", "5 + 5*3", 5 + 5 * 3, kPoint3, 25769803780, 27917287428, 6, 6},
        {"0,0,1", "5 + 5*(-1) + 7*3", 5 + 5 * (-1) + 7 * 3, kPoint3, 27058293969, 29205777617, 6, 6},
        {"0,1,0", "5 + 5*2 + 13*3", 5 + 5 * 2 + 13 * 3, kPoint3, 69578470206, 71725953854, 16, 15},
        {"0,1,1", "5 + 5*1 + 7*2 + 13*(-1) + 15*3", 5 + 5 * 1 + 7 * 2 + 13 * (-1) + 15 * 3, kPoint3, 72155450584,
         74302934232, 17, 15},
        {"1,0,0", "6 + 5*(-1)", 6 + 5 * (-1), kThreeQuarters, 1610612736, 2684354560, 1, 1},
        {"1,0,1", "6 + 5*0 + 7*(-1)", 6 + 5 * 0 + 7 * (-1), kThreeQuarters, -1610612736, -536870912, -1, 0},
        {"1,1,0", "6 + 5*(-1) + 13*(-1)", 6 + 5 * (-1) + 13 * (-1), kThreeQuarters, -19327352832, -18253611008, -9, 0},
        {"1,1,1", "6 + 5*2 + 7*(-1) + 13*0 + 15*(-1)", 6 + 5 * 2 + 7 * (-1) + 13 * 0 + 15 * (-1), kThreeQuarters,
         -9663676416, -8589934592, -4, 0},
    };
    const Tensor acc = conv2d_accumulate(x, w, bias, params);
    REQUIRE(acc.shape == Shape{1, 2, 2, 2});
    const Tensor out = conv2d(x, w, bias, params, stage);
    REQUIRE(out.shape == Shape{1, 2, 2, 2});
    CHECK(out.type == kUint4);
    for (size_t i = 0; i < 8; ++i) {
        const Row& row = rows[i];
        INFO("element " << row.index);
        CHECK(acc.data[i] == row.acc);
        CHECK(row.acc * row.multiplier.mantissa == row.product);
        CHECK(row.product + pow2(row.multiplier.shift - 1) == row.plus_rounding);
        CHECK(floor_div_pow2(row.plus_rounding, row.multiplier.shift) == row.shifted);
        CHECK(clamp64(row.shifted, 0, 15) == row.out);
        CHECK(out.data[i] == row.out);
        check_doc_states(table_row({row.index, concat(row.terms, " = ", row.acc), str(row.product),
                                    str(row.plus_rounding), str(row.shifted), str(row.out)}));
    }
    check_doc_states(concat("`m[0] = to_dyadic(0.3) = ", pair(kPoint3), '`'));
    check_doc_states(concat("`m[1] = to_dyadic(0.75) = ", pair(kThreeQuarters), '`'));
    check_doc_states("Result: `out = [[[6, 6], [15, 15]], [[1, 0], [0, 0]]]`.");
}

TEST_CASE("semantics doc: conv2d example B (depthwise)", "[semantics]") {
    const Tensor x({1, 2, 2, 2}, kInt8, {3, -1, 2, 4, /**/ -5, 6, 0, -2});
    const Tensor w({2, 1, 2, 2}, kInt8, {1, 2, 3, -1, /**/ 1, -1, -2, -2});
    Conv2dParams params;
    params.groups = 2;
    const OutputStage stage{{kHalf}, kInt8, false};

    const int64_t acc0 = 3 * 1 + (-1) * 2 + 2 * 3 + 4 * (-1);
    const int64_t acc1 = (-5) * 1 + 6 * (-1) + 0 * (-2) + (-2) * (-2);
    CHECK(acc0 == 3);
    CHECK(acc1 == -7);
    CHECK(acc0 * pow2(30) + pow2(30) == 4294967296);
    CHECK(acc1 * pow2(30) + pow2(30) == -6442450944);
    CHECK(floor_div_pow2(4294967296, 31) == 2);
    CHECK(floor_div_pow2(-6442450944, 31) == -3);

    CHECK(conv2d_accumulate(x, w, Tensor{}, params).data == std::vector<int32_t>{3, -7});
    const Tensor out = conv2d(x, w, Tensor{}, params, stage);
    CHECK(out.shape == Shape{1, 2, 1, 1});
    CHECK(out.data == std::vector<int32_t>{2, -3});
    check_doc_states("out[0] = (3 * 1073741824 + 1073741824) >> 31 =  4294967296 >> 31 =  2");
    check_doc_states("out[1] = (-7 * 1073741824 + 1073741824) >> 31 = -6442450944 >> 31 = -3");
    check_doc_states("Result: `out = [[[[2]], [[-3]]]]`.");
}

TEST_CASE("semantics doc: fully_connected example", "[semantics]") {
    const Tensor x({1, 3}, kInt8, {10, -20, 30});
    const Tensor w({2, 3}, kInt4, {1, -2, 3, -4, 5, 6});
    const Tensor bias({2}, IntType::int32(), {100, -50});
    const OutputStage stage{{kPoint6, kQuarter}, kInt8, false};

    const int64_t acc0 = 100 + 10 * 1 + (-20) * (-2) + 30 * 3;
    const int64_t acc1 = -50 + 10 * (-4) + (-20) * 5 + 30 * 6;
    CHECK(acc0 == 240);
    CHECK(acc1 == -10);
    CHECK(acc0 * kPoint6.mantissa == 309237645360);
    CHECK(309237645360 + pow2(30) == 310311387184);
    CHECK(floor_div_pow2(310311387184, 31) == 144);
    CHECK(acc1 * kQuarter.mantissa == -10737418240);
    CHECK(-10737418240 + pow2(31) == -8589934592);
    CHECK(floor_div_pow2(-8589934592, 32) == -2);

    CHECK(fully_connected_accumulate(x, w, bias).data == std::vector<int32_t>{240, -10});
    CHECK(fully_connected(x, w, bias, stage).data ==
          std::vector<int32_t>{static_cast<int32_t>(clamp64(144, -128, 127)), -2});
    check_doc_states("out[0]: 240 * 1288490189 = 309237645360; + 2^30 = 310311387184; >> 31 = 144; clamp -> 127");
    check_doc_states("out[1]: -10 * 1073741824 = -10737418240; + 2^31 = -8589934592;  >> 32 = -2");
    check_doc_states("Result: `out = [[127, -2]]`.");
}

TEST_CASE("semantics doc: residual_add example", "[semantics]") {
    const Tensor main_branch({1, 2, 1, 2}, IntType::int32(), {10, -7, 25, 3});
    const Tensor identity({1, 2, 1, 2}, kInt8, {1, -3, -9, 4});
    ResidualAddStage stage;
    stage.main_multipliers = {kQuarter, kHalf};
    stage.identity_multiplier = kHalf;
    stage.output_type = kInt4;

    struct Term {
        int64_t v;
        Dyadic multiplier;
        const char* rounding;  // how the document writes 2^(c-1)
        int64_t product, plus_rounding, shifted;
    };
    struct Row {
        const char* index;
        Term main, id;
        int64_t out;
    };
    const Row rows[] = {
        {"0,0", {10, kQuarter, "2^31", 10737418240, 12884901888, 3}, {1, kHalf, "2^30", 1073741824, 2147483648, 1}, 4},
        {"0,1", {-7, kQuarter, "2^31", -7516192768, -5368709120, -2}, {-3, kHalf, "2^30", -3221225472, -2147483648, -1}, -3},
        {"1,0", {25, kHalf, "2^30", 26843545600, 27917287424, 13}, {-9, kHalf, "2^30", -9663676416, -8589934592, -4}, 7},
        {"1,1", {3, kHalf, "2^30", 3221225472, 4294967296, 2}, {4, kHalf, "2^30", 4294967296, 5368709120, 2}, 4},
    };
    const auto check_term = [](const Term& t) {
        CHECK(t.v * t.multiplier.mantissa == t.product);
        CHECK(t.product + pow2(t.multiplier.shift - 1) == t.plus_rounding);
        CHECK(floor_div_pow2(t.plus_rounding, t.multiplier.shift) == t.shifted);
        return concat('(', t.product, " + ", t.rounding, ") >> ", t.multiplier.shift, " = ", t.plus_rounding, " >> ",
                      t.multiplier.shift, " = ", t.shifted);
    };
    const Tensor out = residual_add(main_branch, identity, stage);
    for (size_t i = 0; i < 4; ++i) {
        const Row& row = rows[i];
        INFO("element " << row.index);
        const std::string main_text = check_term(row.main);
        const std::string id_text = check_term(row.id);
        const int64_t sum = row.main.shifted + row.id.shifted;
        CHECK(clamp64(sum, -8, 7) == row.out);
        CHECK(out.data[i] == row.out);
        check_doc_states(table_row({row.index, main_text, id_text, str(sum), str(row.out)}));
    }
    // Rounding each term separately differs from rounding the real sum once: 2.5 + 0.5 = 3.0 -> 3.
    CHECK(rounded_shift(10 * pow2(30), 32) + rounded_shift(1 * pow2(30), 31) == 4);
    CHECK(std::floor(10 * 0.25 + 1 * 0.5 + 0.5) == 3.0);
    check_doc_states("Result: `out = [[[[4, -3]], [[7, 4]]]]`.");
}

TEST_CASE("semantics doc: max_pool2d example", "[semantics]") {
    const Tensor x({1, 1, 3, 3}, kInt8, {-5, -2, -7, -1, -9, -3, -4, -6, -8});
    Pool2dParams params;
    params.kernel_h = params.kernel_w = 2;
    params.stride_h = params.stride_w = 2;
    params.pad_top = params.pad_left = params.pad_bottom = params.pad_right = 1;
    CHECK((3 + 1 + 1 - 2) / 2 + 1 == 2);
    // Windows: rows [2y - 1, 2y + 1) and cols [2x - 1, 2x + 1), clipped to the image.
    const std::vector<int32_t> expected{-5, std::max(-2, -7), std::max(-1, -4), std::max({-9, -3, -6, -8})};
    CHECK(expected == std::vector<int32_t>{-5, -2, -1, -3});
    const Tensor out = max_pool2d(x, params);
    CHECK(out.shape == Shape{1, 1, 2, 2});
    CHECK(out.type == kInt8);
    CHECK(out.data == expected);
    check_doc_states("(1,1): rows {1, 2}, cols {1, 2} -> max{-9, -3, -6, -8} = -3");
    check_doc_states("Result: `out = [[-5, -2], [-1, -3]]`.");
}

TEST_CASE("semantics doc: average_pool2d example", "[semantics]") {
    const Tensor x({1, 1, 3, 3}, kUint8, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Pool2dParams params;
    params.kernel_h = params.kernel_w = 2;
    params.stride_h = params.stride_w = 2;
    params.pad_top = params.pad_left = params.pad_bottom = params.pad_right = 1;

    const std::vector<Dyadic> by_count{kOne, kHalf, kThird, kQuarter};
    const AveragePoolStage exclude_pad = make_average_pool_stage(1.0, 4, kUint8, false);
    const AveragePoolStage include_pad = make_average_pool_stage(1.0, 4, kUint8, true);
    CHECK(exclude_pad.multiplier_by_count == by_count);
    check_doc_states("= [(1073741824, 30), (1073741824, 31), (1431655765, 32), (1073741824, 32)]`");

    struct Row {
        const char* index;
        const char* window;
        int64_t sum;
        int count;
        int64_t product_k, plus_k, out_k;     // with multiplier_by_count[count - 1]
        int64_t product_4, plus_4, out_4;     // with multiplier_by_count[3]
    };
    const Row rows[] = {
        {"0,0", "{1}", 1, 1, 1073741824, 1610612736, 1, 1073741824, 3221225472, 0},
        {"0,1", "{2, 3}", 2 + 3, 2, 5368709120, 6442450944, 3, 5368709120, 7516192768, 1},
        {"1,0", "{4, 7}", 4 + 7, 2, 11811160064, 12884901888, 6, 11811160064, 13958643712, 3},
        {"1,1", "{5, 6, 8, 9}", 5 + 6 + 8 + 9, 4, 30064771072, 32212254720, 7, 30064771072, 32212254720, 7},
    };
    std::vector<int32_t> expected_exclude, expected_include;
    for (const Row& row : rows) {
        INFO("window " << row.index);
        const Dyadic& m = by_count[static_cast<size_t>(row.count - 1)];
        CHECK(row.sum * m.mantissa == row.product_k);
        CHECK(row.product_k + pow2(m.shift - 1) == row.plus_k);
        CHECK(floor_div_pow2(row.plus_k, m.shift) == row.out_k);
        CHECK(row.sum * kQuarter.mantissa == row.product_4);
        CHECK(row.product_4 + pow2(31) == row.plus_4);
        CHECK(floor_div_pow2(row.plus_4, 32) == row.out_4);
        expected_exclude.push_back(static_cast<int32_t>(row.out_k));
        expected_include.push_back(static_cast<int32_t>(row.out_4));
        const std::string excl = concat('(', row.product_k, " + 2^", m.shift - 1, ") >> ", m.shift, " = ", row.plus_k,
                                        " >> ", m.shift, " = ", row.out_k);
        const std::string incl = row.count == 4 ? str(row.out_4)
                                                : concat('(', row.product_4, " + 2^31) >> 32 = ", row.plus_4,
                                                         " >> 32 = ", row.out_4);
        check_doc_states(table_row({row.index, row.window, str(row.sum), str(row.count), excl, incl}));
    }
    const Tensor out_exclude = average_pool2d(x, params, exclude_pad);
    const Tensor out_include = average_pool2d(x, params, include_pad);
    CHECK(out_exclude.shape == Shape{1, 1, 2, 2});
    CHECK(out_exclude.data == expected_exclude);
    CHECK(out_include.data == expected_include);
    check_doc_states("Results: `count_include_pad = 0: out = [[1, 3], [6, 7]]`");
    check_doc_states("`count_include_pad = 1: out = [[0, 1], [3, 7]]`.");
}

TEST_CASE("semantics doc: global_average_pool example", "[semantics]") {
    const Tensor x({1, 2, 2, 3}, kUint8, {1, 2, 3, 4, 5, 6, /**/ 0, 0, 1, 1, 1, 0});
    const int64_t sum0 = 1 + 2 + 3 + 4 + 5 + 6;
    const int64_t sum1 = 0 + 0 + 1 + 1 + 1 + 0;
    CHECK(sum0 == 21);
    CHECK(sum1 == 3);
    CHECK(sum0 * kSixth.mantissa == 30064771065);
    CHECK(30064771065 + pow2(32) == 34359738361);
    CHECK(floor_div_pow2(34359738361, 33) == 3);
    CHECK(sum1 * kSixth.mantissa == 4294967295);
    CHECK(4294967295 + pow2(32) == 8589934591);
    CHECK(floor_div_pow2(8589934591, 33) == 0);
    // b / 2^c lies just below 1/6, so the exact ties 3.5 and 0.5 fall below the rounding point.
    CHECK(kSixth.value() < 1.0 / 6.0);
    CHECK(kSixth.value() == Approx(0.16666666662786).epsilon(1e-12));

    const Tensor out = global_average_pool(x, kSixth, kUint8);
    CHECK(out.shape == Shape{1, 2, 1, 1});
    CHECK(out.data == std::vector<int32_t>{3, 0});
    check_doc_states("c=0: sum 21; 21 * 1431655765 = 30064771065; + 2^32 = 34359738361; >> 33 = 3");
    check_doc_states("c=1: sum  3;  3 * 1431655765 =  4294967295; + 2^32 =  8589934591; >> 33 = 0");
    check_doc_states("`M = to_dyadic(1/6) = (1431655765, 33)`");
    check_doc_states("Result: `out = [[[[3]], [[0]]]]`.");
}

TEST_CASE("semantics doc: concat example", "[semantics]") {
    const Tensor a({1, 1, 1, 2}, kUint4, {3, 15});
    const Tensor b({1, 2, 1, 2}, kUint8, {7, 6, 0, 40});
    const Dyadic m_b = to_dyadic(0.25 / 0.5);
    CHECK(m_b == kHalf);

    CHECK(3 * pow2(30) + pow2(29) == 3758096384);
    CHECK(15 * pow2(30) + pow2(29) == 16642998272);
    CHECK(floor_div_pow2(3758096384, 30) == 3);
    CHECK(floor_div_pow2(16642998272, 30) == 15);
    CHECK(7 * pow2(30) + pow2(30) == 8589934592);
    CHECK(6 * pow2(30) + pow2(30) == 7516192768);
    CHECK(40 * pow2(30) + pow2(30) == 44023414784);
    CHECK(floor_div_pow2(8589934592, 31) == 4);
    CHECK(floor_div_pow2(7516192768, 31) == 3);
    CHECK(floor_div_pow2(1073741824, 31) == 0);
    CHECK(floor_div_pow2(44023414784, 31) == 20);

    const Tensor out = concat_channels({&a, &b}, {dyadic_one(), m_b}, kUint4);
    CHECK(out.shape == Shape{1, 3, 1, 2});
    CHECK(out.data == std::vector<int32_t>{3, 15, 4, 3, 0, static_cast<int32_t>(clamp64(20, 0, 15))});
    check_doc_states("   40 -> (42949672960 + 2^30) >> 31 = 44023414784 >> 31 = 20 -> clamp 15");
    check_doc_states("Result: `out = [[[[3, 15]], [[4, 3]], [[0, 15]]]]`.");

    // dyadic_one() is an exact identity on the whole int32 range.
    for (const int64_t v : {-pow2(31), int64_t{-1}, int64_t{0}, int64_t{1}, pow2(31) - 1}) {
        CHECK(dyadic_scale(v, dyadic_one()) == v);
    }
}

TEST_CASE("semantics doc: quantize_input example", "[semantics]") {
    const std::vector<float> values{-1.0f, 0.3f, 0.375f, 0.125f, -0.625f, 2.0f};
    // 0.3f is 0.300000011920928955078125; dividing by 0.25 is exact (a power of two).
    CHECK(static_cast<double>(0.3f) == 0.300000011920928955078125);
    CHECK(static_cast<double>(0.3f) / 0.25 == 1.2000000476837158203125);
    // Hand rounding, half to even: -4, 1.2 -> 1, 1.5 -> 2, 0.5 -> 0, -2.5 -> -2, 8 -> 8 -> clamp 7.
    const std::vector<int32_t> expected{-4, 1, 2, 0, -2, static_cast<int32_t>(clamp64(8, -8, 7))};
    const Tensor q = quantize_input(values, {6}, 0.25, kInt4);
    CHECK(q.data == expected);
    check_doc_states("| 0.3 (= 0.300000011920928955078125) | 1.2000000476837158203125 | 1 | 1 |");
    check_doc_states("| -0.625 | -2.5 | -2 | -2 |");
    check_doc_states("Result: `q = [-4, 1, 2, 0, -2, 7]`.");
}

TEST_CASE("semantics doc: ONNX ConvInteger reduces to conv2d on differences", "[semantics]") {
    // ONNX conformance case test_convinteger_with_padding: x = 2..10 (uint8), x_zero_point = 1,
    // w = ones (uint8) 2x2, pads 1; ONNX's expected output (from the ONNX test data):
    const std::vector<int32_t> onnx_expected{1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9};
    TensorStorage dx;
    for (int v = 2; v <= 10; ++v) dx.push_back(v - 1);  // x - zx
    const Tensor dx_tensor({1, 1, 3, 3}, IntType::signed_bits(9), dx);
    const Tensor dw_tensor({1, 1, 2, 2}, IntType::signed_bits(9), {1 - 0, 1 - 0, 1 - 0, 1 - 0});
    Conv2dParams params;
    params.pad_top = params.pad_left = params.pad_bottom = params.pad_right = 1;
    CHECK(conv2d_accumulate(dx_tensor, dw_tensor, Tensor{}, params).data == onnx_expected);
    // The corner: one in-image difference 2 - 1 = 1 and three padded zeros; padding x with the integer
    // 0 before subtracting would give (0 - 1) * 3 + 1 = -2 instead.
    CHECK((2 - 1) + 0 + 0 + 0 == onnx_expected[0]);
    CHECK((0 - 1) * 3 + (2 - 1) == -2);
    check_doc_states("`[1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9]`");
    check_doc_states("`-1*3 + 1 = -2`");
    // The extreme differences fit int9: 0 - 255 = -255 and 255 - 0 = 255.
    CHECK(IntType::signed_bits(9).contains(0 - 255));
    CHECK(IntType::signed_bits(9).contains(127 - (-128)));
}

TEST_CASE("semantics doc: the quantizer's accumulator bound example", "[semantics]") {
    // Row [127, -128, 5] of int8 weights over uint8 inputs (max|x| = 255): sum |w| = 260.
    const int64_t sum_abs = 127 + 128 + 5;
    CHECK(sum_abs == 260);
    CHECK(255 * sum_abs == 66300);
    const int64_t accepted_bias = 2147417347;
    CHECK(accepted_bias + 255 * sum_abs == pow2(31) - 1);
    CHECK(accepted_bias + 1 + 255 * sum_abs == pow2(31));
    // The largest accumulator: 255 on the positive weights, 0 on the negative one.
    const int64_t largest = accepted_bias + 255 * 127 + 255 * 5;
    CHECK(largest == 2147451007);
    check_doc_states("`bound[0] = |bias[0]| + 255 * 260 = |bias[0]| + 66300`");
    check_doc_states("`bias[0] = 2147417347`: `bound[0] = 2147483647 = 2^31 - 1`, accepted.");
    check_doc_states("`2147417347 + 255*127 + 255*5 = 2147451007` (x = [255, 0, 255])");
    check_doc_states("`bias[0] = 2147417348`: `bound[0] = 2147483648 = 2^31`, refused");
    check_doc_states("accumulator is then `2147451008`, which fits.");

    // The reference agrees: with either bias, no uint8 input leaves int32. A brute force over the
    // extreme inputs (each element 0 or 255) finds the largest and smallest accumulators.
    const Tensor weight({1, 3}, kInt8, {127, -128, 5});
    for (const int64_t b : {accepted_bias, accepted_bias + 1}) {
        const Tensor bias({1}, IntType::int32(), {static_cast<int32_t>(b)});
        int64_t most = -pow2(62);
        for (int corner = 0; corner < 8; ++corner) {
            const Tensor x({1, 3}, kUint8,
                           {corner & 1 ? 255 : 0, corner & 2 ? 255 : 0, corner & 4 ? 255 : 0});
            most = std::max(most, int64_t{fully_connected_accumulate(x, weight, bias).data[0]});
        }
        CHECK(most == b + 255 * 127 + 255 * 5);
    }
}

TEST_CASE("semantics doc: requantize example", "[semantics]") {
    const Tensor x({1, 1, 2, 3}, IntType::signed_bits(16), {-40, -1, 7, 35, 849, 1000});
    CHECK(kPoint3 == Dyadic{1288490189, 32});
    CHECK(pow2(31) == 2147483648);
    struct Row {
        int64_t x, product, plus_rounding, shifted, out;
        const char* real;
    };
    // product = x * b, plus_rounding = product + 2^31, shifted = floor(plus_rounding / 2^32),
    // out = clamp(shifted, 0, 255), all multiplied out by hand.
    const Row rows[] = {
        {-40, -51539607560, -49392123912, -12, 0, "-12"},      // -11.5000000019
        {-1, -1288490189, 858993459, 0, 0, "-0.3"},            // 0.2
        {7, 9019431323, 11166914971, 2, 2, "2.1"},             // 2.6
        {35, 45097156615, 47244640263, 11, 11, "10.5"},        // 11.0000000016
        {849, 1093928170461, 1096075654109, 255, 255, "254.7"},
        {1000, 1288490189000, 1290637672648, 300, 255, "300"},
    };
    std::vector<int32_t> expected;
    for (const Row& row : rows) {
        INFO("x " << row.x);
        CHECK(row.x * kPoint3.mantissa == row.product);
        CHECK(row.product + pow2(31) == row.plus_rounding);
        CHECK(floor_div_pow2(row.plus_rounding, 32) == row.shifted);
        CHECK(clamp64(row.shifted, 0, 255) == row.out);
        expected.push_back(static_cast<int32_t>(row.out));
        check_doc_states(table_row({str(row.x), str(row.product), str(row.plus_rounding), str(row.shifted),
                                    str(row.out), row.real}));
    }
    // The reference runs requantize as a one-input concat.
    const Tensor out = concat_channels({&x}, {kPoint3}, kUint8);
    CHECK(out.shape == Shape{1, 1, 2, 3});
    CHECK(out.type == kUint8);
    CHECK(out.data == expected);
    check_doc_states("`m = to_dyadic(0.3) = (1288490189, 32)` and `R = 2^31 = 2147483648`");
    check_doc_states("Result: `out = [[[[0, 0, 2], [11, 255, 255]]]]`.");

    // 35 * 0.3 is a real tie, but b / 2^c lies just above 0.3.
    CHECK(kPoint3.value() == 0.30000000004656613);
    CHECK(35 * kPoint3.value() == Approx(10.500000001629815).epsilon(1e-15));
    CHECK(35.0 * static_cast<double>(kPoint3.mantissa) / std::ldexp(1.0, 32) > 10.5);
    check_doc_states("`b / 2^c = 0.30000000004656613` lies just above 0.3");
    check_doc_states("`10.500000001629815` and rounds to 11");
}

TEST_CASE("semantics doc: flatten and reshape example", "[semantics]") {
    // X[0, c, y, x] = 6c + 3y + x over [1, 2, 2, 3]: the row-major index of each element.
    const Shape x_shape{1, 2, 2, 3};
    const auto x_value = [](int64_t c, int64_t y, int64_t x) { return 6 * c + 3 * y + x; };
    std::vector<int64_t> flat;
    for (int64_t c = 0; c < 2; ++c)
        for (int64_t y = 0; y < 2; ++y)
            for (int64_t x = 0; x < 3; ++x) flat.push_back(x_value(c, y, x));
    CHECK(static_cast<int64_t>(flat.size()) == element_count(x_shape));
    CHECK(flat[1 * 6 + 0 * 3 + 2] == 8);
    CHECK(x_value(1, 0, 2) == 8);
    check_doc_states("`X[0, 1, 0, 2] = 8` lands at");
    check_doc_states("`out[0, 1*6 + 0*3 + 2] = out[0, 8]`");

    // ONNX shape [0, 3, -1, 2] against the input [1, 12], resolved by the rule the document states:
    // 0 copies the input dimension at that position, -1 is the element count over the others.
    const Shape input{1, 12};
    const std::vector<int64_t> onnx_shape{0, 3, -1, 2};
    Shape resolved = onnx_shape;
    resolved[0] = input[0];
    const int64_t known = resolved[0] * resolved[1] * resolved[3];
    CHECK(known == 6);
    resolved[2] = element_count(input) / known;
    CHECK(resolved == Shape{1, 3, 2, 2});
    CHECK(element_count(resolved) == element_count(input));
    // Element [0, i, j, k] of [1, 3, 2, 2] is flat element 4i + 2j + k.
    CHECK(flat[4 * 2 + 2 * 0 + 1] == 9);
    CHECK(x_value(1, 1, 0) == 9);
    check_doc_states("`1 * 3 * 2 = 6`, so `-1` becomes `12 / 6 = 2`. The resolved shape is `[1, 3, 2, 2]`");
    check_doc_states("layer stores `[3, 2, 2]`");
    check_doc_states("`out[0, 2, 0, 1] = flat[9] = 9 = X[0, 1, 1, 0]`");
}
