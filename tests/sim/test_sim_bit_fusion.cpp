// The PE's brick decomposition (sim/bit_fusion.h) gives the exact product for every operand pair
// of the supported widths, with the brick count the precision modes assume.
#include <catch2/catch.hpp>

#include <random>

#include "sim/bit_fusion.h"
#include "sim/precision_mode.h"

using namespace dyadic;
using namespace dyadic::sim;

namespace {

void check_all_pairs(const IntType& w_type, const IntType& x_type) {
    INFO(w_type.name() << " x " << x_type.name());
    const int expected_bricks = slices_of(w_type.bits) * slices_of(x_type.bits);
    int64_t mismatches = 0;
    for (int64_t w = w_type.min(); w <= w_type.max(); ++w) {
        for (int64_t x = x_type.min(); x <= x_type.max(); ++x) {
            int bricks = 0;
            const int64_t product = fused_product(static_cast<int32_t>(w), w_type, static_cast<int32_t>(x), x_type, &bricks);
            if (product != w * x || bricks != expected_bricks) ++mismatches;
        }
    }
    CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("bit fusion bricks reproduce every product of 2..8-bit operands", "[sim][bit_fusion]") {
    for (int wb : {2, 3, 4, 5, 8}) {
        for (int xb : {2, 4, 6, 8}) {
            check_all_pairs(IntType::signed_bits(wb), IntType::signed_bits(xb));
            check_all_pairs(IntType::signed_bits(wb), IntType::unsigned_bits(xb));
        }
    }
}

TEST_CASE("bit fusion bricks reproduce products with 16-bit activations", "[sim][bit_fusion]") {
    std::mt19937 rng(5);
    for (const IntType x_type : {IntType::signed_bits(16), IntType::unsigned_bits(16), IntType::signed_bits(12)}) {
        std::uniform_int_distribution<int64_t> xs(x_type.min(), x_type.max());
        for (const IntType w_type : {IntType::signed_bits(8), IntType::signed_bits(4)}) {
            for (int i = 0; i < 20000; ++i) {
                const int32_t w = static_cast<int32_t>(std::uniform_int_distribution<int64_t>(w_type.min(), w_type.max())(rng));
                const int32_t x = static_cast<int32_t>(i < 4 ? (i % 2 ? x_type.min() : x_type.max()) : xs(rng));
                REQUIRE(fused_product(w, w_type, x, x_type) == int64_t{w} * x);
            }
        }
    }
}

TEST_CASE("precision modes follow the brick count", "[sim][bit_fusion]") {
    // Four bricks per PE: 8x8 one MAC, 8x4 two, 4x4 four; 16-bit operands take extra passes.
    CHECK(precision_mode(8, 8).macs_per_pe == 1);
    CHECK(precision_mode(4, 8).macs_per_pe == 2);
    CHECK(precision_mode(8, 4).macs_per_pe == 2);
    CHECK(precision_mode(4, 4).macs_per_pe == 4);
    CHECK(precision_mode(2, 3).macs_per_pe == 4);
    CHECK(precision_mode(6, 5).macs_per_pe == 1);
    CHECK(precision_mode(8, 16).passes == 2);
    CHECK(precision_mode(4, 16).passes == 1);
    CHECK(precision_mode(4, 16).macs_per_pe == 1);
    CHECK(precision_mode(16, 16).passes == 4);
    for (int w = 1; w <= 16; ++w) {
        for (int x = 1; x <= 16; ++x) {
            const PrecisionMode m = precision_mode(w, x);
            // Bricks used per cycle never exceed the PE's four, and are all used when possible.
            CHECK(m.weight_slices * m.activation_slices == kBricksPerPe * m.passes / m.macs_per_pe);
        }
    }
}
