#include "sim/conv_shape.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace dyadic::sim {

ConvShape conv_shape(const Shape& input, const Shape& weight, const Conv2dParams& params) {
    const Shape out = conv2d_output_shape(input, weight, params);
    ConvShape s;
    s.batch = input[0];
    s.in_channels = input[1];
    s.in_h = input[2];
    s.in_w = input[3];
    s.out_channels = out[1];
    s.out_h = out[2];
    s.out_w = out[3];
    s.kernel_h = weight[2];
    s.kernel_w = weight[3];
    s.params = params;
    return s;
}

ConvShape fully_connected_shape(const Shape& input, const Shape& weight) {
    require(input.size() == 2, "fully_connected: input must be 2-D [N, K], got " + to_string(input));
    require(weight.size() == 2, "fully_connected: weight must be 2-D [M, K], got " + to_string(weight));
    require(weight[1] == input[1], "fully_connected: weight " + to_string(weight) + " expects K = " +
                                       std::to_string(weight[1]) + ", input " + to_string(input) + " has K = " +
                                       std::to_string(input[1]));
    require(input[1] >= 1 && weight[0] >= 1, "fully_connected: empty layer " + to_string(weight));
    return conv_shape({input[0], 1, 1, input[1]}, {weight[0], 1, 1, weight[1]}, Conv2dParams{});
}

Range input_rows(const ConvShape& s, int64_t oh_begin, int64_t oh_end, int64_t ky_begin, int64_t ky_end) {
    const auto& p = s.params;
    const int64_t first = oh_begin * p.stride_h + ky_begin * p.dilation_h - p.pad_top;
    const int64_t last = (oh_end - 1) * p.stride_h + (ky_end - 1) * p.dilation_h - p.pad_top;
    Range r{std::max<int64_t>(first, 0), std::min<int64_t>(last + 1, s.in_h)};
    if (r.end < r.begin) r.end = r.begin;
    return r;
}

Range input_columns(const ConvShape& s, int64_t kx_begin, int64_t kx_end) {
    const auto& p = s.params;
    const int64_t first = kx_begin * p.dilation_w - p.pad_left;
    const int64_t last = (s.out_w - 1) * p.stride_w + (kx_end - 1) * p.dilation_w - p.pad_left;
    Range r{std::max<int64_t>(first, 0), std::min<int64_t>(last + 1, s.in_w)};
    if (r.end < r.begin) r.end = r.begin;
    return r;
}

ReductionFootprint reduction_footprint(const ConvShape& s, Range k) {
    const int64_t area = s.kernel_area();
    ReductionFootprint f;
    f.c_first = k.begin / area;
    f.c_count = (k.end - 1) / area - f.c_first + 1;
    f.ky_begin = 0;
    f.ky_end = s.kernel_h;
    f.kx_begin = 0;
    f.kx_end = s.kernel_w;
    if (s.splits_within_rows()) {
        // One channel, one kernel row: the range is a column range of the kernel.
        f.kx_begin = k.begin;
        f.kx_end = k.end;
        f.partial_columns = k.begin > 0 || k.end < s.kernel_w;
    }
    return f;
}

}  // namespace dyadic::sim
