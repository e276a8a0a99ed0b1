#pragma once
// Exact directional derivatives of the graph output with respect to ONE layer's weights
// (forward-mode differentiation through the float IR).
//
// Why this is enough for the Hessian: the logits z are linear in a single layer's weight W_i
// (z_i = W_i x_i + b), and every later op of the IR is piecewise linear (Conv, FullyConnected,
// BatchNormalization, ReLU/Clip, Add, pooling, reshapes). So d^2 z / dW_i^2 = 0 almost everywhere
// and the Hessian of the loss w.r.t. W_i is exactly J^T (d^2 L / dz^2) J (autograd's Hessian,
// which also takes ReLU'' = 0). Then v^T H v = u^T (d^2 L / dz^2) u with u = J v, and u is one
// linear pass from layer i to the output: the tangent of the network along v.
// Kinks follow PyTorch's convention: the derivative of ReLU at 0 is 0, max pooling routes to the
// first maximum of its window. Header is C++17.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "graph/ir/executor.h"
#include "graph/ir/graph.h"

namespace dyadic::sensitivity {

class TangentPropagator {
public:
    // The graph must have one output, outlive the propagator and not change while it is used.
    explicit TangentPropagator(const ir::Graph& graph);

    // d output / dt of the graph with layer `layer`'s weight set to W + t * direction, at t = 0.
    // `activations` holds every tensor of the unperturbed forward pass on the batch
    // (FloatExecutor::run with keep_all); `direction` has the layer's weight shape.
    // Throws Error when `layer` is not a Conv or FullyConnected node or a shape disagrees.
    ir::FloatTensor output_tangent(ir::NodeId layer, const ir::FloatTensor& direction,
                                   const ir::TensorMap& activations) const;

    // d output / dt of the graph with the DATA input x of layer `layer` (as that layer reads it;
    // other readers of the same tensor keep x) set to x + t * direction, at t = 0. The logits are
    // piecewise linear in x as well (the layer is W x + b), so the same exactness holds: this is
    // J_x direction, and u^T (d^2 L / dz^2) u is the Gauss-Newton quadratic form of the loss in x.
    // `direction` has the shape of the layer's input in `activations` (the batch's).
    ir::FloatTensor output_tangent_from_input(ir::NodeId layer, const ir::FloatTensor& direction,
                                              const ir::TensorMap& activations) const;

private:
    // Checks that `layer` is a Conv or FullyConnected node of the graph; its step index.
    std::size_t weight_layer_step(ir::NodeId layer) const;
    // The layer's output tangent is `layer_tangent` (before its activation's derivative); carries
    // it through every later node to the graph output.
    ir::FloatTensor propagate(std::size_t layer_step, ir::FloatTensor layer_tangent,
                              const ir::TensorMap& activations) const;

    struct Step {
        ir::NodeId id;
        ir::Node linear;  // the node with bias, BatchNorm offset and activation removed
        std::vector<std::string> last_read;  // tensors no later step reads
    };
    const ir::Graph& graph_;
    std::vector<Step> steps_;                    // topological order
    std::map<ir::NodeId, std::size_t> position_;  // node -> index into steps_
};

}  // namespace dyadic::sensitivity
