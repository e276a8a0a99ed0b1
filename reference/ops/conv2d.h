#pragma once
// 2-D convolution, NCHW input, OIHW weights (docs/semantics.md, "conv2d").
#include <cstdint>

#include "reference/requantize.h"
#include "reference/tensor.h"

namespace dyadic {

struct Conv2dParams {
    int stride_h = 1, stride_w = 1;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;  // zero padding (the real value 0)
    int dilation_h = 1, dilation_w = 1;
    int groups = 1;  // groups == C_in == C_out is depthwise
};

// Output shape for input [N, C_in, H, W] and weight [C_out, C_in/groups, KH, KW];
// throws Error naming the problem for every impossible combination.
Shape conv2d_output_shape(const Shape& input, const Shape& weight, const Conv2dParams& params);

// acc[n, o, y, x] = bias[o] + sum over (i, ky, kx) of input * weight, exactly (int64), then
// asserted to fit int32 (throws Error naming the element otherwise). `bias` is an int32 tensor of
// shape [C_out] or empty (shape {}) for no bias. Returns an int32 tensor.
Tensor conv2d_accumulate(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params);

// conv2d_accumulate followed by the per-output-channel requantization of `stage`.
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
              const OutputStage& stage);

}  // namespace dyadic
