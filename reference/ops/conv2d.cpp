#include "reference/ops/conv2d.h"

#include <algorithm>
#include <string>
#include <vector>

#include "util/checked.h"
#include "util/error.h"
#include "reference/ops/op_checks.h"
#include "reference/ops/output_stage.h"

namespace dyadic {

Shape conv2d_output_shape(const Shape& input, const Shape& weight, const Conv2dParams& p) {
    require(input.size() == 4, "conv2d: input must be 4-D NCHW, got " + to_string(input));
    require(weight.size() == 4, "conv2d: weight must be 4-D OIHW, got " + to_string(weight));
    require(p.groups >= 1, "conv2d: groups must be >= 1");
    require(p.stride_h >= 1 && p.stride_w >= 1, "conv2d: strides must be >= 1");
    require(p.dilation_h >= 1 && p.dilation_w >= 1, "conv2d: dilations must be >= 1");
    require(p.pad_top >= 0 && p.pad_left >= 0 && p.pad_bottom >= 0 && p.pad_right >= 0,
            "conv2d: paddings must be >= 0");
    const int64_t c_in = input[1], c_out = weight[0];
    require(c_in % p.groups == 0 && c_out % p.groups == 0,
            "conv2d: groups " + std::to_string(p.groups) + " must divide C_in " + std::to_string(c_in) +
                " and C_out " + std::to_string(c_out));
    require(weight[1] == c_in / p.groups, "conv2d: weight " + to_string(weight) + " expects " +
                                              std::to_string(weight[1]) + " input channels per group, input " +
                                              to_string(input) + " has " + std::to_string(c_in) + " in " +
                                              std::to_string(p.groups) + " group(s)");
    require(weight[2] >= 1 && weight[3] >= 1, "conv2d: kernel " + to_string(weight) + " has an empty spatial extent");
    // Dimensions come from files; a kernel span or a padded extent that does not fit int64 cannot
    // fit any input either, so the overflow is refused like any kernel that does not fit.
    constexpr const char* what = "conv2d: kernel span or padded input";
    const int64_t span_h = checked_add(checked_mul(weight[2] - 1, p.dilation_h, what), 1, what);
    const int64_t span_w = checked_add(checked_mul(weight[3] - 1, p.dilation_w, what), 1, what);
    const int64_t padded_h = checked_add(input[2], int64_t{p.pad_top} + p.pad_bottom, what);
    const int64_t padded_w = checked_add(input[3], int64_t{p.pad_left} + p.pad_right, what);
    require(span_h <= padded_h && span_w <= padded_w,
            "conv2d: kernel " + to_string(weight) + " does not fit the padded input " + to_string(input));
    return {input[0], c_out, (padded_h - span_h) / p.stride_h + 1, (padded_w - span_w) / p.stride_w + 1};
}

Tensor conv2d_accumulate(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& p) {
    // Data sizes and element ranges are checked before any indexing. A signed weight of at most 16
    // bits times an input of at most 16 bits lies in [-2^31, 2^31), so each product is exact in
    // int32 and only the sums need int64.
    require_operand(input, 16, "conv2d input");
    require_operand(weight, 16, "conv2d weight");
    require(weight.type.is_signed, "conv2d weight: type " + weight.type.name() + " must be signed");
    const Shape out_shape = conv2d_output_shape(input.shape, weight.shape, p);
    if (!bias.shape.empty()) validate(bias, "conv2d bias");
    require(bias.shape.empty() || (bias.shape.size() == 1 && bias.shape[0] == out_shape[1]),
            "conv2d: bias must have shape [" + std::to_string(out_shape[1]) + "], got " + to_string(bias.shape));
    require(bias.shape.empty() || bias.type == IntType::int32(), "conv2d: bias must be int32");

    const int64_t batch = out_shape[0], c_out = out_shape[1], out_h = out_shape[2], out_w = out_shape[3];
    const int64_t in_h = input.shape[2], in_w = input.shape[3];
    const int64_t c_in_per_group = weight.shape[1], c_out_per_group = c_out / p.groups;
    const int64_t k_h = weight.shape[2], k_w = weight.shape[3];

    Tensor output(out_shape, IntType::int32());
    // One output plane at a time, accumulated exactly in int64. The innermost loop runs along a
    // contiguous output row over the range of x whose input column is inside the image, so the
    // padding test is hoisted out of it (and the compiler can vectorise it).
    std::vector<int64_t> plane(static_cast<size_t>(out_h * out_w));
    for (int64_t n = 0; n < batch; ++n) {
        for (int64_t o = 0; o < c_out; ++o) {
            std::fill(plane.begin(), plane.end(), bias.shape.empty() ? 0 : bias.data[static_cast<size_t>(o)]);
            const int64_t group = o / c_out_per_group;
            for (int64_t i = 0; i < c_in_per_group; ++i) {
                const int64_t c = group * c_in_per_group + i;
                const int32_t* in_channel = &input.data[static_cast<size_t>((n * input.shape[1] + c) * in_h * in_w)];
                for (int64_t ky = 0; ky < k_h; ++ky) {
                    for (int64_t kx = 0; kx < k_w; ++kx) {
                        const int32_t w = weight.at(o, i, ky, kx);
                        if (w == 0) continue;
                        const int64_t col_offset = kx * p.dilation_w - p.pad_left;
                        // x range with 0 <= x * stride_w + col_offset < in_w
                        int64_t x_begin = col_offset >= 0 ? 0 : (-col_offset + p.stride_w - 1) / p.stride_w;
                        int64_t x_end = in_w - col_offset <= 0 ? 0 : (in_w - col_offset - 1) / p.stride_w + 1;
                        x_end = std::min(x_end, out_w);
                        if (x_begin >= x_end) continue;
                        for (int64_t y = 0; y < out_h; ++y) {
                            const int64_t row = y * p.stride_h + ky * p.dilation_h - p.pad_top;
                            if (row < 0 || row >= in_h) continue;
                            const int32_t* in_row = in_channel + row * in_w;
                            int64_t* acc_row = &plane[static_cast<size_t>(y * out_w)];
                            // The unit-stride copy of the loop is the one compilers vectorise.
                            if (p.stride_w == 1) {
                                for (int64_t x = x_begin; x < x_end; ++x) acc_row[x] += w * in_row[x + col_offset];
                            } else {
                                for (int64_t x = x_begin; x < x_end; ++x) {
                                    acc_row[x] += w * in_row[x * p.stride_w + col_offset];
                                }
                            }
                        }
                    }
                }
            }
            const int64_t base = (n * c_out + o) * out_h * out_w;
            for (int64_t j = 0; j < out_h * out_w; ++j) {
                check_accumulator(plane[static_cast<size_t>(j)], out_shape, base + j, "conv2d");
                output.data[static_cast<size_t>(base + j)] = static_cast<int32_t>(plane[static_cast<size_t>(j)]);
            }
        }
    }
    return output;
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const Conv2dParams& params,
              const OutputStage& stage) {
    return apply_output_stage(conv2d_accumulate(input, weight, bias, params), stage, "conv2d");
}

}  // namespace dyadic
