#pragma once
// The derivative-free check of v^T H v: the central second difference of the loss along v,
//   v^T H v ~ (L(W + eps v) - 2 L(W) + L(W - eps v)) / eps^2,
// with the loss evaluated by the float executor and the cross-entropy summed in double.
// Truncation error is O(eps^2) (the fourth derivative along v), round-off is about
// (float error of L) / eps^2, and a ReLU kink crossed within +-eps adds curvature that autograd's
// Hessian does not have. tangent_propagation.h computes the same quantity without any of these
// errors; this function exists to check it and to quantify those errors (docs/sensitivity.md).
// Header is C++17.
#include <vector>

#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"

namespace dyadic::sensitivity {

struct SecondDifference {
    double loss = 0.0;        // L(W)
    double loss_plus = 0.0;   // L(W + eps v)
    double loss_minus = 0.0;  // L(W - eps v)
    double curvature = 0.0;   // (loss_plus - 2 loss + loss_minus) / eps^2
};

// Evaluates the three losses on `images` ([N, ...], the graph input) with `labels`, perturbing a
// copy of the graph (the caller's graph is not touched). Throws Error when `layer` has no weight,
// `direction` has another shape or eps is not positive.
SecondDifference loss_second_difference(const ir::Graph& graph, ir::NodeId layer, const ir::FloatTensor& direction,
                                        double eps, const ir::FloatTensor& images, const std::vector<int>& labels);

}  // namespace dyadic::sensitivity
