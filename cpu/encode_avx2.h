#pragma once
// The AVX2 transposes behind the conv engine's input encoding: channel planes of int32 (NCHW)
// into pixel rows of int16 (the s16s16 GEMM operand) or of uint8 (the u8s8 operand), 8 channels
// x 8 pixels per step, taking the elements' range on the way (the operand check,
// docs/semantics.md, section 6.1).
#include <cstdint>

#include "cpu/operand_check.h"

namespace dyadic::cpu {

// For every pixel p < pixels and channel c < channels (a multiple of 8):
// out[p * channels + c] = int16(in[c * channel_stride + p]), which is the element itself when it
// lies in int16 (callers use the result only when the returned range says so). Needs AVX2.
ValueRange transpose_to_s16_avx2(const int32_t* in, int64_t channels, int64_t channel_stride, int64_t pixels,
                                 int16_t* out);

// The same into uint8: out[p * channels + c] = uint8(in[c * channel_stride + p] + 128) when
// `offset` (signed activations), uint8(in[...]) otherwise, which is the element's u8 encoding
// when it lies in int8 (offset) or uint8 (no offset); callers use the result only when the
// returned range says so. Needs AVX2.
ValueRange transpose_to_u8_avx2(const int32_t* in, int64_t channels, int64_t channel_stride, int64_t pixels,
                                bool offset, uint8_t* out);

}  // namespace dyadic::cpu
