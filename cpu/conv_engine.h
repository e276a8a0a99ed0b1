#pragma once
// The integer conv/fully-connected engine of the cpu backend: exact int32 accumulators computed
// as a GEMM over an im2col matrix (3x3 stride-1 convs on int16 operands as Winograd F(2x2,3x3)'s
// 16 smaller GEMMs, cpu/winograd.h; convs whose groups read one input channel each by a direct
// loop), handed tile by tile to an epilogue that requantizes them.
//
// Exact by the argument of docs/semantics.md, section 6.1: every path sums in wrapping int32 (or
// wider), so each accumulator equals the exact one modulo 2^32; the caller runs the engine only
// when accumulator_bound() proves every exact accumulator fits int32, where that residue is the
// exact value itself.
#include <cstdint>
#include <functional>
#include <string>

#include "cpu/isa.h"
#include "cpu/prepared_weights.h"
#include "util/thread_pool.h"
#include "reference/ops/conv2d.h"
#include "reference/tensor.h"

namespace dyadic::cpu {

// A conv over `batch` images, or a fully connected layer as a 1x1 conv over one "image" whose
// pixels are the batch rows. Input element (n, c, pixel) is at
// input.data[n * in_image_stride + c * in_channel_stride + pixel * in_pixel_stride].
struct ConvGeometry {
    int64_t batch = 1, c_in = 1, in_h = 1, in_w = 1;
    int64_t c_out = 1, out_h = 1, out_w = 1, k_h = 1, k_w = 1;
    Conv2dParams params;
    int64_t in_image_stride = 0, in_channel_stride = 0, in_pixel_stride = 1;

    // NCHW conv: shapes as the reference checks them (conv2d_output_shape).
    static ConvGeometry conv(const Shape& input, const Shape& weight, const Conv2dParams& params);
    // [N, K] x [M, K]
    static ConvGeometry fully_connected(int64_t batch, int64_t depth, int64_t units);
};

// The accumulators of pixels p0 .. p0+count-1 of image `image`, output channels o0 .. o0+channels-1:
// acc[j * acc_stride + i] + offset[j] for pixel p0 + i and channel o0 + j, in wrapping int32, is the
// exact accumulator (bias included). offset may be null (0).
struct AccumulatorTile {
    int64_t image, o0, channels, p0, count;
    const int32_t* acc;
    int64_t acc_stride;
    const int32_t* offset;
};

// Called concurrently from worker threads, each time for a disjoint set of (image, channel, pixel).
// A run that is not refused covers every (image, channel, pixel) of the output: the callers write
// the epilogue's results into tensors allocated uninitialized (Tensor::uninitialized).
using Epilogue = std::function<void(const AccumulatorTile&)>;

// |every exact accumulator| <= K * max|w| * max|x| + max|bias|, evaluated without overflow;
// returns that bound, or -1 when it exceeds 2^62 (docs/semantics.md, section 6).
int64_t accumulator_bound(const ConvGeometry& geometry, int64_t max_abs_w, int64_t max_abs_bias, int64_t max_abs_x);

// Largest magnitude an element of `type` can have.
int64_t max_magnitude(const IntType& type);

// What conv_accumulate did: the path it ran (e.g. "avx512_vnni u8s8 gemm", "avx2 s16s16 winograd
// F(2x2,3x3)" or "avx2 direct"), or,
// when it called no epilogue, why not (`refused`): then the layer belongs to the reference.
struct Accumulation {
    std::string path;
    std::string refused;
};

// Runs the accumulation of a layer on `isa` and calls `epilogue` for every tile. The caller has
// checked the weight and the bias as the reference does, and the input's type and shape
// (valid_layout); the input's elements are checked here, in the pass that encodes them. Refused,
// before any epilogue, when an input element lies outside the input's type, or when
// accumulator_bound() proves neither with the type's largest magnitude nor with the input's
// actual largest one that every accumulator fits int32 (the reference then computes in int64
// and throws exactly when an accumulator leaves int32).
// With a cache, the weights' magnitudes and packed forms are those the cache keeps for this
// weight and bias (cpu/prepared_weights.h); without, they are made for this call.
Accumulation conv_accumulate(const ConvGeometry& geometry, const Tensor& input, const Tensor& weight,
                             const Tensor& bias, Isa isa, ThreadPool& pool, const Epilogue& epilogue,
                             WeightCache* cache = nullptr);

}  // namespace dyadic::cpu
