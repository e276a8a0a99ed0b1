#include "cpu/epilogue.h"

namespace dyadic::cpu {

Epilogue output_stage_epilogue(const OutputStage& stage, int64_t channels, const OutputLayout& layout, Tensor& out) {
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    return [steps = per_channel_steps(stage.multipliers, channels), range, layout, &out](const AccumulatorTile& t) {
        int32_t* data = out.data.data();
        for (int64_t j = 0; j < t.channels; ++j) {
            const ScaleStep& step = steps[static_cast<size_t>(t.o0 + j)];
            int32_t* dst = data + layout.index(t.image, t.o0 + j, t.p0);
            for (int64_t i = 0; i < t.count; ++i) {
                dst[i * layout.pixel_stride] = clamp_to(step.apply(t.acc[i * t.acc_stride + j]), range);
            }
        }
    };
}

Epilogue residual_epilogue(const ResidualAddStage& stage, int64_t channels, const OutputLayout& layout,
                           const Tensor& identity, Tensor& out) {
    const ClampRange range = clamp_range(stage.output_type, stage.relu);
    return [steps = per_channel_steps(stage.main_multipliers, channels), id_step = ScaleStep(stage.identity_multiplier),
            range, layout, &identity, &out](const AccumulatorTile& t) {
        int32_t* data = out.data.data();
        for (int64_t j = 0; j < t.channels; ++j) {
            const ScaleStep& step = steps[static_cast<size_t>(t.o0 + j)];
            const int64_t base = layout.index(t.image, t.o0 + j, t.p0);
            for (int64_t i = 0; i < t.count; ++i) {
                const int64_t at = base + i * layout.pixel_stride;
                // Each term is below 2^62 in magnitude (docs/semantics.md, section 8): no int64 overflow.
                const int64_t sum = step.apply(t.acc[i * t.acc_stride + j]) +
                                    id_step.apply(identity.data[static_cast<size_t>(at)]);
                data[at] = clamp_to(sum, range);
            }
        }
    };
}

}  // namespace dyadic::cpu
