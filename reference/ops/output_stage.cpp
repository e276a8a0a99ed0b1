#include "reference/ops/output_stage.h"

#include <limits>
#include <string>

#include "util/error.h"
#include "reference/ops/op_checks.h"

namespace dyadic {

void check_accumulator(int64_t value, const Shape& shape, int64_t flat_index, const char* op_name) {
    if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
        throw Error(std::string(op_name) + ": int32 accumulator overflow at " +
                    to_string(unravel_index(flat_index, shape)) + " (value " + std::to_string(value) + ")");
    }
}

Tensor apply_output_stage(const Tensor& accumulator, const OutputStage& stage, const char* op_name) {
    validate(accumulator, std::string(op_name) + " accumulator");
    require(accumulator.shape.size() >= 2, std::string(op_name) + ": accumulator needs a channel axis");
    const int64_t channels = accumulator.shape[1];
    validate(stage, channels, op_name);
    for (size_t i = 0; i < stage.multipliers.size(); ++i) {
        require_well_formed(stage.multipliers[i], std::string(op_name) + ": output multiplier " + std::to_string(i));
    }
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    Tensor output(accumulator.shape, stage.output_type);
    int64_t inner = 1;
    for (size_t axis = 2; axis < accumulator.shape.size(); ++axis) inner *= accumulator.shape[axis];
    // One contiguous run of `inner` elements per (batch, channel): no division per element.
    const int64_t outer = channels * inner == 0 ? 0 : accumulator.size() / (channels * inner);
    for (int64_t n = 0; n < outer; ++n) {
        for (int64_t channel = 0; channel < channels; ++channel) {
            const Dyadic& multiplier = stage.multiplier_for(channel);
            const size_t begin = static_cast<size_t>((n * channels + channel) * inner);
            for (size_t i = begin; i < begin + static_cast<size_t>(inner); ++i) {
                output.data[i] = requantize(accumulator.data[i], multiplier, range);
            }
        }
    }
    return output;
}

}  // namespace dyadic
