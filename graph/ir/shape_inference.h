#pragma once
// Shape inference for every op of the IR. Header is C++17.
#include <vector>

#include "graph/ir/graph.h"

namespace dyadic::ir {

// Output shape of `node` for the given input shapes (one per node input, in order). Checks the
// node's parameters against the shapes too (weight channels, bias length, BatchNorm sizes).
// Throws Error naming the node, its op and the problem for every impossible combination.
Shape infer_output_shape(const Node& node, const std::vector<Shape>& input_shapes);

// Sets the shape of every node output, in topological order, from the graph inputs' shapes.
void infer_shapes(Graph& graph);

// Resolves an ONNX Reshape target (0 = copy the input's dim, one -1 = inferred) for `input`.
Shape resolve_reshape(const Shape& input, const Shape& target, const std::string& node_name);

}  // namespace dyadic::ir
