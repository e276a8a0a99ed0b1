#include "graph/ir/passes/passes.h"

#include "graph/ir/shape_inference.h"

namespace dyadic::ir {

PassReport run_standard_passes(Graph& graph) {
    PassReport report;
    infer_shapes(graph);
    report.batch_norms_folded = fold_batch_norm(graph);
    // Residual adds first so that an Add followed by Relu moves into the conv as one unit; the
    // activation pass then fuses the remaining conv+ReLU pairs (and a ReLU after a fused add).
    report.residual_adds_fused = fuse_residual_add(graph);
    report.activations_fused = fuse_activation(graph);
    report.non_negative_tensors = mark_non_negative(graph);
    infer_shapes(graph);
    return report;
}

}  // namespace dyadic::ir
