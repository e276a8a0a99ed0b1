#include "gpu/latency_table.h"

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace dyadic::gpu {
namespace {

Tensor random_tensor(Shape shape, IntType type, std::mt19937& rng) {
    Tensor t(std::move(shape), type);
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    for (auto& v : t.data) v = static_cast<int32_t>(dist(rng));
    return t;
}

// The output type at a candidate: activation bits, unless the model's output is wider.
IntType candidate_output(const IntType& model_type, int activation_bits) {
    return model_type.bits > 8 ? model_type : IntType{activation_bits, model_type.is_signed};
}

}  // namespace

std::vector<LatencyLayer> measure_latency_table(GpuBackend& backend, const quant::QuantizedModel& model,
                                                const std::vector<LatencyCandidate>& candidates,
                                                const LatencyTiming& timing,
                                                const std::function<void(size_t, size_t)>& progress) {
    require(backend.unavailable_reason().empty(), "gpu: " + backend.unavailable_reason());
    require(timing.batch >= 1 && timing.repeats >= 1 && timing.warmup >= 0, "gpu latency: bad batch or repeat count");
    std::mt19937 rng(1);
    std::vector<LatencyLayer> rows;
    for (size_t index = 0; index < model.layers.size(); ++index) {
        const quant::QuantizedLayer& layer = model.layers[index];
        const bool is_conv = std::holds_alternative<quant::Conv2dLayer>(layer.op);
        if (!is_conv && !std::holds_alternative<quant::FullyConnectedLayer>(layer.op)) continue;
        LatencyLayer row{layer.name, quant::op_name(layer.op), {}};
        for (const LatencyCandidate& candidate : candidates) {
            quant::QuantizedLayer retyped = layer;
            std::vector<Tensor> inputs;
            for (size_t i = 0; i < layer.inputs.size(); ++i) {
                const quant::TensorInfo& info = model.tensors[static_cast<size_t>(layer.inputs[i])];
                Shape shape = info.shape;
                shape[0] = timing.batch;
                // Input 0 is the activation; input 1 (a fused residual's identity) keeps the model's type.
                const IntType type = i == 0 ? IntType{candidate.activation_bits, info.type.is_signed} : info.type;
                inputs.push_back(random_tensor(shape, type, rng));
            }
            if (auto* conv = std::get_if<quant::Conv2dLayer>(&retyped.op)) {
                conv->weight = random_tensor(conv->weight.shape, IntType::signed_bits(candidate.weight_bits), rng);
                if (conv->residual) {
                    conv->residual->stage.output_type = candidate_output(conv->residual->stage.output_type, candidate.activation_bits);
                } else {
                    conv->output_stage.output_type = candidate_output(conv->output_stage.output_type, candidate.activation_bits);
                }
            } else {
                auto& fc = std::get<quant::FullyConnectedLayer>(retyped.op);
                fc.weight = random_tensor(fc.weight.shape, IntType::signed_bits(candidate.weight_bits), rng);
                fc.output_stage.output_type = candidate_output(fc.output_stage.output_type, candidate.activation_bits);
            }
            std::vector<const Tensor*> pointers;
            for (const Tensor& t : inputs) pointers.push_back(&t);
            row.candidates.push_back({candidate.label, backend.time_layer_ms(retyped, pointers, timing.warmup, timing.repeats)});
        }
        rows.push_back(std::move(row));
        if (progress) progress(index + 1, model.layers.size());
    }
    return rows;
}

std::string latency_table_json(const std::string& model_name, const std::string& device, const LatencyTiming& timing,
                               const std::vector<LatencyLayer>& rows) {
    nlohmann::ordered_json json;
    json["backend"] = "gpu";
    json["config"] = {{"device", device}, {"batch", timing.batch}, {"warmup", timing.warmup}, {"repeats", timing.repeats},
                      {"statistic", "median of CUDA-event times of the layer's kernels"}};
    json["unit"] = "ns";
    json["clock_mhz"] = 1000;
    json["model"] = model_name;
    json["layers"] = nlohmann::ordered_json::array();
    for (const LatencyLayer& row : rows) {
        nlohmann::ordered_json layer{{"name", row.name}, {"op", row.op}, {"candidates", nlohmann::ordered_json::array()}};
        for (const LatencyCell& cell : row.candidates) {
            layer["candidates"].push_back(
                {{"bits", cell.label}, {"cycles", std::llround(cell.latency_ms * 1e6)}, {"latency_ms", cell.latency_ms}});
        }
        json["layers"].push_back(std::move(layer));
    }
    return json.dump(2);
}

}  // namespace dyadic::gpu
