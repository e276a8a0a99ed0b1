#pragma once
// Checks `dyadic inspect --json` (quant::model_json) against the model's own fields, layer by
// layer, with statistics recomputed here by plain loops: every attribute, multiplier (b, c),
// scale, bias value and weight statistic must be what the model holds.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"

namespace dyadic::quant::testing {

inline void check_tensor_json(const nlohmann::json& j, const TensorInfo& t) {
    CHECK(j.at("name") == t.name);
    CHECK(j.at("shape").get<Shape>() == t.shape);
    CHECK(j.at("type") == t.type.name());
    CHECK(j.at("scale").get<double>() == t.scale);
}

inline void check_multiplier_json(const nlohmann::json& j, const Dyadic& m) {
    CHECK(j.at("b").get<int64_t>() == m.mantissa);
    CHECK(j.at("c").get<int64_t>() == m.shift);
    CHECK(j.at("value").get<double>() == static_cast<double>(m.mantissa) / std::pow(2.0, m.shift));
}

inline void check_multipliers_json(const nlohmann::json& j, const std::vector<Dyadic>& ms) {
    REQUIRE(j.size() == ms.size());
    for (size_t i = 0; i < ms.size(); ++i) check_multiplier_json(j.at(i), ms[i]);
}

inline void check_weight_json(const nlohmann::json& j, const Tensor& w) {
    CHECK(j.at("shape").get<Shape>() == w.shape);
    CHECK(j.at("type") == w.type.name());
    CHECK(j.at("scales").get<std::vector<double>>() == w.scales);
    CHECK(j.at("count").get<int64_t>() == w.size());
    int32_t lo = w.data.at(0), hi = w.data.at(0);
    int64_t sum_abs = 0;
    std::map<int64_t, int64_t> counts;
    for (const int32_t v : w.data) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum_abs += std::llabs(v);
        ++counts[v];
    }
    CHECK(j.at("min").get<int64_t>() == lo);
    CHECK(j.at("max").get<int64_t>() == hi);
    CHECK(j.at("mean_abs").get<double>() == static_cast<double>(sum_abs) / static_cast<double>(w.size()));
    const nlohmann::json& histogram = j.at("histogram");
    const int64_t first = histogram.at("first").get<int64_t>();
    const std::vector<int64_t> bins = histogram.at("counts").get<std::vector<int64_t>>();
    CHECK(first == -(int64_t{1} << (w.type.bits - 1)));  // weights are signed
    REQUIRE(static_cast<int64_t>(bins.size()) == (int64_t{1} << w.type.bits));
    for (size_t i = 0; i < bins.size(); ++i) {
        const int64_t value = first + static_cast<int64_t>(i);
        const auto it = counts.find(value);
        INFO("weight value " << value);
        CHECK(bins[i] == (it == counts.end() ? 0 : it->second));
    }
}

inline void check_bias_json(const nlohmann::json& j, const Tensor& bias) {
    if (bias.shape.empty()) {
        CHECK(j.is_null());
        return;
    }
    REQUIRE(j.is_object());
    CHECK(j.at("type") == "int32");
    CHECK(j.at("count").get<int64_t>() == bias.size());
    CHECK(j.at("values").get<std::vector<int32_t>>() == bias.data);
    int64_t lo = bias.data.at(0), hi = bias.data.at(0);
    for (const int32_t v : bias.data) lo = std::min<int64_t>(lo, v), hi = std::max<int64_t>(hi, v);
    CHECK(j.at("min").get<int64_t>() == lo);
    CHECK(j.at("max").get<int64_t>() == hi);
}

inline void check_output_stage_json(const nlohmann::json& j, const OutputStage& s) {
    check_multipliers_json(j.at("multipliers"), s.multipliers);
    CHECK(j.at("type") == s.output_type.name());
    CHECK(j.at("relu").get<bool>() == s.relu);
}

inline void check_residual_stage_json(const nlohmann::json& j, const ResidualAddStage& s) {
    check_multipliers_json(j.at("main_multipliers"), s.main_multipliers);
    check_multiplier_json(j.at("identity_multiplier"), s.identity_multiplier);
    CHECK(j.at("type") == s.output_type.name());
    CHECK(j.at("relu").get<bool>() == s.relu);
}

inline void check_padding_json(const nlohmann::json& j, int top, int left, int bottom, int right) {
    CHECK(j.at("top") == top);
    CHECK(j.at("left") == left);
    CHECK(j.at("bottom") == bottom);
    CHECK(j.at("right") == right);
}

inline void check_pool_json(const nlohmann::json& a, const Pool2dParams& p) {
    CHECK(a.at("kernel") == nlohmann::json{p.kernel_h, p.kernel_w});
    CHECK(a.at("stride") == nlohmann::json{p.stride_h, p.stride_w});
    check_padding_json(a.at("padding"), p.pad_top, p.pad_left, p.pad_bottom, p.pad_right);
}

// Every layer of `doc` against `model`, and the document's other parts. Returns how many layers
// of each op were checked, so a caller can insist that its model covers the ops it means to.
inline std::map<std::string, int> check_inspect_json(const nlohmann::json& doc, const QuantizedModel& model) {
    const auto info = [&model](TensorId id) -> const TensorInfo& { return model.tensors.at(static_cast<size_t>(id)); };
    CHECK(doc.at("name") == model.name);
    CHECK(doc.at("metadata").get<std::map<std::string, std::string>>() == model.metadata);
    check_tensor_json(doc.at("input"), info(model.input));
    REQUIRE(doc.at("tensors").size() == model.tensors.size());
    for (size_t i = 0; i < model.tensors.size(); ++i) check_tensor_json(doc.at("tensors").at(i), model.tensors[i]);
    REQUIRE(doc.at("outputs").size() == model.outputs.size());
    for (size_t i = 0; i < model.outputs.size(); ++i) CHECK(doc.at("outputs").at(i) == info(model.outputs[i]).name);
    for (const char* key : {"macs", "weight_size_bits", "bias_size_bits", "bops"}) CHECK(doc.at("total").contains(key));

    std::map<std::string, int> ops;
    const nlohmann::json& layers = doc.at("layers");
    REQUIRE(layers.size() == model.layers.size());
    for (size_t i = 0; i < model.layers.size(); ++i) {
        const QuantizedLayer& layer = model.layers[i];
        const nlohmann::json& j = layers.at(i);
        INFO("layer " << layer.name);
        CHECK(j.at("name") == layer.name);
        // The cost figures inspect has always printed stay under their names.
        for (const char* key : {"output_shape", "weight_bits", "activation_bits", "output_bits", "macs",
                                "weight_size_bits", "bias_size_bits", "bops"}) {
            CHECK(j.contains(key));
        }
        CHECK(j.at("output_shape").get<Shape>() == info(layer.output).shape);
        REQUIRE(j.at("inputs").size() == layer.inputs.size());
        for (size_t k = 0; k < layer.inputs.size(); ++k) check_tensor_json(j.at("inputs").at(k), info(layer.inputs[k]));
        check_tensor_json(j.at("output"), info(layer.output));
        const nlohmann::json& a = j.at("attributes");
        const std::string op = j.at("op");
        ++ops[op];
        if (const auto* conv = std::get_if<Conv2dLayer>(&layer.op)) {
            CHECK(op == "conv2d");
            const Conv2dParams& p = conv->params;
            CHECK(a.at("kernel") == nlohmann::json{conv->weight.shape[2], conv->weight.shape[3]});
            CHECK(a.at("stride") == nlohmann::json{p.stride_h, p.stride_w});
            CHECK(a.at("dilation") == nlohmann::json{p.dilation_h, p.dilation_w});
            check_padding_json(a.at("padding"), p.pad_top, p.pad_left, p.pad_bottom, p.pad_right);
            CHECK(a.at("groups") == p.groups);
            check_weight_json(j.at("weight"), conv->weight);
            check_bias_json(j.at("bias"), conv->bias);
            if (conv->residual) {
                CHECK(j.at("output_stage").is_null());
                check_residual_stage_json(j.at("residual_stage"), conv->residual->stage);
            } else {
                CHECK(j.at("residual_stage").is_null());
                check_output_stage_json(j.at("output_stage"), conv->output_stage);
            }
        } else if (const auto* fc = std::get_if<FullyConnectedLayer>(&layer.op)) {
            CHECK(op == "fully_connected");
            check_weight_json(j.at("weight"), fc->weight);
            check_bias_json(j.at("bias"), fc->bias);
            check_output_stage_json(j.at("output_stage"), fc->output_stage);
        } else if (const auto* add = std::get_if<ResidualAddLayer>(&layer.op)) {
            CHECK(op == "residual_add");
            check_residual_stage_json(j.at("residual_stage"), add->stage);
        } else if (const auto* max_pool = std::get_if<MaxPool2dLayer>(&layer.op)) {
            CHECK(op == "max_pool2d");
            check_pool_json(a, max_pool->params);
        } else if (const auto* avg = std::get_if<AveragePool2dLayer>(&layer.op)) {
            CHECK(op == "average_pool2d");
            check_pool_json(a, avg->params);
            CHECK(a.at("count_include_pad").get<bool>() == avg->stage.count_include_pad);
            check_multipliers_json(j.at("multiplier_by_count"), avg->stage.multiplier_by_count);
            CHECK(j.at("output_type") == avg->stage.output_type.name());
        } else if (const auto* gap = std::get_if<GlobalAveragePoolLayer>(&layer.op)) {
            CHECK(op == "global_average_pool");
            check_multiplier_json(j.at("multiplier"), gap->multiplier);
            CHECK(j.at("output_type") == gap->output_type.name());
        } else if (const auto* concat = std::get_if<ConcatLayer>(&layer.op)) {
            CHECK(op == "concat");
            check_multipliers_json(j.at("multipliers"), concat->multipliers);
            CHECK(j.at("output_type") == concat->output_type.name());
        } else if (const auto* requantize = std::get_if<RequantizeLayer>(&layer.op)) {
            CHECK(op == "requantize");
            check_multiplier_json(j.at("multiplier"), requantize->multiplier);
            CHECK(j.at("output_type") == requantize->output_type.name());
        } else if (std::holds_alternative<FlattenLayer>(layer.op)) {
            CHECK(op == "flatten");
            CHECK(a.empty());
        } else {
            CHECK(op == "reshape");
            CHECK(a.at("shape").get<Shape>() == std::get<ReshapeLayer>(layer.op).shape);
        }
    }
    return ops;
}

}  // namespace dyadic::quant::testing
