#include <algorithm>

#include "graph/ir/kernels/float_ops.h"

namespace dyadic::ir::kernels {

// Row-major: the output is `outer` blocks, each the concatenation of every input's block.
void concat(const std::vector<const FloatTensor*>& inputs, int axis, FloatTensor& out) {
    int64_t outer = 1;
    for (int d = 0; d < axis; ++d) outer *= out.dim(d);
    float* dst = out.data.data();
    for (int64_t o = 0; o < outer; ++o)
        for (const FloatTensor* in : inputs) {
            const int64_t block = outer == 0 ? 0 : in->size() / outer;
            const float* src = in->data.data() + o * block;
            dst = std::copy(src, src + block, dst);
        }
}

}  // namespace dyadic::ir::kernels
