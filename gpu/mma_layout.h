#pragma once
// Fragment layouts of the integer Tensor Core MMAs the kernels use, as the PTX ISA defines them
// ("Matrix Fragments for mma.m16n8k32" and "... mma.m16n8k64"): which lane of the warp holds
// which element of A (16 x K, row-major), B (K x 8, column-major) and C/D (16 x 8, int32).
//
//   m16n8k32, .s8/.u8:  A: 4 registers x 4 elements, B: 2 registers x 4 elements
//   m16n8k64, .s4/.u4:  A: 4 registers x 8 elements, B: 2 registers x 8 elements
//   C/D (both):         4 int32 elements
//
// Element i of a fragment sits in register i / elements_per_register at bit position
// (i % elements_per_register) * operand_bits ("low to high"). With groupID = lane >> 2 and
// threadID_in_group = lane % 4, the ISA's formulas are:
//
//   k32 A: row = groupID (+8 for i in [4,8) or [12,16)), col = tig*4 + (i & 3) (+16 for i >= 8)
//   k64 A: row = groupID (+8 for i in [8,16) or [24,32)), col = tig*8 + (i & 7) (+32 for i >= 16)
//   k32 B: row = tig*4 + (i & 3) (+16 for i >= 4),  col = groupID
//   k64 B: row = tig*8 + (i & 7) (+32 for i >= 8),  col = groupID
//   C/D:   row = groupID (+8 for i >= 2),            col = tig*2 + (i & 1)
//
// Both shapes have the same structure: every register holds `elements_per_register` consecutive
// k of one row (A) or column (B), which is why a register is one 32-bit load of k-contiguous data.
#include <cstdint>

#include "gpu/host_device.h"

namespace dyadic::gpu {

enum class MmaShape : uint8_t {
    m16n8k32_8bit,  // .s8/.u8 x .s8: every GPU from sm_80
    m16n8k64_4bit,  // .s4/.u4 x .s4: native on sm_80/86/89 only
};

inline constexpr int kMmaM = 16;
inline constexpr int kMmaN = 8;
inline constexpr int kARegisters = 4;
inline constexpr int kBRegisters = 2;
inline constexpr int kCElements = 4;

DYADIC_HD constexpr int operand_bits(MmaShape s) { return s == MmaShape::m16n8k32_8bit ? 8 : 4; }
DYADIC_HD constexpr int mma_k(MmaShape s) { return s == MmaShape::m16n8k32_8bit ? 32 : 64; }
DYADIC_HD constexpr int elements_per_register(MmaShape s) { return 32 / operand_bits(s); }

struct FragmentCoord {
    int row;
    int col;
};

DYADIC_HD FragmentCoord a_element_coord(MmaShape s, int lane, int i) {
    const int group = lane >> 2, tig = lane & 3;
    const int per_reg = elements_per_register(s);  // 4 or 8
    // Registers alternate rows groupID, groupID+8 and step by half the K extent every two.
    const int reg = i / per_reg;
    const int row = group + ((reg & 1) != 0 ? 8 : 0);
    const int col = tig * per_reg + (i % per_reg) + ((reg & 2) != 0 ? mma_k(s) / 2 : 0);
    return {row, col};
}

DYADIC_HD FragmentCoord b_element_coord(MmaShape s, int lane, int i) {
    const int group = lane >> 2, tig = lane & 3;
    const int per_reg = elements_per_register(s);
    const int reg = i / per_reg;
    return {tig * per_reg + (i % per_reg) + reg * (mma_k(s) / 2), group};
}

DYADIC_HD FragmentCoord c_element_coord(int lane, int i) {
    const int group = lane >> 2, tig = lane & 3;
    return {group + (i >= 2 ? 8 : 0), tig * 2 + (i & 1)};
}

// The row and first k of A register `reg` of `lane`: it holds k .. k + elements_per_register - 1.
DYADIC_HD FragmentCoord a_register_origin(MmaShape s, int lane, int reg) {
    return a_element_coord(s, lane, reg * elements_per_register(s));
}

// The first k and the column of B register `reg` of `lane`.
DYADIC_HD FragmentCoord b_register_origin(MmaShape s, int lane, int reg) {
    return b_element_coord(s, lane, reg * elements_per_register(s));
}

}  // namespace dyadic::gpu
