#include "reference/ops/fully_connected.h"

#include <string>

#include "util/error.h"
#include "reference/ops/op_checks.h"
#include "reference/ops/output_stage.h"

namespace dyadic {

Tensor fully_connected_accumulate(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    require_operand(input, 16, "fully_connected input");
    require_operand(weight, 16, "fully_connected weight");
    require(weight.type.is_signed, "fully_connected weight: type " + weight.type.name() + " must be signed");
    require(input.shape.size() == 2, "fully_connected: input must be 2-D [N, K], got " + to_string(input.shape));
    require(weight.shape.size() == 2, "fully_connected: weight must be 2-D [M, K], got " + to_string(weight.shape));
    const int64_t batch = input.shape[0], depth = input.shape[1], units = weight.shape[0];
    require(weight.shape[1] == depth, "fully_connected: weight " + to_string(weight.shape) + " expects K = " +
                                          std::to_string(weight.shape[1]) + ", input " + to_string(input.shape) +
                                          " has K = " + std::to_string(depth));
    const bool has_bias = !bias.shape.empty();
    if (has_bias) {
        validate(bias, "fully_connected bias");
        require(bias.shape.size() == 1 && bias.shape[0] == units, "fully_connected: bias must have shape [" +
                                                                      std::to_string(units) + "], got " +
                                                                      to_string(bias.shape));
        require(bias.type == IntType::int32(), "fully_connected: bias must be int32, got " + bias.type.name());
    }

    const Shape out_shape{batch, units};
    Tensor output(out_shape, IntType::int32());
    for (int64_t n = 0; n < batch; ++n) {
        const int32_t* x = &input.data[static_cast<size_t>(n * depth)];
        for (int64_t m = 0; m < units; ++m) {
            const int32_t* w = &weight.data[static_cast<size_t>(m * depth)];
            int64_t acc = has_bias ? bias.data[static_cast<size_t>(m)] : 0;
            for (int64_t k = 0; k < depth; ++k) acc += int64_t{x[k]} * w[k];
            check_accumulator(acc, out_shape, n * units + m, "fully_connected");
            output.data[static_cast<size_t>(n * units + m)] = static_cast<int32_t>(acc);
        }
    }
    return output;
}

Tensor fully_connected(const Tensor& input, const Tensor& weight, const Tensor& bias, const OutputStage& stage) {
    return apply_output_stage(fully_connected_accumulate(input, weight, bias), stage, "fully_connected");
}

}  // namespace dyadic
