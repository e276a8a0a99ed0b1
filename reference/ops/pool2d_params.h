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

// The in-image part [row_begin, row_end) x [col_begin, col_end) of the window of output (y, x) on
// an in_h x in_w image: padded positions are never read. pool2d_output_shape guarantees that every
// window of a valid geometry holds at least one in-image element.
struct PoolWindow {
    int64_t row_begin, row_end, col_begin, col_end;
    int64_t count() const { return (row_end - row_begin) * (col_end - col_begin); }
};
PoolWindow pool_window(const Pool2dParams& params, int64_t y, int64_t x, int64_t in_h, int64_t in_w);

}  // namespace dyadic
