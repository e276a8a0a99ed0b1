#include "graph/verify/tensor_diff.h"

#include <algorithm>
#include <cstdlib>

namespace dyadic::verify {

TensorDiff diff_tensors(const Tensor& expected, const Tensor& got) {
    TensorDiff diff;
    if (expected.shape != got.shape || expected.type != got.type || expected.data.size() != got.data.size()) {
        diff.layout_mismatch = "output " + to_string(got.shape) + " " + got.type.name() + " differs from the reference's " +
                               to_string(expected.shape) + " " + expected.type.name();
        return diff;
    }
    diff.compared = expected.size();
    for (size_t i = 0; i < expected.data.size(); ++i) {
        if (expected.data[i] == got.data[i]) continue;
        // int64: the difference of two int32 values may not fit int32.
        const int64_t d = std::llabs(int64_t{expected.data[i]} - int64_t{got.data[i]});
        diff.largest_difference = std::max(diff.largest_difference, d);
        if (diff.differing++ == 0) {
            diff.first_index = static_cast<int64_t>(i);
            diff.first_at = unravel_index(static_cast<int64_t>(i), expected.shape);
            diff.expected = expected.data[i];
            diff.got = got.data[i];
        }
    }
    return diff;
}

std::string describe(const TensorDiff& diff) {
    if (!diff.layout_mismatch.empty()) return diff.layout_mismatch;
    if (diff.differing == 0) return "equal";
    return std::to_string(diff.differing) + " of " + std::to_string(diff.compared) + " differ, first at " +
           to_string(diff.first_at) + ": expected " + std::to_string(diff.expected) + ", got " +
           std::to_string(diff.got) + "; largest difference " + std::to_string(diff.largest_difference);
}

void merge_batch(TensorDiff& total, const TensorDiff& batch, int64_t batch_offset) {
    if (!total.layout_mismatch.empty()) return;
    if (!batch.layout_mismatch.empty()) {
        total.layout_mismatch = batch.layout_mismatch;
        return;
    }
    if (total.differing == 0 && batch.differing > 0) {
        total.first_index = total.compared + batch.first_index;
        total.first_at = batch.first_at;
        if (!total.first_at.empty()) total.first_at[0] += batch_offset;
        total.expected = batch.expected;
        total.got = batch.got;
    }
    total.compared += batch.compared;
    total.differing += batch.differing;
    total.largest_difference = std::max(total.largest_difference, batch.largest_difference);
}

}  // namespace dyadic::verify
