#include "graph/ir/passes/fuse_activation.h"

#include "graph/ir/passes/pattern.h"

namespace dyadic::ir {

int fuse_activation(Graph& graph) {
    int fused = 0;
    for (const NodeId id : graph.topological_order()) {
        const Node& relu = graph.node(id);
        if (relu.op != OpKind::Relu) continue;
        const std::optional<NodeId> producer = sole_reader_producer(graph, relu.inputs[0], id);
        if (!producer) continue;
        Node& target = graph.node(*producer);
        const bool fusable = (target.op == OpKind::Conv || target.op == OpKind::FullyConnected || target.op == OpKind::Add) &&
                             !target.activation.relu;
        if (!fusable) continue;
        target.activation = relu.activation;
        absorb_successor(graph, *producer, id);
        ++fused;
    }
    return fused;
}

}  // namespace dyadic::ir
