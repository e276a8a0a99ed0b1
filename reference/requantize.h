#pragma once
// Requantization: int32 accumulator -> b-bit output through a dyadic multiplier
// (docs/semantics.md, "Requantization"). Every rescale in the project goes through here.
#include <cstdint>
#include <vector>

#include "reference/dyadic.h"
#include "reference/int_type.h"

namespace dyadic {

// (value * b + 2^(c-1)) >> c in int64 with an arithmetic shift: round half toward +infinity.
// For c = 0 the rounding term is 0. `value` must fit int32 (asserted: throws Error otherwise),
// which keeps the int64 product and sum below 2^63.
int64_t dyadic_scale(int64_t value, const Dyadic& multiplier);

// Lower/upper clamp bounds of an output type; ReLU raises the lower bound to 0.
struct ClampRange {
    int64_t lo;
    int64_t hi;
};
ClampRange clamp_range(const IntType& output_type, bool relu);

// clamp(dyadic_scale(acc, multiplier), lo, hi)
int32_t requantize(int64_t acc, const Dyadic& multiplier, const ClampRange& range);

// The fused output stage shared by conv2d and fully_connected: one multiplier per output
// channel (or a single one for all channels), the output type, and whether ReLU is fused.
struct OutputStage {
    std::vector<Dyadic> multipliers;  // size 1 or number of output channels
    IntType output_type = IntType::signed_bits(8);
    bool relu = false;

    const Dyadic& multiplier_for(int64_t channel) const {
        return multipliers.size() == 1 ? multipliers[0] : multipliers[static_cast<size_t>(channel)];
    }
};

// Throws Error unless stage has 1 or `channels` multipliers and a valid output type.
void validate(const OutputStage& stage, int64_t channels, const char* op_name);

}  // namespace dyadic
