#include <algorithm>

#include "graph/ir/passes/pattern.h"

namespace dyadic::ir {

std::optional<NodeId> sole_reader_producer(const Graph& graph, const std::string& tensor, NodeId reader) {
    if (graph.is_output(tensor)) return std::nullopt;
    const std::vector<NodeId> readers = graph.consumers(tensor);
    if (readers.size() != 1 || readers[0] != reader) return std::nullopt;
    // A reader that reads the tensor twice (Add(t, t)) cannot absorb its producer either.
    const auto& in = graph.node(reader).inputs;
    if (std::count(in.begin(), in.end(), tensor) != 1) return std::nullopt;
    return graph.producer(tensor);
}

void absorb_successor(Graph& graph, NodeId node, NodeId successor) {
    const std::vector<std::string> outputs = graph.node(successor).outputs;
    graph.remove_node(successor);
    graph.set_outputs(node, outputs);
    graph.remove_unused_values();
}

}  // namespace dyadic::ir
