// The fragment layouts against the PTX ISA's own formulas ("Matrix Fragments for mma.m16n8k32",
// "... mma.m16n8k64"), written out here literally as the ISA states them, plus points read off its
// figures by hand and a check that every layout covers its matrix exactly once.
#include <catch2/catch.hpp>

#include <set>
#include <utility>

#include "gpu/mma_layout.h"

using namespace dyadic::gpu;

namespace {

// The ISA text, one formula per case (groupID = lane >> 2, threadID_in_group = lane % 4).
FragmentCoord isa_a_k32(int lane, int i) {
    const int g = lane >> 2, t = lane % 4;
    const int row = ((0 <= i && i < 4) || (8 <= i && i < 12)) ? g : g + 8;
    const int col = i < 8 ? t * 4 + (i & 0x3) : t * 4 + (i & 0x3) + 16;
    return {row, col};
}
FragmentCoord isa_b_k32(int lane, int i) {
    const int g = lane >> 2, t = lane % 4;
    return {i < 4 ? t * 4 + (i & 0x3) : t * 4 + (i & 0x3) + 16, g};
}
FragmentCoord isa_a_k64(int lane, int i) {
    const int g = lane >> 2, t = lane % 4;
    const int row = ((0 <= i && i < 8) || (16 <= i && i < 24)) ? g : g + 8;
    const int col = i < 16 ? t * 8 + (i & 0x7) : t * 8 + (i & 0x7) + 32;
    return {row, col};
}
FragmentCoord isa_b_k64(int lane, int i) {
    const int g = lane >> 2, t = lane % 4;
    return {i < 8 ? t * 8 + (i & 0x7) : t * 8 + (i & 0x7) + 32, g};
}
FragmentCoord isa_c(int lane, int i) {
    const int g = lane >> 2, t = lane % 4;
    return {i < 2 ? g : g + 8, t * 2 + (i & 0x1)};
}

bool same(FragmentCoord a, FragmentCoord b) { return a.row == b.row && a.col == b.col; }

}  // namespace

TEST_CASE("fragment layouts equal the PTX ISA formulas for every lane and element", "[gpu][layout]") {
    for (int lane = 0; lane < 32; ++lane) {
        for (int i = 0; i < 16; ++i) CHECK(same(a_element_coord(MmaShape::m16n8k32_8bit, lane, i), isa_a_k32(lane, i)));
        for (int i = 0; i < 8; ++i) CHECK(same(b_element_coord(MmaShape::m16n8k32_8bit, lane, i), isa_b_k32(lane, i)));
        for (int i = 0; i < 32; ++i) CHECK(same(a_element_coord(MmaShape::m16n8k64_4bit, lane, i), isa_a_k64(lane, i)));
        for (int i = 0; i < 16; ++i) CHECK(same(b_element_coord(MmaShape::m16n8k64_4bit, lane, i), isa_b_k64(lane, i)));
        for (int i = 0; i < 4; ++i) CHECK(same(c_element_coord(lane, i), isa_c(lane, i)));
    }
}

TEST_CASE("fragment layouts: points read off the ISA figures", "[gpu][layout]") {
    // m16n8k32 A, lane 5 (group 1, thread 1): a0 at (1, 4), a4 at (9, 4), a13 at (9, 21).
    CHECK(same(a_element_coord(MmaShape::m16n8k32_8bit, 5, 0), {1, 4}));
    CHECK(same(a_element_coord(MmaShape::m16n8k32_8bit, 5, 4), {9, 4}));
    CHECK(same(a_element_coord(MmaShape::m16n8k32_8bit, 5, 13), {9, 21}));
    // m16n8k32 B, lane 31 (group 7, thread 3): b7 at (31, 7).
    CHECK(same(b_element_coord(MmaShape::m16n8k32_8bit, 31, 7), {31, 7}));
    // m16n8k64 A, lane 2 (group 0, thread 2): a31 at (8, 55), a16 at (0, 48); lane 3: a31 at (8, 63).
    CHECK(same(a_element_coord(MmaShape::m16n8k64_4bit, 2, 31), {8, 55}));
    CHECK(same(a_element_coord(MmaShape::m16n8k64_4bit, 2, 16), {0, 48}));
    CHECK(same(a_element_coord(MmaShape::m16n8k64_4bit, 3, 31), {8, 63}));
    // m16n8k64 B, lane 9 (group 2, thread 1): b8 at (40, 2).
    CHECK(same(b_element_coord(MmaShape::m16n8k64_4bit, 9, 8), {40, 2}));
    // C: lane 30 (group 7, thread 2): c3 at (15, 5).
    CHECK(same(c_element_coord(30, 3), {15, 5}));
}

TEST_CASE("each fragment layout covers its matrix exactly once", "[gpu][layout]") {
    for (MmaShape shape : {MmaShape::m16n8k32_8bit, MmaShape::m16n8k64_4bit}) {
        const int per_register = elements_per_register(shape);
        std::set<std::pair<int, int>> a, b, c;
        for (int lane = 0; lane < 32; ++lane) {
            for (int i = 0; i < kARegisters * per_register; ++i) {
                const FragmentCoord at = a_element_coord(shape, lane, i);
                CHECK((at.row >= 0 && at.row < 16 && at.col >= 0 && at.col < mma_k(shape)));
                a.insert({at.row, at.col});
            }
            for (int i = 0; i < kBRegisters * per_register; ++i) {
                const FragmentCoord at = b_element_coord(shape, lane, i);
                b.insert({at.row, at.col});
            }
            for (int i = 0; i < kCElements; ++i) c.insert({c_element_coord(lane, i).row, c_element_coord(lane, i).col});
        }
        CHECK(a.size() == static_cast<size_t>(16 * mma_k(shape)));
        CHECK(b.size() == static_cast<size_t>(mma_k(shape) * 8));
        CHECK(c.size() == 128u);
    }
}

TEST_CASE("a register holds consecutive k of one row or column", "[gpu][layout]") {
    for (MmaShape shape : {MmaShape::m16n8k32_8bit, MmaShape::m16n8k64_4bit}) {
        const int per_register = elements_per_register(shape);
        for (int lane = 0; lane < 32; ++lane) {
            for (int r = 0; r < kARegisters; ++r) {
                const FragmentCoord origin = a_register_origin(shape, lane, r);
                CHECK(origin.col % per_register == 0);
                for (int e = 0; e < per_register; ++e) {
                    const FragmentCoord at = a_element_coord(shape, lane, r * per_register + e);
                    CHECK((at.row == origin.row && at.col == origin.col + e));
                }
            }
            for (int r = 0; r < kBRegisters; ++r) {
                const FragmentCoord origin = b_register_origin(shape, lane, r);
                for (int e = 0; e < per_register; ++e) {
                    const FragmentCoord at = b_element_coord(shape, lane, r * per_register + e);
                    CHECK((at.col == origin.col && at.row == origin.row + e));
                }
            }
        }
    }
}
