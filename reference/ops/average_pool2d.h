#pragma once
// Average pooling (docs/semantics.md, "average_pool2d", "global_average_pool"): an exact int32
// window sum, then one dyadic multiplier that folds both 1/count and the input->output scale change.
#include <vector>

#include "reference/dyadic.h"
#include "reference/ops/pool2d_params.h"
#include "reference/tensor.h"

namespace dyadic {

struct AveragePoolStage {
    // multiplier_by_count[k - 1] is used for a window that averages k elements. With
    // count_include_pad (or no padding) only the last entry (k = kernel_h * kernel_w) is used.
    std::vector<Dyadic> multiplier_by_count;
    IntType output_type = IntType::unsigned_bits(8);
    bool count_include_pad = false;  // ONNX's default: padded positions are not counted
};

// Builds the stage from the real ratio input_scale / output_scale: entry k-1 = to_dyadic(ratio / k).
AveragePoolStage make_average_pool_stage(double input_over_output_scale, int window_elements, IntType output_type,
                                         bool count_include_pad);

Tensor average_pool2d(const Tensor& input, const Pool2dParams& params, const AveragePoolStage& stage);

// [N, C, H, W] -> [N, C, 1, 1]: y = clamp(dyadic_scale(sum over H*W, multiplier)), where the
// multiplier is to_dyadic(input_scale / (output_scale * H * W)).
Tensor global_average_pool(const Tensor& input, const Dyadic& multiplier, IntType output_type);

}  // namespace dyadic
