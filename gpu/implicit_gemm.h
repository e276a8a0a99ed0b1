#pragma once
// Convolution as a matrix product without materialising im2col ("implicit GEMM"), NHWC.
//
// Per group g the conv is D[m][o] = sum_k A[m][k] * B[k][o] with
//   m = (n, oy, ox)        row of the output pixel, m in [0, N*OH*OW)
//   k = (ky, kx, c)        c fastest, c in [0, C_in/G): channels of a pixel are contiguous in NHWC
//   o                      output channel within the group, o in [0, C_out/G)
//   A[m][k] = X[n, oy*sh + ky*dh - pt, ox*sw + kx*dw - pl, g*C_in/G + c], 0 outside the image
//   B[k][o] = W[g*C_out/G + o, c, ky, kx]
// and D is stored NHWC: element (m, g*C_out/G + o) is at m*C_out + g*C_out/G + o.
// A fully connected layer [N, K] x [M, K]^T is the 1x1 conv of an N x 1 x 1 x K image.
#include <cstdint>

#include "gpu/host_device.h"

namespace dyadic::gpu {

struct ConvGeometry {
    int64_t batch = 1;
    int64_t in_h = 1, in_w = 1, in_c = 1;
    int64_t out_h = 1, out_w = 1, out_c = 1;
    int64_t kernel_h = 1, kernel_w = 1;
    int64_t stride_h = 1, stride_w = 1;
    int64_t pad_top = 0, pad_left = 0;  // bottom/right padding only shapes out_h/out_w
    int64_t dilation_h = 1, dilation_w = 1;
    int64_t groups = 1;

    DYADIC_HD int64_t in_c_per_group() const { return in_c / groups; }
    DYADIC_HD int64_t out_c_per_group() const { return out_c / groups; }
    DYADIC_HD int64_t gemm_m() const { return batch * out_h * out_w; }
    DYADIC_HD int64_t gemm_k() const { return kernel_h * kernel_w * in_c_per_group(); }
};

// Where the window of GEMM row m starts: image row n * in_h and the input coordinates of the
// window's top-left tap (negative inside the padding). Computed once per row and reused for every
// k, so that the k loop does no division by the output geometry. `image_row` is -1 for m outside
// the matrix. 32-bit fields: the plan refuses geometries whose coordinates do not fit.
struct RowOrigin {
    int32_t image_row;  // n * in_h, or -1
    int32_t iy0;        // oy * stride_h - pad_top
    int32_t ix0;        // ox * stride_w - pad_left
};

DYADIC_HD RowOrigin row_origin(const ConvGeometry& g, int64_t m) {
    if (m < 0 || m >= g.gemm_m()) return {-1, 0, 0};
    const int64_t ox = m % g.out_w;
    const int64_t oy = (m / g.out_w) % g.out_h;
    const int64_t n = m / (g.out_w * g.out_h);
    return {static_cast<int32_t>(n * g.in_h), static_cast<int32_t>(oy * g.stride_h - g.pad_top),
            static_cast<int32_t>(ox * g.stride_w - g.pad_left)};
}

// NHWC element index of A[m][k] of group `group` for the row's origin, or -1 where the element is
// padding (or m, k lie outside the matrix): the caller substitutes 0, the real value 0.
DYADIC_HD int64_t input_index(const ConvGeometry& g, int64_t group, RowOrigin row, int64_t k) {
    if (row.image_row < 0 || k < 0 || k >= g.gemm_k()) return -1;
    // k < 2^31 (checked by the plan): 32-bit divisions, several times cheaper on the GPU.
    const auto k32 = static_cast<int32_t>(k);
    const auto c_per_group = static_cast<int32_t>(g.in_c_per_group());
    const int32_t c = k32 % c_per_group;
    const int32_t kernel_pos = k32 / c_per_group;
    const auto kernel_w = static_cast<int32_t>(g.kernel_w);
    const int32_t kx = kernel_pos % kernel_w, ky = kernel_pos / kernel_w;
    const int64_t iy = row.iy0 + int64_t{ky} * g.dilation_h;
    const int64_t ix = row.ix0 + int64_t{kx} * g.dilation_w;
    if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) return -1;
    return ((row.image_row + iy) * g.in_w + ix) * g.in_c + group * c_per_group + c;
}

DYADIC_HD int64_t input_index(const ConvGeometry& g, int64_t group, int64_t m, int64_t k) {
    return input_index(g, group, row_origin(g, m), k);
}

// NHWC element index of output (m, channel) where channel is the absolute output channel.
DYADIC_HD int64_t output_index(const ConvGeometry& g, int64_t m, int64_t channel) { return m * g.out_c + channel; }

// OIHW flat index of B[k][o] of group `group` (the layout of reference weights).
DYADIC_HD int64_t weight_oihw_index(const ConvGeometry& g, int64_t group, int64_t k, int64_t o) {
    const int64_t c_per_group = g.in_c_per_group();
    const int64_t c = k % c_per_group;
    const int64_t kernel_pos = k / c_per_group;
    const int64_t kx = kernel_pos % g.kernel_w, ky = kernel_pos / g.kernel_w;
    const int64_t out_channel = group * g.out_c_per_group() + o;
    return ((out_channel * c_per_group + c) * g.kernel_h + ky) * g.kernel_w + kx;
}

}  // namespace dyadic::gpu
