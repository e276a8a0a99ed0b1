#include <cmath>

#include "graph/ir/kernels/float_ops.h"

namespace dyadic::ir::kernels {

// Computed per channel in double, like the folding pass, so a standalone BatchNormalization and
// its folded form differ only by float rounding of the final values.
void batch_norm(const FloatTensor& x, const BatchNormParameters& p, FloatTensor& out) {
    const int64_t batch = x.dim(0), channels = x.dim(1);
    const int64_t inner = channels == 0 || batch == 0 ? 0 : x.size() / (batch * channels);
    for (int64_t c = 0; c < channels; ++c) {
        const double multiplier = double{p.scale.data[c]} / std::sqrt(double{p.variance.data[c]} + p.epsilon);
        const double offset = double{p.bias.data[c]} - double{p.mean.data[c]} * multiplier;
        for (int64_t n = 0; n < batch; ++n) {
            const int64_t base = (n * channels + c) * inner;
            for (int64_t i = 0; i < inner; ++i)
                out.data[base + i] = static_cast<float>(double{x.data[base + i]} * multiplier + offset);
        }
    }
}

}  // namespace dyadic::ir::kernels
