#pragma once
// Window geometry shared by max and average pooling.
#include "reference/tensor.h"

namespace dyadic {

struct Pool2dParams {
    int kernel_h = 2, kernel_w = 2;
    int stride_h = 2, stride_w = 2;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

// [N, C, H, W] -> [N, C, OH, OW] with OH = (H + pads - kernel_h) / stride_h + 1 (floor);
// throws Error for impossible geometry (kernel larger than padded input, pad >= kernel, ...).
Shape pool2d_output_shape(const Shape& input, const Pool2dParams& params, const char* op_name);

}  // namespace dyadic
