#include "reference/ops/pool2d_params.h"

#include <algorithm>

#include <string>

#include "util/checked.h"
#include "util/error.h"

namespace dyadic {

Shape pool2d_output_shape(const Shape& input, const Pool2dParams& p, const char* op_name) {
    const std::string op(op_name);
    require(input.size() == 4, op + ": input must be 4-D NCHW, got " + to_string(input));
    require(input[0] >= 0 && input[1] >= 0, op + ": negative dimension in input " + to_string(input));
    require(input[2] >= 1 && input[3] >= 1, op + ": input " + to_string(input) + " has an empty spatial extent");
    require(p.kernel_h >= 1 && p.kernel_w >= 1, op + ": kernel must be at least 1x1, got " +
                                                    std::to_string(p.kernel_h) + "x" + std::to_string(p.kernel_w));
    require(p.stride_h >= 1 && p.stride_w >= 1, op + ": strides must be >= 1");
    require(p.pad_top >= 0 && p.pad_left >= 0 && p.pad_bottom >= 0 && p.pad_right >= 0,
            op + ": paddings must be >= 0");
    // A pad as large as the kernel would allow a window made of padding only, which has no
    // maximum and no average.
    require(p.pad_top < p.kernel_h && p.pad_bottom < p.kernel_h && p.pad_left < p.kernel_w &&
                p.pad_right < p.kernel_w,
            op + ": every padding must be smaller than the kernel (" + std::to_string(p.kernel_h) + "x" +
                std::to_string(p.kernel_w) + ")");
    // The input's dimensions come from files: a padded extent past int64 is refused, not wrapped.
    const int64_t padded_h = checked_add(input[2], int64_t{p.pad_top} + p.pad_bottom, op + ": padded input height");
    const int64_t padded_w = checked_add(input[3], int64_t{p.pad_left} + p.pad_right, op + ": padded input width");
    require(p.kernel_h <= padded_h && p.kernel_w <= padded_w,
            op + ": kernel " + std::to_string(p.kernel_h) + "x" + std::to_string(p.kernel_w) +
                " does not fit the padded input " + to_string(input));
    return {input[0], input[1], (padded_h - p.kernel_h) / p.stride_h + 1, (padded_w - p.kernel_w) / p.stride_w + 1};
}

PoolWindow pool_window(const Pool2dParams& p, int64_t y, int64_t x, int64_t in_h, int64_t in_w) {
    const int64_t top = y * p.stride_h - p.pad_top;
    const int64_t left = x * p.stride_w - p.pad_left;
    return PoolWindow{std::max<int64_t>(top, 0), std::min<int64_t>(top + p.kernel_h, in_h),
                      std::max<int64_t>(left, 0), std::min<int64_t>(left + p.kernel_w, in_w)};
}

}  // namespace dyadic
