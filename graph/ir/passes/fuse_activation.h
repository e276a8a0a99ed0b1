#pragma once
// Fuses a Relu (or Clip(0, u)) node into the Conv / FullyConnected / Add producing its input
// (C++17 header).
#include "graph/ir/graph.h"

namespace dyadic::ir {

// The producer must have no activation yet and the Relu must be the only reader of its input.
// The producer takes over the Relu's activation (upper bound included) and output tensor name.
// A Conv with a fused residual applies the activation after the residual add, as the Relu did.
// Returns the number of fused nodes.
int fuse_activation(Graph& graph);

}  // namespace dyadic::ir
