// The host emulation of mma.sync against a plain matrix product: random A, B, C spread over the
// lanes' registers, the emulated D gathered back and compared with sum_k A[r][k] * B[k][c] + C.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "gpu/mma_emulation.h"

using namespace dyadic::gpu;

namespace {

struct Case {
    MmaShape shape;
    bool a_signed;
};

void check_against_plain_product(Case cs, std::mt19937& rng, bool extremes) {
    const int bits = operand_bits(cs.shape), k = mma_k(cs.shape), per_register = elements_per_register(cs.shape);
    const int64_t a_lo = cs.a_signed ? -(int64_t{1} << (bits - 1)) : 0;
    const int64_t a_hi = cs.a_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
    const int64_t b_lo = -(int64_t{1} << (bits - 1)), b_hi = (int64_t{1} << (bits - 1)) - 1;
    std::uniform_int_distribution<int64_t> a_dist(a_lo, a_hi), b_dist(b_lo, b_hi);
    std::uniform_int_distribution<int32_t> c_dist(INT32_MIN, INT32_MAX);
    int64_t a[16][64], b[64][8], c[16][8];
    for (int r = 0; r < 16; ++r) {
        for (int kk = 0; kk < k; ++kk) a[r][kk] = extremes ? (cs.a_signed ? a_lo : a_hi) : a_dist(rng);
    }
    for (int kk = 0; kk < k; ++kk) {
        for (int col = 0; col < 8; ++col) b[kk][col] = extremes ? b_lo : b_dist(rng);
    }
    for (auto& row : c) {
        for (auto& v : row) v = extremes ? INT32_MAX : c_dist(rng);
    }

    WarpMmaOperands operands{};
    int32_t acc[kWarpLanes][kCElements];
    const uint32_t mask = (1u << bits) - 1u;
    for (int lane = 0; lane < kWarpLanes; ++lane) {
        for (int i = 0; i < kARegisters * per_register; ++i) {
            const FragmentCoord at = a_element_coord(cs.shape, lane, i);
            operands.a[lane][i / per_register] |= (static_cast<uint32_t>(a[at.row][at.col]) & mask)
                                                  << (bits * (i % per_register));
        }
        for (int i = 0; i < kBRegisters * per_register; ++i) {
            const FragmentCoord at = b_element_coord(cs.shape, lane, i);
            operands.b[lane][i / per_register] |= (static_cast<uint32_t>(b[at.row][at.col]) & mask)
                                                  << (bits * (i % per_register));
        }
        for (int i = 0; i < kCElements; ++i) {
            acc[lane][i] = static_cast<int32_t>(c[c_element_coord(lane, i).row][c_element_coord(lane, i).col]);
        }
    }
    emulate_mma_sync(cs.shape, cs.a_signed, operands, acc);
    for (int lane = 0; lane < kWarpLanes; ++lane) {
        for (int i = 0; i < kCElements; ++i) {
            const FragmentCoord at = c_element_coord(lane, i);
            int64_t expected = c[at.row][at.col];
            for (int kk = 0; kk < k; ++kk) expected += a[at.row][kk] * b[kk][at.col];
            // The hardware keeps the low 32 bits (two's complement).
            const auto wrapped = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(expected)));
            REQUIRE(acc[lane][i] == wrapped);
        }
    }
}

}  // namespace

TEST_CASE("emulated mma.sync equals a plain matrix product", "[gpu][emulation]") {
    std::mt19937 rng(12);
    for (Case cs : {Case{MmaShape::m16n8k32_8bit, true}, Case{MmaShape::m16n8k32_8bit, false},
                    Case{MmaShape::m16n8k64_4bit, true}, Case{MmaShape::m16n8k64_4bit, false}}) {
        INFO("shape k" << mma_k(cs.shape) << (cs.a_signed ? " signed A" : " unsigned A"));
        for (int trial = 0; trial < 20; ++trial) check_against_plain_product(cs, rng, false);
        // Extreme operands with C = INT32_MAX: the int32 accumulator wraps.
        check_against_plain_product(cs, rng, true);
    }
}
