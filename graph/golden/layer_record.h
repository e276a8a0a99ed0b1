#pragma once
// A layer's description in a golden directory (docs/golden.md, "Layers"): its attributes
// (geometry, output type, ReLU, clamp bounds, ...) as manifest JSON, and its parameters (weight,
// bias, dyadic multipliers b and shifts c) as tensors that become files. record_layer and
// layer_op_from_record are inverses, so a golden layer can be replayed exactly.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/quant/quantized_model.h"
#include "reference/tensor.h"

namespace dyadic::golden {

struct LayerRecord {
    nlohmann::json attributes = nlohmann::json::object();
    std::vector<std::pair<std::string, Tensor>> parameters;  // role ("weight", "shifts", ...) -> tensor
};

LayerRecord record_layer(const quant::LayerOp& op);

// Rebuilds the op named `op_name` ("conv2d", ...: quant::op_name) from its attributes and its
// parameters by role; throws Error naming `what` for anything missing, unknown or out of range.
quant::LayerOp layer_op_from_record(const std::string& op_name, const nlohmann::json& attributes,
                                    const std::map<std::string, Tensor>& parameters, const std::string& what);

}  // namespace dyadic::golden
