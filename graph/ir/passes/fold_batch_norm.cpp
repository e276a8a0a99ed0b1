#include "graph/ir/passes/fold_batch_norm.h"

#include <cmath>

#include "graph/ir/passes/pattern.h"

namespace dyadic::ir {
namespace {

void fold_into(Node& layer, const BatchNormParameters& bn) {
    const int64_t channels = layer.weight.dim(0);
    const int64_t per_channel = layer.weight.size() / channels;
    if (layer.bias.empty()) layer.bias = FloatTensor(Shape{channels});
    for (int64_t o = 0; o < channels; ++o) {
        const double multiplier = double{bn.scale.data[o]} / std::sqrt(double{bn.variance.data[o]} + bn.epsilon);
        float* w = layer.weight.data.data() + o * per_channel;
        for (int64_t i = 0; i < per_channel; ++i) w[i] = static_cast<float>(double{w[i]} * multiplier);
        layer.bias.data[o] = static_cast<float>((double{layer.bias.data[o]} - double{bn.mean.data[o]}) * multiplier +
                                                double{bn.bias.data[o]});
    }
}

}  // namespace

int fold_batch_norm(Graph& graph) {
    int folded = 0;
    for (const NodeId id : graph.topological_order()) {
        const Node& bn = graph.node(id);
        if (bn.op != OpKind::BatchNormalization) continue;
        const std::optional<NodeId> layer = sole_reader_producer(graph, bn.inputs[0], id);
        if (!layer) continue;
        Node& producer = graph.node(*layer);
        const bool foldable = (producer.op == OpKind::Conv || producer.op == OpKind::FullyConnected) &&
                              !producer.activation.relu && !producer.has_residual() &&
                              producer.weight.dim(0) == bn.batch_norm.scale.size();
        if (!foldable) continue;
        fold_into(producer, bn.batch_norm);
        absorb_successor(graph, *layer, id);
        ++folded;
    }
    return folded;
}

}  // namespace dyadic::ir
