#include "graph/ir/mac_count.h"

#include "util/checked.h"
#include "util/error.h"

namespace dyadic::ir {

int64_t mac_count(const Graph& graph, NodeId id) {
    const Node& node = graph.node(id);
    if (node.op != OpKind::Conv && node.op != OpKind::FullyConnected) return 0;
    const Shape& out = graph.value(node.outputs.at(0)).shape;
    require(!out.empty() && out[0] > 0, "mac_count: node '" + node.name + "' has no inferred output shape");
    const int64_t per_output = element_count(node.weight.shape) / node.weight.dim(0);  // C_in/groups*KH*KW, or K
    return checked_mul(element_count(out) / out[0], per_output, "MAC count of node '" + node.name + "'");
}

int64_t total_mac_count(const Graph& graph) {
    int64_t total = 0;
    for (const NodeId id : graph.nodes()) total = checked_add(total, mac_count(graph, id), "total MAC count");
    return total;
}

}  // namespace dyadic::ir
