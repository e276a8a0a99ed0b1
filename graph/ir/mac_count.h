#pragma once
// Multiply-accumulate counts per node, per image (C++17 header).
#include <cstdint>

#include "graph/ir/graph.h"

namespace dyadic::ir {

// MACs one image costs at node `id`, from the shapes in the graph (run infer_shapes first):
// Conv: C_out * OH * OW * (C_in / groups) * KH * KW; FullyConnected: M * K; every other op 0
// (pooling, adds and BatchNormalization are not multiply-accumulates in the published counts).
int64_t mac_count(const Graph& graph, NodeId id);

// Sum over all nodes.
int64_t total_mac_count(const Graph& graph);

}  // namespace dyadic::ir
