#pragma once
// The standard pass pipeline applied before quantization (C++17 header).
#include "graph/ir/graph.h"
#include "graph/ir/passes/fold_batch_norm.h"
#include "graph/ir/passes/fuse_activation.h"
#include "graph/ir/passes/fuse_residual_add.h"
#include "graph/ir/passes/mark_non_negative.h"

namespace dyadic::ir {

struct PassReport {
    int batch_norms_folded = 0;
    int residual_adds_fused = 0;
    int activations_fused = 0;
    int non_negative_tensors = 0;
};

// infer_shapes, fold_batch_norm, fuse_residual_add, fuse_activation, mark_non_negative,
// infer_shapes. Keeps the float function (up to float rounding of the folded parameters).
PassReport run_standard_passes(Graph& graph);

}  // namespace dyadic::ir
