#include <algorithm>

#include "graph/ir/kernels/float_ops.h"

namespace dyadic::ir::kernels {

void apply_activation(const Activation& activation, FloatTensor& tensor) {
    if (!activation.relu) return;
    if (activation.has_upper_bound()) {
        const float upper = static_cast<float>(activation.upper_bound);
        for (float& v : tensor.data) v = std::min(std::max(v, 0.0f), upper);
    } else {
        for (float& v : tensor.data) v = std::max(v, 0.0f);
    }
}

void add(const FloatTensor& a, const FloatTensor& b, FloatTensor& out) {
    for (int64_t i = 0; i < out.size(); ++i) out.data[i] = a.data[i] + b.data[i];
}

}  // namespace dyadic::ir::kernels
