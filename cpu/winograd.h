#pragma once
// Winograd F(2x2, 3x3) on the conv engine's s16s16 path: a 3x3 stride-1 conv as 16 GEMMs, one per
// position of a 4x4 transformed input tile, each (tiles x c_in) x (c_in x c_out). A 2x2 block of
// outputs then takes 16 multiplies per (input, output) channel pair instead of 36: 2.25x fewer
// where the output is a whole number of 2x2 tiles (14x14), 1.72x on a 7x7 one.
//
// Exact, unlike float Winograd: every transform has integer coefficients (the weights' is
// doubled on each side to clear its halves, so the result is 4 times the accumulator), every
// operation is an addition, subtraction or multiplication in wrapping int32, so the result is
// 4 * (exact accumulator) modulo 2^32, and the bounds checked here put 4 * accumulator inside
// int32, where that residue is the value itself; an exact shift by 2 then gives the accumulator
// (docs/semantics.md, section 6.2, with the identity it rests on).
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/conv_engine.h"
#include "cpu/gemm_operands.h"

namespace dyadic::cpu {

// Whether the layer's shape suits winograd_conv: one group, 3x3 kernel, stride 1, dilation 1,
// on the s16s16 operand, implicit layout, at least 8 input channels (below that the transforms
// cost more than the multiplies they save).
bool winograd_geometry(const GemmLayout& layout, const ConvGeometry& geometry);

// The weights transformed (U' = G' g G'^T) and packed for the 16 position GEMMs, made from the
// weight alone (cpu/prepared_weights.h keeps them per layer); fit_int16 is false when some U'
// leaves int16, and the layer then cannot run by Winograd.
struct WinogradWeights {
    bool fit_int16 = false;
    std::vector<std::vector<uint32_t>> positions;  // one packed GEMM weight per position
};
WinogradWeights winograd_weights(const GemmLayout& layout, const ConvGeometry& geometry, const Tensor& weight);

// The layer's accumulators by F(2x2, 3x3), handed to `epilogue` one whole image at a time.
// Preconditions: winograd_geometry(); the batch encoded with `layout` into `images`
// (`image_words` words per image); every input element inside the input's type, with `range` its
// actual range, and every exact accumulator inside int32 (the conv engine's refusal() passed);
// `weights` made by winograd_weights for this layout, geometry and the layer's weight.
// Returns false, having called no epilogue, when the transformed operands may leave int16 or
// 4 * accumulator may leave int32 (the caller then runs the direct GEMM).
bool winograd_conv(const GemmLayout& layout, const ConvGeometry& geometry, const uint32_t* images, int64_t image_words,
                   const IntType& x_type, const ValueRange& range, const Tensor& bias, const WinogradWeights& weights,
                   int64_t max_abs_w, ThreadPool& pool, const Epilogue& epilogue);

}  // namespace dyadic::cpu
