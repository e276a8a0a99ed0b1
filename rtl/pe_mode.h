#pragma once
// How the RTL's PEs take a layer's operands (hdl/dyadic_pe.sv): the precision-mode inputs and the
// packing of consecutive reduction elements into one PE word of 4-bit or 8-bit lanes.
#include <cstdint>

#include "reference/int_type.h"

namespace dyadic::rtl {

inline constexpr int kPeWordBits = 16;  // PE_BRICKS x PE_BRICK_BITS

struct PeMode {
    bool weights_wide = true;      // 5..8-bit weights: 8-bit lanes (else 4-bit lanes)
    bool activations_wide = true;  // 5..8-bit activations
    bool activations_signed = true;

    // Reduction elements one PE multiplies per cycle: 4 (4x4), 2 (4x8, 8x4) or 1 (8x8).
    int macs_per_pe() const { return (weights_wide ? 1 : 2) * (activations_wide ? 1 : 2); }
    int weight_lane_bits() const { return weights_wide ? 8 : 4; }
    int activation_lane_bits() const { return activations_wide ? 8 : 4; }
};

// Throws Error unless the PE can multiply these types: signed weights and signed or unsigned
// activations of 2..8 bits (wider operands would need several passes, which the RTL does not run).
PeMode pe_mode(const IntType& weight, const IntType& activation);

// Why the PE cannot take these types, or "" when it can.
const char* pe_mode_refusal(const IntType& weight, const IntType& activation);

// Packs values[0..count) (count <= kPeWordBits / lane_bits) into one PE word, value i in lane i as
// its low lane_bits bits; missing lanes are zero.
uint16_t pack_pe_word(const int32_t* values, int count, int lane_bits);

}  // namespace dyadic::rtl
