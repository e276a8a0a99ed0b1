#pragma once
// The fused output stage of the conv/FC kernels, per accumulator element: add the bias, rescale
// with the channel's dyadic multiplier in 64-bit integers (round half up, docs/semantics.md
// section 5), add a residual identity rescaled by its own multiplier (section 8), clamp (ReLU is
// a raised lower bound), and store in the output's packed format.
#include <cstdint>

#include "gpu/element_storage.h"
#include "gpu/host_device.h"

namespace dyadic::gpu {

// (v * b + 2^(c-1)) >> c with an arithmetic shift; c = 0 adds nothing. For v an int32,
// b < 2^31 and c <= 62 nothing overflows int64 (the proof in docs/semantics.md).
DYADIC_HD int64_t dyadic_scale(int64_t value, int32_t mantissa, int32_t shift) {
    const int64_t rounding = shift == 0 ? 0 : int64_t{1} << (shift - 1);
    return (value * mantissa + rounding) >> shift;
}

DYADIC_HD int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

struct Epilogue {
    const int32_t* bias = nullptr;      // [C_out] or null (no bias)
    const int32_t* mantissa = nullptr;  // [C_out]: one multiplier per channel (a shared one repeated)
    const int32_t* shift = nullptr;     // [C_out]
    int32_t lo = 0, hi = 0;             // clamp bounds, ReLU already folded into lo
    // Fused residual: out = clamp(dyadic_scale(acc, m[o]) + dyadic_scale(identity, m_id)).
    const uint32_t* identity = nullptr;  // NHWC, same indexing as the output; null without residual
    StorageFormat identity_format;
    int32_t identity_mantissa = 0, identity_shift = 0;
    uint32_t* output = nullptr;  // NHWC; zeroed first when output_format.bits == 4
    StorageFormat output_format;
};

// The output value of accumulator `sum` (the MMA's wrapping int32 sum, bias not yet added).
// Wrapping is exact here: the bias-included sum fits int32 for every input inside the
// semantics (section 6), so the wrapped int32 addition gives it.
DYADIC_HD int32_t epilogue_value(const Epilogue& e, int32_t sum, int64_t channel, int64_t out_index) {
    const uint32_t with_bias = static_cast<uint32_t>(sum) + static_cast<uint32_t>(e.bias ? e.bias[channel] : 0);
    int64_t v = dyadic_scale(static_cast<int32_t>(with_bias), e.mantissa[channel], e.shift[channel]);
    if (e.identity != nullptr) {
        v += dyadic_scale(load_element(e.identity, out_index, e.identity_format), e.identity_mantissa, e.identity_shift);
    }
    return static_cast<int32_t>(clamp64(v, e.lo, e.hi));
}

}  // namespace dyadic::gpu
