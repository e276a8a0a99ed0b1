#include "reference/ops/residual_add.h"

#include <algorithm>
#include <string>

#include "util/error.h"
#include "reference/ops/op_checks.h"
#include "reference/requantize.h"

namespace dyadic {

Tensor residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage) {
    require_operand(main, 32, "residual_add main");
    require_operand(identity, 16, "residual_add identity");
    require(main.shape.size() >= 2, "residual_add: main must be [N, C, ...], got " + to_string(main.shape));
    require(identity.shape == main.shape, "residual_add: identity shape " + to_string(identity.shape) +
                                              " differs from main shape " + to_string(main.shape));
    const int64_t channels = main.shape[1];
    require(stage.main_multipliers.size() == 1 || static_cast<int64_t>(stage.main_multipliers.size()) == channels,
            "residual_add: expected 1 or " + std::to_string(channels) + " main multipliers, got " +
                std::to_string(stage.main_multipliers.size()));
    for (size_t i = 0; i < stage.main_multipliers.size(); ++i) {
        require_well_formed(stage.main_multipliers[i], "residual_add: main multiplier " + std::to_string(i));
    }
    require_well_formed(stage.identity_multiplier, "residual_add: identity multiplier");
    require_output_type(stage.output_type, "residual_add");
    const ClampRange range = clamp_range(stage.output_type, stage.relu);

    int64_t inner = 1;
    for (size_t axis = 2; axis < main.shape.size(); ++axis) inner *= main.shape[axis];
    Tensor output(main.shape, stage.output_type);
    for (int64_t i = 0; i < main.size(); ++i) {
        const size_t channel = stage.main_multipliers.size() == 1 ? 0 : static_cast<size_t>((i / inner) % channels);
        // Each branch is rounded on its own; |each term| < 2^62, so the int64 sum cannot overflow.
        const int64_t sum = dyadic_scale(main.data[static_cast<size_t>(i)], stage.main_multipliers[channel]) +
                            dyadic_scale(identity.data[static_cast<size_t>(i)], stage.identity_multiplier);
        output.data[static_cast<size_t>(i)] = static_cast<int32_t>(std::clamp(sum, range.lo, range.hi));
    }
    return output;
}

}  // namespace dyadic
