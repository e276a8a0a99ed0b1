#pragma once
// The arithmetic of one PE (docs/accelerator.md, "Precision scaling"), written out brick by brick:
// an operand of up to 16 bits is cut into 4-bit slices, the low slices unsigned and the top slice
// carrying the operand's sign; each 4x4 brick multiplies one weight slice by one activation slice
// and the shifted brick products add up to the exact product. This is the decomposition the RTL
// implements; the array model computes the same products directly (tests check they agree for
// every operand pair of the supported widths).
#include <array>
#include <cstdint>

#include "reference/int_type.h"
#include "sim/precision_mode.h"

namespace dyadic::sim {

struct OperandSlices {
    std::array<int32_t, 4> value{};  // slice i has weight 16^i
    int count = 0;
};

inline OperandSlices slice_operand(int32_t value, const IntType& type) {
    OperandSlices s;
    s.count = slices_of(type.bits);
    for (int i = 0; i < s.count; ++i) {
        const bool top = i == s.count - 1;
        // Low slices are plain 4-bit fields; the top slice is what remains, with the sign.
        s.value[static_cast<size_t>(i)] = top ? (value >> (kBrickBits * i)) : ((value >> (kBrickBits * i)) & 0xF);
    }
    return s;
}

// The exact product w * x as the PE's bricks compute it; `bricks` receives the number of 4x4
// brick multiplications used.
inline int64_t fused_product(int32_t w, const IntType& w_type, int32_t x, const IntType& x_type, int* bricks = nullptr) {
    const OperandSlices ws = slice_operand(w, w_type), xs = slice_operand(x, x_type);
    int64_t sum = 0;
    for (int i = 0; i < ws.count; ++i) {
        for (int j = 0; j < xs.count; ++j) {
            const int64_t brick = int64_t{ws.value[static_cast<size_t>(i)]} * xs.value[static_cast<size_t>(j)];
            sum += brick * (int64_t{1} << (kBrickBits * (i + j)));
        }
    }
    if (bricks != nullptr) *bricks = ws.count * xs.count;
    return sum;
}

}  // namespace dyadic::sim
