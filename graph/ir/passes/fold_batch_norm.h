#pragma once
// Folds BatchNormalization into the preceding Conv / FullyConnected (C++17 header).
#include "graph/ir/graph.h"

namespace dyadic::ir {

// For every BatchNormalization whose input is produced by a Conv or FullyConnected that has no
// fused activation or residual and whose output nothing else reads:
//   m[o] = scale[o] / sqrt(variance[o] + epsilon)
//   weight'[o, ...] = weight[o, ...] * m[o],   bias'[o] = (bias[o] - mean[o]) * m[o] + beta[o]
// computed in double and stored as float; the BatchNormalization node disappears and the
// producer takes over its output tensor name. Returns the number of folded nodes.
int fold_batch_norm(Graph& graph);

}  // namespace dyadic::ir
