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

// NHWC element index of A[m][k] of group `group`, or -1 where the element is padding (or m, k lie
// outside the matrix): the caller substitutes 0, the real value 0.
DYADIC_HD int64_t input_index(const ConvGeometry& g, int64_t group, int64_t m, int64_t k) {
    if (m < 0 || m >= g.gemm_m() || k < 0 || k >= g.gemm_k()) return -1;
    const int64_t c_per_group = g.in_c_per_group();
    const int64_t c = k % c_per_group;
    const int64_t kernel_pos = k / c_per_group;
    const int64_t kx = kernel_pos % g.kernel_w, ky = kernel_pos / g.kernel_w;
    const int64_t ox = m % g.out_w;
    const int64_t oy = (m / g.out_w) % g.out_h;
    const int64_t n = m / (g.out_w * g.out_h);
    const int64_t iy = oy * g.stride_h + ky * g.dilation_h - g.pad_top;
    const int64_t ix = ox * g.stride_w + kx * g.dilation_w - g.pad_left;
    if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) return -1;
    return ((n * g.in_h + iy) * g.in_w + ix) * g.in_c + group * c_per_group + c;
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
