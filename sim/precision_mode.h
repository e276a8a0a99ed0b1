#pragma once
// Precision scaling of a processing element (docs/accelerator.md, "Precision scaling").
// A PE holds four 4x4-bit multiplier bricks, Bit Fusion style: an 8x8 product takes all four
// (one MAC per cycle), an 8x4 or 4x8 product two (two MACs per cycle), a 4x4 product one (four
// MACs per cycle). The extra MACs of a PE belong to consecutive reduction elements, so a 4-bit
// layer behaves like an array with rows * macs_per_pe rows and the same fill/drain geometry.
// Operands wider than 8 bits (16-bit residual streams) need more bricks than a PE has and are
// computed in `passes` passes over every fold.
#include <cstdint>

#include "reference/int_type.h"

namespace dyadic::sim {

inline constexpr int kBricksPerPe = 4;
inline constexpr int kBrickBits = 4;

struct PrecisionMode {
    int weight_slices = 2;      // 4-bit slices of a weight (1, 2 or 4)
    int activation_slices = 2;  // 4-bit slices of an activation
    int macs_per_pe = 1;        // MACs per PE per cycle
    int passes = 1;             // passes over every fold (operands wider than 8 bits)

    int reduction_rows(int array_rows) const { return array_rows * macs_per_pe; }
};

// 1 for <= 4 bits, 2 for <= 8, 4 for <= 16 (throws Error beyond).
int slices_of(int bits);

PrecisionMode precision_mode(int weight_bits, int activation_bits);
inline PrecisionMode precision_mode(const IntType& weight, const IntType& activation) {
    return precision_mode(weight.bits, activation.bits);
}

}  // namespace dyadic::sim
