// The weight-stationary systolic array (rtl/hdl/dyadic_systolic_array.sv), verilated at 4 x 3 PEs,
// against a plain matrix product: single folds with given partial sums (which wrap in int32), whole
// GEMMs over several folds in every precision mode, and the cycles of every fold, 2R + C - 2 + T,
// as the SystemC model counts them (docs/accelerator.md, "Cycle model").
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "Vdyadic_rtl_test_array.h"
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

}  // namespace

TEST_CASE("array: GEMMs over several folds equal the plain product in every precision mode", "[rtl][array]") {
    rtl::ArrayDriver<Vdyadic_rtl_test_array> array(kRows, kCols);
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
                const int64_t pixels = std::uniform_int_distribution<int64_t>(1, 24)(rng);
                Gemm g = random_gemm(rng, w, x, channels, reduction, pixels);
                const std::vector<int32_t> expected = naive(g);
                const int64_t before = array.cycles();
                const int64_t cycles =
                    rtl::accumulate_gemm(array, mode, g.weights.data(), channels, reduction, g.columns.data(), pixels, g.acc.data());
                INFO(w.name() << " x " << x.name() << ": M " << channels << " K " << reduction << " T " << pixels);
                CHECK(g.acc == expected);
                const int64_t folds = ceil_div(channels, kCols) * ceil_div(reduction, fold_rows);
                CHECK(cycles == folds * (2 * kRows + kCols - 2 + pixels));
                CHECK(array.cycles() - before == cycles);
            }
        }
    }
}

TEST_CASE("array: one fold adds to the given partial sums, wrapping in int32", "[rtl][array]") {
    rtl::ArrayDriver<Vdyadic_rtl_test_array> array(kRows, kCols);
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

TEST_CASE("array: the PE refuses operands it cannot multiply", "[rtl][array]") {
    CHECK_THROWS_WITH(rtl::pe_mode(IntType::unsigned_bits(8), IntType::signed_bits(8)), Catch::Contains("signed weights"));
    CHECK_THROWS_WITH(rtl::pe_mode(IntType::signed_bits(8), IntType::signed_bits(16)), Catch::Contains("int16"));
    CHECK(rtl::pe_mode(IntType::signed_bits(3), IntType::unsigned_bits(6)).macs_per_pe() == 2);
    CHECK(rtl::pe_mode(IntType::signed_bits(4), IntType::signed_bits(2)).macs_per_pe() == 4);
}
