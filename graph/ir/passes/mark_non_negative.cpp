#include "graph/ir/passes/mark_non_negative.h"

#include <algorithm>
#include <limits>

namespace dyadic::ir {

int mark_non_negative(Graph& graph) {
    constexpr double unbounded = std::numeric_limits<double>::infinity();
    int marked = 0;
    for (const NodeId id : graph.topological_order()) {
        const Node& node = graph.node(id);
        const Value& first = graph.value(node.inputs[0]);
        bool non_negative = false;
        double upper = unbounded;
        switch (node.op) {
            case OpKind::Relu:
                non_negative = true;
                upper = std::min(node.activation.upper_bound, first.upper_bound);
                break;
            case OpKind::Conv:
            case OpKind::FullyConnected:
                non_negative = node.activation.relu;
                upper = node.activation.upper_bound;
                break;
            case OpKind::Add: {
                const Value& second = graph.value(node.inputs[1]);
                const bool inputs_non_negative = first.non_negative && second.non_negative;
                non_negative = node.activation.relu || inputs_non_negative;
                upper = std::min(node.activation.upper_bound,
                                 inputs_non_negative ? first.upper_bound + second.upper_bound : unbounded);
                break;
            }
            case OpKind::MaxPool:
            case OpKind::AveragePool:
            case OpKind::GlobalAveragePool:
            case OpKind::Flatten:
            case OpKind::Reshape:
                non_negative = first.non_negative;
                upper = first.upper_bound;
                break;
            case OpKind::Concat:
                non_negative = true;
                upper = 0.0;
                for (const std::string& in : node.inputs) {
                    non_negative = non_negative && graph.value(in).non_negative;
                    upper = std::max(upper, graph.value(in).upper_bound);
                }
                if (!non_negative) upper = unbounded;
                break;
            case OpKind::BatchNormalization: break;
        }
        Value& out = graph.value(node.outputs[0]);
        out.non_negative = non_negative;
        out.upper_bound = upper;
        marked += non_negative ? 1 : 0;
    }
    return marked;
}

}  // namespace dyadic::ir
