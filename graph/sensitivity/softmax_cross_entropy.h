#pragma once
// The loss the sensitivities refer to: softmax cross-entropy of the graph's logits, averaged over
// the images, evaluated in double from the float logits. Header is C++17.
#include <vector>

#include "graph/ir/float_tensor.h"

namespace dyadic::sensitivity {

// Mean over the N rows of -log softmax(z_n)[label_n]. Logits are [N, K] (or [N, K, 1, 1]).
// Throws Error when labels do not match N or a label is outside [0, K).
double mean_cross_entropy(const ir::FloatTensor& logits, const std::vector<int>& labels);

// Sum over rows of u_n^T (diag(p_n) - p_n p_n^T) u_n, where p_n = softmax(z_n) and u_n is row n of
// `logit_tangent` (same shape as `logits`): the second derivative of the summed cross-entropy along
// a logit direction. It does not depend on the labels and is never negative (a variance of u under p).
double cross_entropy_curvature_sum(const ir::FloatTensor& logits, const ir::FloatTensor& logit_tangent);

}  // namespace dyadic::sensitivity
