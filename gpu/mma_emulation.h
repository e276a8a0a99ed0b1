#pragma once
// A host model of one warp-wide integer mma.sync (row.col, s32 accumulators), built only from the
// fragment layouts of mma_layout.h: it decodes every lane's A and B registers into the 16 x K and
// K x 8 matrices, multiplies, and hands each lane its C/D elements. Accumulation wraps modulo
// 2^32 like the hardware (no .satfinite).
#include <cstdint>

#include "gpu/mma_layout.h"

namespace dyadic::gpu {

inline constexpr int kWarpLanes = 32;

struct WarpMmaOperands {
    uint32_t a[kWarpLanes][kARegisters];
    uint32_t b[kWarpLanes][kBRegisters];
};

// d = c + A * B for the whole warp; `c` is updated in place (c[lane][i] is element i of lane).
void emulate_mma_sync(MmaShape shape, bool a_is_signed, const WarpMmaOperands& operands,
                      int32_t c[kWarpLanes][kCElements]);

}  // namespace dyadic::gpu
