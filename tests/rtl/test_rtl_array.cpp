// The weight-stationary systolic array (rtl/hdl/dyadic_systolic_array.sv), verilated at 4 x 3 PEs
// without and with weight double buffering, against a plain matrix product: single folds with given
// partial sums (which wrap in int32), whole GEMMs over several folds in every precision mode, steps of
// overlapped folds with their own partial sums, and the cycles of every step as the SystemC model
// counts them (docs/accelerator.md, "Cycle model"), written out here: folds x (2R + C - 2 + T)
// without, (2R + C - 2 + T) + (folds - 1) x max(T, R) with double buffering.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "Vdyadic_rtl_test_array.h"
#include "Vdyadic_rtl_test_array_db.h"
#include "rtl/array_gemm.h"

using namespace dyadic;

namespace {

constexpr int kRows = 4, kCols = 3;

int64_t random_in(std::mt19937_64& rng, const IntType& t) {
    // A quarter of the values at the type's extremes.
    std::uniform_int_distribution<int64_t> d(t.min(), t.max());
    switch (rng() % 8) {
        case 0: return t.min();
        case 1: return t.max();
        default: return d(rng);
    }
}

struct Gemm {
    int64_t channels, reduction, pixels;
    std::vector<int32_t> weights, columns, acc;  // [m][k], [p][k], [m][p]
};

Gemm random_gemm(std::mt19937_64& rng, const IntType& w, const IntType& x, int64_t channels, int64_t reduction,
                 int64_t pixels) {
    Gemm g{channels, reduction, pixels, {}, {}, {}};
    for (int64_t i = 0; i < channels * reduction; ++i) g.weights.push_back(static_cast<int32_t>(random_in(rng, w)));
    for (int64_t i = 0; i < pixels * reduction; ++i) g.columns.push_back(static_cast<int32_t>(random_in(rng, x)));
    std::uniform_int_distribution<int32_t> acc_d(-1000000, 1000000);
    for (int64_t i = 0; i < channels * pixels; ++i) g.acc.push_back(acc_d(rng));
    return g;
}

// The plain product: acc + W X in int64, each element then taken modulo 2^32 as int32 hardware does.
std::vector<int32_t> naive(const Gemm& g) {
    std::vector<int32_t> out(g.acc.size());
    for (int64_t m = 0; m < g.channels; ++m) {
        for (int64_t p = 0; p < g.pixels; ++p) {
            int64_t sum = g.acc[static_cast<size_t>(m * g.pixels + p)];
            for (int64_t k = 0; k < g.reduction; ++k) {
                sum += int64_t{g.weights[static_cast<size_t>(m * g.reduction + k)]} * g.columns[static_cast<size_t>(p * g.reduction + k)];
            }
            out[static_cast<size_t>(m * g.pixels + p)] = static_cast<int32_t>(static_cast<uint32_t>(sum));
        }
    }
    return out;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The closed form of a step of `folds` folds of `pixels` pixels on the 4 x 3 array.
int64_t step_cycles(bool double_buffered, int64_t folds, int64_t pixels) {
    const int64_t first = 2 * kRows + kCols - 2 + pixels;
    return double_buffered ? first + (folds - 1) * std::max<int64_t>(pixels, kRows) : folds * first;
}

// The array verilated without (false) and with (true) weight double buffering.
template <bool DoubleBuffered>
struct TestArray {
    using Model = std::conditional_t<DoubleBuffered, Vdyadic_rtl_test_array_db, Vdyadic_rtl_test_array>;
    static rtl::ArrayDriver<Model> make() { return rtl::ArrayDriver<Model>(kRows, kCols, DoubleBuffered); }
};

}  // namespace

TEMPLATE_TEST_CASE("array: GEMMs over several folds equal the plain product in every precision mode", "[rtl][array]",
                   TestArray<false>, TestArray<true>) {
    auto array = TestType::make();
    std::mt19937_64 rng(7);
    const std::vector<IntType> weight_types{IntType::signed_bits(2), IntType::signed_bits(4), IntType::signed_bits(5),
                                            IntType::signed_bits(8)};
    const std::vector<IntType> activation_types{IntType::unsigned_bits(3), IntType::signed_bits(4), IntType::unsigned_bits(4),
                                                IntType::signed_bits(7), IntType::unsigned_bits(8), IntType::signed_bits(8)};
    for (const IntType& w : weight_types) {
        for (const IntType& x : activation_types) {
            const rtl::PeMode mode = rtl::pe_mode(w, x);
            const int64_t fold_rows = int64_t{kRows} * mode.macs_per_pe();
            for (int trial = 0; trial < 4; ++trial) {
                const int64_t channels = std::uniform_int_distribution<int64_t>(1, 3 * kCols)(rng);
                const int64_t reduction = std::uniform_int_distribution<int64_t>(1, 3 * fold_rows + 1)(rng);
                // Fewer pixels than rows (a double-buffered fold then waits for its weights), as many, more.
                const int64_t pixels = trial < 3 ? kRows - 1 + trial : std::uniform_int_distribution<int64_t>(1, 24)(rng);
                Gemm g = random_gemm(rng, w, x, channels, reduction, pixels);
                const std::vector<int32_t> expected = naive(g);
                const int64_t before = array.cycles();
                const int64_t cycles =
                    rtl::accumulate_gemm(array, mode, g.weights.data(), channels, reduction, g.columns.data(), pixels, g.acc.data());
                INFO(w.name() << " x " << x.name() << ": M " << channels << " K " << reduction << " T " << pixels);
                CHECK(g.acc == expected);
                const int64_t folds = ceil_div(channels, kCols) * ceil_div(reduction, fold_rows);
                CHECK(cycles == step_cycles(array.double_buffered(), folds, pixels));
                CHECK(array.cycles() - before == cycles);
            }
        }
    }
}

TEMPLATE_TEST_CASE("array: one fold adds to the given partial sums, wrapping in int32", "[rtl][array]",
                   TestArray<false>, TestArray<true>) {
    auto array = TestType::make();
    std::mt19937_64 rng(8);
    const IntType w = IntType::signed_bits(8), x = IntType::unsigned_bits(8);
    for (int64_t pixels : {1, 2, 5, 40}) {
        Gemm g = random_gemm(rng, w, x, kCols, kRows, pixels);
        // Partial sums at the int32 limits: the products push them across and they wrap.
        for (size_t i = 0; i < g.acc.size(); ++i) g.acc[i] = i % 2 ? INT32_MAX - 5 : INT32_MIN + 5;
        const std::vector<int32_t> expected = naive(g);
        const int64_t cycles = rtl::accumulate_gemm(array, rtl::pe_mode(w, x), g.weights.data(), kCols, kRows,
                                                    g.columns.data(), pixels, g.acc.data());
        CHECK(g.acc == expected);
        CHECK(cycles == 2 * kRows + kCols - 2 + pixels);
    }
}

TEMPLATE_TEST_CASE("array: a step of folds, each with its own weights and partial sums, in the closed-form cycles",
                   "[rtl][array]", TestArray<false>, TestArray<true>) {
    // Every fold of the step adds its own products to its own partial sums, so with double
    // buffering a weight swapped in a cycle early or late at any PE, or a pixel of one fold taken for
    // the next, shows in the results.
    auto array = TestType::make();
    std::mt19937_64 rng(9);
    const IntType w = IntType::signed_bits(8), x = IntType::signed_bits(8);
    const rtl::PeMode mode = rtl::pe_mode(w, x);
    for (const int64_t folds : {1, 2, 3, 7}) {
        for (const int64_t pixels : {1, 2, 3, 4, 5, 9}) {
            std::vector<Gemm> gemms;
            std::vector<std::vector<uint16_t>> weight_words, input_words;
            std::vector<std::vector<int32_t>> psum_in, psum_out;
            for (int64_t f = 0; f < folds; ++f) {
                gemms.push_back(random_gemm(rng, w, x, kCols, kRows, pixels));
                const Gemm& g = gemms.back();
                std::vector<uint16_t> ws(kRows * kCols), xs(static_cast<size_t>(pixels * kRows));
                std::vector<int32_t> ps(static_cast<size_t>(pixels * kCols));
                for (int c = 0; c < kCols; ++c) {
                    for (int r = 0; r < kRows; ++r) {
                        const int32_t lane = g.weights[static_cast<size_t>(c * kRows + r)];
                        ws[static_cast<size_t>(c * kRows + r)] = rtl::pack_pe_word(&lane, 1, mode.weight_lane_bits());
                    }
                }
                for (int64_t p = 0; p < pixels; ++p) {
                    for (int r = 0; r < kRows; ++r) {
                        const int32_t lane = g.columns[static_cast<size_t>(p * kRows + r)];
                        xs[static_cast<size_t>(p * kRows + r)] = rtl::pack_pe_word(&lane, 1, mode.activation_lane_bits());
                    }
                    for (int c = 0; c < kCols; ++c) ps[static_cast<size_t>(p * kCols + c)] = g.acc[static_cast<size_t>(c * pixels + p)];
                }
                weight_words.push_back(ws);
                input_words.push_back(xs);
                psum_in.push_back(ps);
                psum_out.emplace_back(ps.size(), 0);
            }
            std::vector<int64_t> order;
            const int64_t cycles = array.run_folds(
                mode, folds, pixels,
                [&](int64_t f) {
                    using Operands = typename decltype(array)::FoldOperands;
                    const auto i = static_cast<size_t>(f);
                    return Operands{weight_words[i].data(), input_words[i].data(), psum_in[i].data()};
                },
                [&](int64_t f, int64_t p, const int32_t* sums) {
                    order.push_back(f * pixels + p);
                    std::copy(sums, sums + kCols, psum_out[static_cast<size_t>(f)].data() + p * kCols);
                });
            INFO(folds << " folds of " << pixels << " pixels");
            for (int64_t f = 0; f < folds; ++f) {
                const std::vector<int32_t> expected = naive(gemms[static_cast<size_t>(f)]);  // [c][p]
                std::vector<int32_t> got(expected.size());
                for (int64_t p = 0; p < pixels; ++p) {
                    for (int c = 0; c < kCols; ++c) {
                        got[static_cast<size_t>(c * pixels + p)] = psum_out[static_cast<size_t>(f)][static_cast<size_t>(p * kCols + c)];
                    }
                }
                CHECK(got == expected);
            }
            std::vector<int64_t> in_order(static_cast<size_t>(folds * pixels));
            for (size_t i = 0; i < in_order.size(); ++i) in_order[i] = static_cast<int64_t>(i);
            CHECK(order == in_order);
            CHECK(cycles == step_cycles(array.double_buffered(), folds, pixels));
        }
    }
}

TEST_CASE("array: the PE refuses operands it cannot multiply", "[rtl][array]") {
    CHECK_THROWS_WITH(rtl::pe_mode(IntType::unsigned_bits(8), IntType::signed_bits(8)), Catch::Contains("signed weights"));
    CHECK_THROWS_WITH(rtl::pe_mode(IntType::signed_bits(8), IntType::signed_bits(16)), Catch::Contains("int16"));
    CHECK(rtl::pe_mode(IntType::signed_bits(3), IntType::unsigned_bits(6)).macs_per_pe() == 2);
    CHECK(rtl::pe_mode(IntType::signed_bits(4), IntType::signed_bits(2)).macs_per_pe() == 4);
}
