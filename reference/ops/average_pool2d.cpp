#include "reference/ops/average_pool2d.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "util/error.h"
#include "reference/ops/op_checks.h"
#include "reference/ops/output_stage.h"
#include "reference/requantize.h"

namespace dyadic {

AveragePoolStage make_average_pool_stage(double input_over_output_scale, int window_elements, IntType output_type,
                                         bool count_include_pad) {
    require(std::isfinite(input_over_output_scale) && input_over_output_scale > 0.0,
            "average_pool2d: scale ratio must be finite and positive, got " + std::to_string(input_over_output_scale));
    require(window_elements >= 1,
            "average_pool2d: window must hold at least one element, got " + std::to_string(window_elements));
    require_output_type(output_type, "average_pool2d");
    AveragePoolStage stage;
    stage.output_type = output_type;
    stage.count_include_pad = count_include_pad;
    stage.multiplier_by_count.reserve(static_cast<size_t>(window_elements));
    for (int k = 1; k <= window_elements; ++k) {
        stage.multiplier_by_count.push_back(to_dyadic(input_over_output_scale / k));
    }
    return stage;
}

Tensor average_pool2d(const Tensor& input, const Pool2dParams& p, const AveragePoolStage& stage) {
    validate(input, "average_pool2d input");
    const Shape out_shape = pool2d_output_shape(input.shape, p, "average_pool2d");
    const int64_t window = int64_t{p.kernel_h} * p.kernel_w;
    require(static_cast<int64_t>(stage.multiplier_by_count.size()) == window,
            "average_pool2d: expected " + std::to_string(window) + " multipliers (one per window count 1.." +
                std::to_string(window) + "), got " + std::to_string(stage.multiplier_by_count.size()));
    for (size_t k = 0; k < stage.multiplier_by_count.size(); ++k) {
        require_well_formed(stage.multiplier_by_count[k],
                            "average_pool2d: multiplier for count " + std::to_string(k + 1));
    }
    require_output_type(stage.output_type, "average_pool2d");
    const ClampRange range = clamp_range(stage.output_type, false);

    const int64_t in_h = input.shape[2], in_w = input.shape[3];
    Tensor output(out_shape, stage.output_type);
    for (int64_t n = 0; n < out_shape[0]; ++n) {
        for (int64_t c = 0; c < out_shape[1]; ++c) {
            for (int64_t y = 0; y < out_shape[2]; ++y) {
                for (int64_t x = 0; x < out_shape[3]; ++x) {
                    const PoolWindow w = pool_window(p, y, x, in_h, in_w);
                    // Padding is the real value 0: it adds nothing to the sum, only to the count.
                    int64_t sum = 0;
                    for (int64_t r = w.row_begin; r < w.row_end; ++r) {
                        for (int64_t s = w.col_begin; s < w.col_end; ++s) sum += input.at(n, c, r, s);
                    }
                    const int64_t flat = ((n * out_shape[1] + c) * out_shape[2] + y) * out_shape[3] + x;
                    check_accumulator(sum, out_shape, flat, "average_pool2d");
                    const int64_t count = stage.count_include_pad ? window : w.count();
                    output.data[static_cast<size_t>(flat)] =
                        requantize(sum, stage.multiplier_by_count[static_cast<size_t>(count - 1)], range);
                }
            }
        }
    }
    return output;
}

Tensor global_average_pool(const Tensor& input, const Dyadic& multiplier, IntType output_type) {
    validate(input, "global_average_pool input");
    require(input.shape.size() == 4, "global_average_pool: input must be 4-D NCHW, got " + to_string(input.shape));
    require(input.shape[2] >= 1 && input.shape[3] >= 1,
            "global_average_pool: input " + to_string(input.shape) + " has an empty spatial extent");
    require_well_formed(multiplier, "global_average_pool: multiplier");
    require_output_type(output_type, "global_average_pool");
    const ClampRange range = clamp_range(output_type, false);

    const int64_t plane = input.shape[2] * input.shape[3];
    const Shape out_shape{input.shape[0], input.shape[1], 1, 1};
    Tensor output(out_shape, output_type);
    for (int64_t i = 0; i < input.shape[0] * input.shape[1]; ++i) {
        int64_t sum = 0;
        for (int64_t j = 0; j < plane; ++j) sum += input.data[static_cast<size_t>(i * plane + j)];
        check_accumulator(sum, out_shape, i, "global_average_pool");
        output.data[static_cast<size_t>(i)] = requantize(sum, multiplier, range);
    }
    return output;
}

}  // namespace dyadic
