#pragma once
// Marks tensors known to be non-negative (and their known upper bound) so that graph/quant gives
// them unsigned types (C++17 header).
#include "graph/ir/graph.h"

namespace dyadic::ir {

// Recomputes Value::non_negative and Value::upper_bound of every node output, in topological
// order. Non-negative: outputs of Relu and of nodes with a fused ReLU; MaxPool, AveragePool,
// GlobalAveragePool, Flatten and Reshape of a non-negative tensor; Concat and Add of
// non-negative tensors only. Upper bounds follow (ReLU6: 6; max over Concat; sum over Add).
// Graph inputs keep what the user set. Returns the number of non-negative node outputs.
int mark_non_negative(Graph& graph);

}  // namespace dyadic::ir
