#include "graph/sensitivity/weight_layers.h"

#include "graph/ir/mac_count.h"
#include "util/error.h"

namespace dyadic::sensitivity {

std::vector<WeightLayer> weight_layers(const ir::Graph& graph) {
    std::vector<WeightLayer> layers;
    for (const ir::NodeId id : graph.topological_order()) {
        const ir::Node& node = graph.node(id);
        if (node.op != ir::OpKind::Conv && node.op != ir::OpKind::FullyConnected) continue;
        require(!node.weight.shape.empty() && node.weight.size() > 0,
                "sensitivity: layer '" + node.name + "' has no weight");
        const Shape& out = graph.value(node.outputs.at(0)).shape;
        require(out.size() >= 2 && out[0] >= 1,
                "sensitivity: output shape of layer '" + node.name + "' is unknown (run shape inference)");
        layers.push_back(WeightLayer{id, node.name, node.op, node.weight.size(), ir::mac_count(graph, id)});
    }
    return layers;
}

}  // namespace dyadic::sensitivity
