#include "cpu/rescale.h"

#include <string>

#include "cpu/epilogue.h"
#include "cpu/operand_check.h"
#include "reference/ops/op_checks.h"

namespace dyadic::cpu {

Tensor residual_add(const Tensor& main, const Tensor& identity, const ResidualAddStage& stage, const Runtime& runtime) {
    const bool ok = valid_operand(main, 32) && valid_layout(identity, 16) && main.shape.size() >= 2 &&
                    identity.shape == main.shape && passes([&] {
                        require(stage.main_multipliers.size() == 1 ||
                                    static_cast<int64_t>(stage.main_multipliers.size()) == main.shape[1],
                                "count");
                        for (const Dyadic& m : stage.main_multipliers) require_well_formed(m, "multiplier");
                        require_well_formed(stage.identity_multiplier, "multiplier");
                        require_output_type(stage.output_type, "residual_add");
                    });
    if (!ok) {
        runtime.report("reference (operands refused)");
        return dyadic::residual_add(main, identity, stage);
    }
    const int64_t channels = main.shape[1];
    int64_t inner = 1;
    for (size_t axis = 2; axis < main.shape.size(); ++axis) inner *= main.shape[axis];
    const std::vector<ScaleStep> steps = per_channel_steps(stage.main_multipliers, channels);
    const ScaleStep id_step(stage.identity_multiplier);
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    // Uninitialized: the planes cover every element, or the reference answers.
    Tensor out(main.shape, stage.output_type, Tensor::uninitialized);
    // The identity's elements are checked in the pass that reads them.
    ConcurrentRange identity_read;
    runtime.pool->parallel_for(inner == 0 ? 0 : main.size() / inner, [&](int64_t plane) {
        const int64_t begin = plane * inner;
        identity_read.add(residual_run(main.data.data() + begin, 0, identity.data.data() + begin, inner,
                                       steps[static_cast<size_t>(plane % channels)], id_step, range,
                                       out.data.data() + begin, 1));
    });
    if (!identity_read.get().fits(identity.type)) {
        runtime.report("reference (operands refused)");
        return dyadic::residual_add(main, identity, stage);
    }
    runtime.report("cpu elementwise");
    return out;
}

Tensor concat_channels(const std::vector<const Tensor*>& inputs, const std::vector<Dyadic>& multipliers,
                       IntType output_type, const Runtime& runtime) {
    bool ok = !inputs.empty() && multipliers.size() == inputs.size() &&
              passes([&] { require_output_type(output_type, "concat"); });
    for (size_t i = 0; ok && i < inputs.size(); ++i) {
        const Tensor* input = inputs[i];
        ok = input != nullptr && valid_layout(*input) && input->shape.size() == 4 &&
             input->shape[0] == inputs[0]->shape[0] && input->shape[2] == inputs[0]->shape[2] &&
             input->shape[3] == inputs[0]->shape[3] && passes([&] { require_well_formed(multipliers[i], "m"); });
    }
    if (!ok) {
        runtime.report("reference (operands refused)");
        return dyadic::concat_channels(inputs, multipliers, output_type);
    }
    const Shape& first = inputs[0]->shape;
    int64_t total_channels = 0;
    for (const Tensor* input : inputs) total_channels += input->shape[1];
    const int64_t batch = first[0], plane = first[2] * first[3];
    const ClampRange range = clamp_range(output_type, false);
    // Uninitialized: the (image, input) blocks cover every element, or the reference answers.
    Tensor out({batch, total_channels, first[2], first[3]}, output_type, Tensor::uninitialized);
    std::vector<ScaleStep> steps;
    for (const Dyadic& m : multipliers) steps.emplace_back(m);
    // One task per (image, input): a contiguous block of that input's channels. Each input's
    // elements are checked in the pass that rescales them.
    const int64_t count = static_cast<int64_t>(inputs.size());
    std::vector<ConcurrentRange> read(inputs.size());
    runtime.pool->parallel_for(batch * count, [&](int64_t task) {
        const int64_t n = task / count;
        const size_t i = static_cast<size_t>(task % count);
        int64_t channel_offset = 0;
        for (size_t j = 0; j < i; ++j) channel_offset += inputs[j]->shape[1];
        const int64_t block = inputs[i]->shape[1] * plane;
        const int32_t* src = inputs[i]->data.data() + n * block;
        int32_t* dst = out.data.data() + (n * total_channels + channel_offset) * plane;
        read[i].add(requantize_checked(src, block, steps[i], range, dst));
    });
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (!read[i].get().fits(inputs[i]->type)) {
            runtime.report("reference (operands refused)");
            return dyadic::concat_channels(inputs, multipliers, output_type);
        }
    }
    runtime.report("cpu elementwise");
    return out;
}

}  // namespace dyadic::cpu
