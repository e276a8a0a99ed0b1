#include "graph/quant/model_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "graph/quant/model_stats.h"

namespace dyadic::quant {
namespace {

using nlohmann::json;

json tensor_json(const TensorInfo& t) {
    return {{"name", t.name}, {"shape", t.shape}, {"type", t.type.name()}, {"scale", t.scale}};
}

json multiplier_json(const Dyadic& m) {
    return {{"b", m.mantissa}, {"c", m.shift}, {"value", std::ldexp(static_cast<double>(m.mantissa), -m.shift)}};
}

json multipliers_json(const std::vector<Dyadic>& ms) {
    json out = json::array();
    for (const Dyadic& m : ms) out.push_back(multiplier_json(m));
    return out;
}

json weight_json(const Tensor& weight) {
    const WeightStatistics s = weight_statistics(weight);
    return {{"shape", weight.shape},
            {"type", weight.type.name()},
            {"scales", weight.scales},
            {"count", s.count},
            {"min", s.min},
            {"max", s.max},
            {"mean_abs", s.mean_abs},
            {"histogram", {{"first", s.histogram_first}, {"counts", s.histogram}}}};
}

json bias_json(const Tensor& bias) {
    if (bias.shape.empty()) return nullptr;  // absent: the accumulator starts at 0
    const auto [lo, hi] = std::minmax_element(bias.data.begin(), bias.data.end());
    return {{"type", bias.type.name()},
            {"count", bias.size()},
            {"min", bias.data.empty() ? 0 : *lo},
            {"max", bias.data.empty() ? 0 : *hi},
            {"values", bias.data}};
}

json output_stage_json(const OutputStage& s) {
    return {{"multipliers", multipliers_json(s.multipliers)}, {"type", s.output_type.name()}, {"relu", s.relu}};
}

json residual_stage_json(const ResidualAddStage& s) {
    return {{"main_multipliers", multipliers_json(s.main_multipliers)},
            {"identity_multiplier", multiplier_json(s.identity_multiplier)},
            {"type", s.output_type.name()},
            {"relu", s.relu}};
}

json padding_json(int top, int left, int bottom, int right) {
    return {{"top", top}, {"left", left}, {"bottom", bottom}, {"right", right}};
}

json pool_attributes(const Pool2dParams& p) {
    return {{"kernel", {p.kernel_h, p.kernel_w}},
            {"stride", {p.stride_h, p.stride_w}},
            {"padding", padding_json(p.pad_top, p.pad_left, p.pad_bottom, p.pad_right)}};
}

// The op's own fields, added to `out` (which already holds the cost figures and tensors).
void add_op_fields(const LayerOp& op, json& out) {
    out["attributes"] = json::object();
    std::visit(
        [&out](const auto& layer) {
            using T = std::decay_t<decltype(layer)>;
            if constexpr (std::is_same_v<T, Conv2dLayer>) {
                const Conv2dParams& p = layer.params;
                out["attributes"] = {{"kernel", {layer.weight.shape.at(2), layer.weight.shape.at(3)}},
                                     {"stride", {p.stride_h, p.stride_w}},
                                     {"dilation", {p.dilation_h, p.dilation_w}},
                                     {"padding", padding_json(p.pad_top, p.pad_left, p.pad_bottom, p.pad_right)},
                                     {"groups", p.groups}};
                out["weight"] = weight_json(layer.weight);
                out["bias"] = bias_json(layer.bias);
                out["output_stage"] = layer.residual ? json(nullptr) : output_stage_json(layer.output_stage);
                out["residual_stage"] = layer.residual ? residual_stage_json(layer.residual->stage) : json(nullptr);
            } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                out["weight"] = weight_json(layer.weight);
                out["bias"] = bias_json(layer.bias);
                out["output_stage"] = output_stage_json(layer.output_stage);
            } else if constexpr (std::is_same_v<T, ResidualAddLayer>) {
                out["residual_stage"] = residual_stage_json(layer.stage);
            } else if constexpr (std::is_same_v<T, MaxPool2dLayer>) {
                out["attributes"] = pool_attributes(layer.params);
            } else if constexpr (std::is_same_v<T, AveragePool2dLayer>) {
                out["attributes"] = pool_attributes(layer.params);
                out["attributes"]["count_include_pad"] = layer.stage.count_include_pad;
                out["multiplier_by_count"] = multipliers_json(layer.stage.multiplier_by_count);
                out["output_type"] = layer.stage.output_type.name();
            } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) {
                out["multiplier"] = multiplier_json(layer.multiplier);
                out["output_type"] = layer.output_type.name();
            } else if constexpr (std::is_same_v<T, ConcatLayer>) {
                out["multipliers"] = multipliers_json(layer.multipliers);
                out["output_type"] = layer.output_type.name();
            } else if constexpr (std::is_same_v<T, RequantizeLayer>) {
                out["multiplier"] = multiplier_json(layer.multiplier);
                out["output_type"] = layer.output_type.name();
            } else if constexpr (std::is_same_v<T, FlattenLayer>) {
                // no attributes: [N, ...] -> [N, product]
            } else {
                static_assert(std::is_same_v<T, ReshapeLayer>, "model_json: unhandled layer type");
                out["attributes"] = {{"shape", layer.shape}};
            }
        },
        op);
}

}  // namespace

std::string model_json(const QuantizedModel& model) {
    const auto tensor = [&model](TensorId id) { return tensor_json(model.tensors.at(static_cast<size_t>(id))); };
    json doc = json::parse(stats_json(model_stats(model)));
    json& layers = doc["layers"];
    for (size_t i = 0; i < model.layers.size(); ++i) {
        const QuantizedLayer& layer = model.layers[i];
        json& out = layers.at(i);
        json inputs = json::array();
        for (const TensorId id : layer.inputs) inputs.push_back(tensor(id));
        out["inputs"] = inputs;
        out["output"] = tensor(layer.output);
        add_op_fields(layer.op, out);
    }
    doc["name"] = model.name;
    doc["metadata"] = model.metadata;
    doc["input"] = tensor(model.input);
    json tensors = json::array();
    for (const TensorInfo& t : model.tensors) tensors.push_back(tensor_json(t));
    doc["tensors"] = tensors;
    json outputs = json::array();
    for (const TensorId id : model.outputs) outputs.push_back(model.tensors.at(static_cast<size_t>(id)).name);
    doc["outputs"] = outputs;
    return doc.dump(2) + "\n";
}

}  // namespace dyadic::quant
