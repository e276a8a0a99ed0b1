#pragma once
// Building the 32-bit MMA operand registers from tensors in memory. A register holds
// elements_per_register consecutive k of one A row or one B column (mma_layout.h), so it is one
// load when those k are contiguous in memory, and an element-by-element gather where they are not
// (channel counts that do not fill a register, kernel-position and padding boundaries).
//
// 4-bit data feeding the 8-bit MMA (sm_90 and newer, or a 4-bit operand meeting an 8-bit one)
// stays packed in memory; each nibble is sign- or zero-extended to a byte in the register. This
// is exact: every 2..4-bit value is also an 8-bit value of the same signedness.
#include <cstdint>

#include "gpu/element_storage.h"
#include "gpu/host_device.h"
#include "gpu/implicit_gemm.h"
#include "gpu/mma_layout.h"

namespace dyadic::gpu {

// What a conv/FC kernel reads.
struct GemmOperands {
    ConvGeometry geometry;
    MmaShape shape = MmaShape::m16n8k32_8bit;
    bool a_is_signed = true;             // s8/s4 or u8/u4 operand A (B is always signed)
    const uint32_t* input = nullptr;     // NHWC activations in input_format
    StorageFormat input_format;
    // Every register-sized run of k is elements_per_register consecutive channels of one pixel,
    // starting at a register-aligned element: C_in/G and C_in are multiples of elements_per_register.
    bool input_runs_contiguous = false;
    const uint32_t* weights = nullptr;   // [G][weight_rows][weight_k] in weight_format, zero padded
    StorageFormat weight_format;
    int64_t weight_rows = 0;             // C_out/G rounded up to the block tile
    int64_t weight_k = 0;                // gemm_k rounded up to mma_k
};

// `count` (elements_per_register) elements starting at element `index`, widened or not to
// `operand_bits`-bit lanes; index * storage bits must be aligned to the run.
DYADIC_HD uint32_t load_register_run(const uint32_t* words, int64_t index, StorageFormat format, int operand_bits) {
    const int64_t bit = index * format.bits;
    if (format.bits == operand_bits) return words[bit >> 5];
    // 4 nibbles (16 bits) -> 4 bytes.
    const uint32_t nibbles = words[bit >> 5] >> (bit & 31);
    uint32_t lanes = 0;
    DYADIC_UNROLL
    for (int e = 0; e < 4; ++e) {
        const uint32_t byte = static_cast<uint32_t>(extend(nibbles >> (4 * e), 4, format.is_signed)) & 0xFFu;
        lanes |= byte << (8 * e);
    }
    return lanes;
}

// A register: the row with origin `row`, k .. k + elements_per_register - 1 of group `group`.
DYADIC_HD_CALL uint32_t a_register(const GemmOperands& p, int64_t group, RowOrigin row, int64_t k) {
    const int bits = operand_bits(p.shape);
    const int per_register = elements_per_register(p.shape);
    if (p.input_runs_contiguous) {
        // The whole run is inside the image or outside it (one pixel), inside K or past it.
        const int64_t index = input_index(p.geometry, group, row, k);
        return index < 0 ? 0u : load_register_run(p.input, index, p.input_format, bits);
    }
    const uint32_t mask = (1u << bits) - 1u;
    uint32_t lanes = 0;
    for (int e = 0; e < per_register; ++e) {
        const int64_t index = input_index(p.geometry, group, row, k + e);
        if (index >= 0) lanes |= (static_cast<uint32_t>(load_element(p.input, index, p.input_format)) & mask) << (bits * e);
    }
    return lanes;
}

// B register: output channel o (within the group), k .. k + elements_per_register - 1.
DYADIC_HD_CALL uint32_t b_register(const GemmOperands& p, int64_t group, int64_t o, int64_t k) {
    const int64_t index = (group * p.weight_rows + o) * p.weight_k + k;
    return load_register_run(p.weights, index, p.weight_format, operand_bits(p.shape));
}

}  // namespace dyadic::gpu
