#include "graph/ir/passes/fuse_residual_add.h"

#include "graph/ir/passes/pattern.h"

namespace dyadic::ir {

int fuse_residual_add(Graph& graph) {
    int fused = 0;
    for (const NodeId id : graph.topological_order()) {
        const Node& add = graph.node(id);
        if (add.op != OpKind::Add) continue;
        for (size_t main = 0; main < 2; ++main) {
            const std::optional<NodeId> producer = sole_reader_producer(graph, add.inputs[main], id);
            if (!producer) continue;
            Node& conv = graph.node(*producer);
            if (conv.op != OpKind::Conv || conv.activation.relu || conv.has_residual()) continue;
            const std::string identity = add.inputs[1 - main];
            conv.activation = add.activation;
            std::vector<std::string> inputs = conv.inputs;
            inputs.push_back(identity);
            absorb_successor(graph, *producer, id);
            graph.set_inputs(*producer, std::move(inputs));
            ++fused;
            break;
        }
    }
    return fused;
}

}  // namespace dyadic::ir
