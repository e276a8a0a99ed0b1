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

// The dense GEMM rows of a conv with one input channel, a 3x3 kernel and horizontal stride 1 on
// int16 operands (a stem on a grey image), 8 rows per step: output pixels p0 .. end - 1 (of an
// output out_w wide), row of pixel p at out[(p - p0) * 10]: its 9 taps in (ky, kx) order, then 0.
// Input element (iy, ix) of tap (ky, kx) of output pixel (y, x), with iy = y * stride_h + ky *
// dilation_h - pad_top and ix = x + kx * dilation_w - pad_left, is read from `padded`, a copy of
// the input rows that pixels p0 .. end - 1 read with zeros outside the image: row iy - first_row
// (first_row = (p0 / out_w) * stride_h - pad_top), column ix + pad_left, rows `width` >= out_w +
// 2 * dilation_w + 8 apart. Elements are narrowed like transpose_to_s16_avx2's (the identity on
// int16). Needs AVX2.
constexpr int64_t kStemRowElements = 10;  // int16 per stem row: 9 taps and a zero
struct StemRows {
    int64_t out_w, stride_h, dilation_h, dilation_w, width;
};
void stem_rows_s16_avx2(const int32_t* padded, const StemRows& shape, int64_t p0, int64_t end, int16_t* out);

}  // namespace dyadic::cpu
