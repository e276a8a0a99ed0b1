#pragma once
// The exact dyadic epilogue of the cpu backend: reference/requantize's formula
// (v * b + 2^(c-1)) >> c in int64, with the multiplier's checks done once per layer instead of
// once per element. Callers pass int32 values and checked multipliers, which is the precondition
// of the no-overflow proof in docs/semantics.md, section 5.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "reference/dyadic.h"
#include "reference/requantize.h"

namespace dyadic::cpu {

struct ScaleStep {
    int64_t mantissa = 1;
    int64_t rounding = 0;
    int shift = 0;

    explicit ScaleStep(const Dyadic& m)
        : mantissa(m.mantissa), rounding(m.shift == 0 ? 0 : int64_t{1} << (m.shift - 1)), shift(m.shift) {}
    int64_t apply(int32_t value) const { return (int64_t{value} * mantissa + rounding) >> shift; }
};

inline int32_t clamp_to(int64_t value, const ClampRange& range) {
    return static_cast<int32_t>(std::clamp(value, range.lo, range.hi));
}

// One ScaleStep per channel from 1 or `channels` multipliers.
inline std::vector<ScaleStep> per_channel_steps(const std::vector<Dyadic>& multipliers, int64_t channels) {
    std::vector<ScaleStep> steps;
    steps.reserve(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
        steps.emplace_back(multipliers.size() == 1 ? multipliers[0] : multipliers[static_cast<size_t>(c)]);
    }
    return steps;
}

}  // namespace dyadic::cpu

#include <mutex>

#include "cpu/conv_engine.h"
#include "cpu/operand_check.h"
#include "reference/ops/residual_add.h"

namespace dyadic::cpu {

// Where output element (image, channel, pixel) lives in an output tensor's data.
struct OutputLayout {
    int64_t image_stride = 0, channel_stride = 0, pixel_stride = 1;
    int64_t index(int64_t image, int64_t channel, int64_t pixel) const {
        return image * image_stride + channel * channel_stride + pixel * pixel_stride;
    }
};

// out[i * out_stride] = clamp(step(acc[i] + offset)) for i < count, offset added in wrapping int32
// (AVX2 when the CPU has it and out_stride is 1; the int64 formula either way).
void requantize_run(const int32_t* acc, int32_t offset, int64_t count, const ScaleStep& step, const ClampRange& range,
                    int32_t* out, int64_t out_stride);

// out[i] = clamp(step(in[i])) for i < count, returning the range of in[0 .. count): a rescale
// (concat, requantize) whose operand check is taken in the pass that reads the operand.
ValueRange requantize_checked(const int32_t* in, int64_t count, const ScaleStep& step, const ClampRange& range,
                              int32_t* out);

// out[i * stride] = clamp(step(acc[i] + offset) + id_step(identity[i * stride])): residual_add.
// Returns the range of the identity elements read (the identity's operand check).
ValueRange residual_run(const int32_t* acc, int32_t offset, const int32_t* identity, int64_t count,
                        const ScaleStep& step, const ScaleStep& id_step, const ClampRange& range, int32_t* out,
                        int64_t stride);

// A ValueRange that epilogues on several threads add to.
class ConcurrentRange {
public:
    void add(const ValueRange& range);
    ValueRange get() const;

private:
    mutable std::mutex mutex_;
    ValueRange range_;
};

// out = clamp(dyadic_scale(acc, m[channel]), output range with the stage's ReLU): apply_output_stage.
Epilogue output_stage_epilogue(const OutputStage& stage, int64_t channels, const OutputLayout& layout, Tensor& out);

// out = clamp(dyadic_scale(acc, m_main[channel]) + dyadic_scale(identity, m_id)): residual_add with
// the accumulator as its main branch; identity shares the output's layout. Adds the range of the
// identity elements it reads (every one, once the engine has run) to `identity_read`.
Epilogue residual_epilogue(const ResidualAddStage& stage, int64_t channels, const OutputLayout& layout,
                           const Tensor& identity, Tensor& out, ConcurrentRange& identity_read);

}  // namespace dyadic::cpu
