#pragma once
// Fuses a residual Add into the Conv producing one of its inputs (C++17 header).
#include "graph/ir/graph.h"

namespace dyadic::ir {

// For Add(a, b): when a (else b) comes from a Conv with no activation and no residual yet, read
// only by this Add, the Conv gets the other input as its residual identity (Node::inputs[1]),
// takes over the Add's activation and output name, and the Add disappears. Preferring the first
// input picks the main branch in PyTorch exports (`out + identity`) when both are convs.
// Returns the number of fused nodes.
int fuse_residual_add(Graph& graph);

}  // namespace dyadic::ir
