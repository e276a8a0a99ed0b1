#pragma once
// Small helpers shared by the fusion passes (internal to graph/ir/passes).
#include <optional>
#include <string>

#include "graph/ir/graph.h"

namespace dyadic::ir {

// The producer of `tensor` when `reader` is its only reader and it is not a graph output, i.e.
// when the tensor can vanish into a fused node; nullopt otherwise.
std::optional<NodeId> sole_reader_producer(const Graph& graph, const std::string& tensor, NodeId reader);

// Removes `successor` and makes `node` produce the successor's output tensor instead of its own
// (which disappears). The node must be the successor's producer as found above.
void absorb_successor(Graph& graph, NodeId node, NodeId successor);

}  // namespace dyadic::ir
