#pragma once
// The layers whose weights get a bit width: every Conv and FullyConnected node of the IR, in
// topological order, with the sizes the sensitivity and the bit-allocation costs need.
// Header is C++17.
#include <cstdint>
#include <string>
#include <vector>

#include "graph/ir/graph.h"

namespace dyadic::sensitivity {

struct WeightLayer {
    ir::NodeId node;
    std::string name;      // the node's name (ONNX node name)
    ir::OpKind op;         // Conv or FullyConnected
    int64_t n_params = 0;  // weight elements (bias excluded: it stays int32 whatever the bits)
    int64_t macs = 0;      // multiply-accumulates for one image
};

// Conv and FullyConnected nodes in topological order. The graph's value shapes must be set
// (ir::infer_shapes); throws Error naming the layer when its output shape is unknown.
std::vector<WeightLayer> weight_layers(const ir::Graph& graph);

}  // namespace dyadic::sensitivity
