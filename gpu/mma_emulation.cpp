#include "gpu/mma_emulation.h"

#include "gpu/element_storage.h"

namespace dyadic::gpu {

void emulate_mma_sync(MmaShape shape, bool a_is_signed, const WarpMmaOperands& operands,
                      int32_t c[kWarpLanes][kCElements]) {
    const int bits = operand_bits(shape), per_register = elements_per_register(shape), k = mma_k(shape);
    int64_t a[kMmaM][64] = {};
    int64_t b[64][kMmaN] = {};
    for (int lane = 0; lane < kWarpLanes; ++lane) {
        for (int i = 0; i < kARegisters * per_register; ++i) {
            const FragmentCoord at = a_element_coord(shape, lane, i);
            const uint32_t reg = operands.a[lane][i / per_register];
            a[at.row][at.col] = extend(reg >> (bits * (i % per_register)), bits, a_is_signed);
        }
        for (int i = 0; i < kBRegisters * per_register; ++i) {
            const FragmentCoord at = b_element_coord(shape, lane, i);
            const uint32_t reg = operands.b[lane][i / per_register];
            b[at.row][at.col] = extend(reg >> (bits * (i % per_register)), bits, true);
        }
    }
    for (int lane = 0; lane < kWarpLanes; ++lane) {
        for (int i = 0; i < kCElements; ++i) {
            const FragmentCoord at = c_element_coord(lane, i);
            int64_t sum = 0;
            for (int kk = 0; kk < k; ++kk) sum += a[at.row][kk] * b[kk][at.col];
            // Two's-complement wrap of the int32 accumulation.
            c[lane][i] = static_cast<int32_t>(static_cast<uint32_t>(c[lane][i]) + static_cast<uint32_t>(sum));
        }
    }
}

}  // namespace dyadic::gpu
