#include "sim/precision_mode.h"

#include <string>

#include "util/error.h"

namespace dyadic::sim {

int slices_of(int bits) {
    require(bits >= 1 && bits <= 16,
            "the systolic array multiplies operands of 1..16 bits, got " + std::to_string(bits) + " bits");
    if (bits <= kBrickBits) return 1;
    if (bits <= 2 * kBrickBits) return 2;
    return 4;
}

PrecisionMode precision_mode(int weight_bits, int activation_bits) {
    PrecisionMode mode;
    mode.weight_slices = slices_of(weight_bits);
    mode.activation_slices = slices_of(activation_bits);
    const int bricks = mode.weight_slices * mode.activation_slices;
    if (bricks <= kBricksPerPe) {
        mode.macs_per_pe = kBricksPerPe / bricks;
        mode.passes = 1;
    } else {
        mode.macs_per_pe = 1;
        mode.passes = bricks / kBricksPerPe;
    }
    return mode;
}

}  // namespace dyadic::sim
