#include "reference/ops/max_pool2d.h"

#include <algorithm>
#include <limits>

#include "util/error.h"

namespace dyadic {

Tensor max_pool2d(const Tensor& input, const Pool2dParams& p) {
    validate(input, "max_pool2d input");
    const Shape out_shape = pool2d_output_shape(input.shape, p, "max_pool2d");
    const int64_t in_h = input.shape[2], in_w = input.shape[3];
    Tensor output(out_shape, input.type);
    output.scales = input.scales;  // same type, same scale: max is exact
    for (int64_t n = 0; n < out_shape[0]; ++n) {
        for (int64_t c = 0; c < out_shape[1]; ++c) {
            for (int64_t y = 0; y < out_shape[2]; ++y) {
                for (int64_t x = 0; x < out_shape[3]; ++x) {
                    // Padded positions never take part (every window holds an in-image element).
                    const PoolWindow w = pool_window(p, y, x, in_h, in_w);
                    int32_t best = std::numeric_limits<int32_t>::min();
                    for (int64_t r = w.row_begin; r < w.row_end; ++r) {
                        for (int64_t s = w.col_begin; s < w.col_end; ++s) best = std::max(best, input.at(n, c, r, s));
                    }
                    output.at(n, c, y, x) = best;
                }
            }
        }
    }
    return output;
}

}  // namespace dyadic
