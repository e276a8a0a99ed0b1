#pragma once
// The one comparison of an integer tensor with the reference's, used by every backend check
// (`dyadic verify`, `dyadic sim --verify`, the differential tests): equal means equal shape, equal
// type and every element == (no tolerance). A difference is summarised by its first differing
// element in row-major order (with its NCHW coordinates), how many elements differ, and the
// largest absolute difference. Header is C++17.
#include <cstdint>
#include <string>

#include "reference/tensor.h"

namespace dyadic::verify {

struct TensorDiff {
    std::string layout_mismatch;  // non-empty when shapes or types differ (elements are then not compared)
    int64_t compared = 0;         // elements compared
    int64_t differing = 0;        // elements that differ
    int64_t first_index = -1;     // row-major index of the first differing element over everything
                                  // compared (batches in order), -1 if none
    Shape first_at;               // its coordinates ([n, c, y, x] for NCHW)
    int64_t expected = 0;         // the reference's value there
    int64_t got = 0;              // the backend's value there
    int64_t largest_difference = 0;  // max |expected - got| over all elements

    bool equal() const { return layout_mismatch.empty() && differing == 0; }
};

TensorDiff diff_tensors(const Tensor& expected, const Tensor& got);

// "equal", or "3 of 784 differ, first at [0, 2, 5, 7]: expected 17, got 18; largest difference 1",
// or the layout mismatch.
std::string describe(const TensorDiff& diff);

// Folds the difference of a later batch into `total`; `batch_offset` is the index of that batch's
// first image, so that the first differing element keeps its position in the whole input.
void merge_batch(TensorDiff& total, const TensorDiff& batch, int64_t batch_offset);

}  // namespace dyadic::verify
