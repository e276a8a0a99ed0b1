#include "reference/ops/concat.h"

#include <string>

#include "util/checked.h"
#include "util/error.h"
#include "reference/ops/op_checks.h"
#include "reference/requantize.h"

namespace dyadic {

Tensor concat_channels(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                       IntType output_type) {
    require(!inputs.empty(), "concat: needs at least one input");
    require(multipliers.size() == inputs.size(), "concat: " + std::to_string(inputs.size()) + " inputs but " +
                                                     std::to_string(multipliers.size()) + " multipliers");
    require_output_type(output_type, "concat");
    for (size_t i = 0; i < inputs.size(); ++i) {
        const std::string what = "concat input " + std::to_string(i);
        require(inputs[i] != nullptr, what + " is null");
        validate(*inputs[i], what);
        require(inputs[i]->shape.size() == 4, what + " must be 4-D NCHW, got " + to_string(inputs[i]->shape));
        const Shape& first = inputs[0]->shape;
        const Shape& shape = inputs[i]->shape;
        require(shape[0] == first[0] && shape[2] == first[2] && shape[3] == first[3],
                what + " shape " + to_string(shape) + " does not match input 0 shape " + to_string(first) +
                    " outside the channel axis");
        require_well_formed(multipliers[i], "concat: multiplier " + std::to_string(i));
    }

    const Shape& first = inputs[0]->shape;
    int64_t total_channels = 0;
    for (const Tensor* input : inputs) total_channels = checked_add(total_channels, input->shape[1], "concat: channels");
    const int64_t batch = first[0], plane = first[2] * first[3];
    const ClampRange range = clamp_range(output_type, false);
    Tensor output({batch, total_channels, first[2], first[3]}, output_type);
    for (int64_t n = 0; n < batch; ++n) {
        int64_t channel_offset = 0;
        for (size_t i = 0; i < inputs.size(); ++i) {
            const Tensor& input = *inputs[i];
            const int64_t block = input.shape[1] * plane;  // this input's channels of image n, contiguous
            for (int64_t j = 0; j < block; ++j) {
                output.data[static_cast<size_t>((n * total_channels + channel_offset) * plane + j)] =
                    requantize(input.data[static_cast<size_t>(n * block + j)], multipliers[i], range);
            }
            channel_offset += input.shape[1];
        }
    }
    return output;
}

}  // namespace dyadic
