#pragma once
// The geometry of a conv or fully connected layer as the array sees it (docs/accelerator.md,
// "Lowering"): per group, a GEMM out[M_g x P] = W[M_g x K_g] * X[K_g x P] with K_g = C_in/groups *
// KH * KW (im2col order (c, ky, kx), as in OIHW weights) and P = N * OH * OW output pixels.
// A fully connected layer [N, K] x [M, K] is the 1 x K convolution of an [N, 1, 1, K] input with an
// [M, 1, 1, K] weight, whose output [N, M, 1, 1] is the FC output [N, M] with the same data.
#include <cstdint>

#include "reference/ops/conv2d.h"
#include "reference/tensor.h"

namespace dyadic::sim {

struct Range {
    int64_t begin = 0, end = 0;
    int64_t size() const { return end - begin; }
    bool empty() const { return end <= begin; }
};

struct ConvShape {
    int64_t batch = 1;
    int64_t in_channels = 1, in_h = 1, in_w = 1;
    int64_t out_channels = 1, out_h = 1, out_w = 1;
    int64_t kernel_h = 1, kernel_w = 1;
    Conv2dParams params;

    int64_t groups() const { return params.groups; }
    int64_t in_per_group() const { return in_channels / params.groups; }
    int64_t out_per_group() const { return out_channels / params.groups; }
    int64_t kernel_area() const { return kernel_h * kernel_w; }
    int64_t reduction() const { return in_per_group() * kernel_area(); }  // K_g
    int64_t output_rows() const { return batch * out_h; }                 // t tiles are ranges of these
    int64_t pixels() const { return output_rows() * out_w; }              // P
    int64_t macs() const { return out_channels * pixels() * reduction(); }
    // A reduction tile may cut a channel's kernel window only when each channel contributes a
    // single kernel row (then a tile is a column range of one input row, as in a fully connected layer).
    bool splits_within_rows() const { return in_per_group() == 1 && kernel_h == 1; }
};

// Validates with the reference's conv2d_output_shape (same errors as the reference).
ConvShape conv_shape(const Shape& input, const Shape& weight, const Conv2dParams& params);
// input [N, K], weight [M, K].
ConvShape fully_connected_shape(const Shape& input, const Shape& weight);

// Input rows of image-local output rows [oh_begin, oh_end) for kernel rows [ky_begin, ky_end),
// clipped to the image.
Range input_rows(const ConvShape& s, int64_t oh_begin, int64_t oh_end, int64_t ky_begin, int64_t ky_end);
// Input columns read by all output columns for kernel columns [kx_begin, kx_end), clipped.
Range input_columns(const ConvShape& s, int64_t kx_begin, int64_t kx_end);

// The part of the input a reduction range touches: channels (group-local, inclusive range
// [c_first, c_first + c_count)), kernel rows and columns.
struct ReductionFootprint {
    int64_t c_first = 0, c_count = 0;
    int64_t ky_begin = 0, ky_end = 0;
    int64_t kx_begin = 0, kx_end = 0;
    bool partial_columns = false;  // only a column range of each row is needed
};
ReductionFootprint reduction_footprint(const ConvShape& s, Range k);

// Images covered by global output rows [rows.begin, rows.end) and, per image, the local rows.
struct ImageRows {
    int64_t n;
    int64_t oh_begin, oh_end;
};
template <typename Visit>
void for_each_image_rows(const ConvShape& s, Range rows, Visit visit) {
    for (int64_t r = rows.begin; r < rows.end;) {
        const int64_t n = r / s.out_h;
        const int64_t oh = r % s.out_h;
        const int64_t take = std::min(s.out_h - oh, rows.end - r);
        visit(ImageRows{n, oh, oh + take});
        r += take;
    }
}

}  // namespace dyadic::sim
