#include "sim/latency_table.h"

#include <cstdio>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "sim/energy_json.h"
#include "sim/simulator.h"

namespace dyadic::sim {

std::vector<LatencyRow> build_latency_table(const quant::QuantizedModel& model, const AccelConfig& config,
                                            const std::vector<BitCandidate>& candidates,
                                            const std::function<void(size_t, size_t)>& progress) {
    Simulator simulator(config);
    std::vector<LatencyRow> rows;
    const auto info = [&](quant::TensorId id) -> const quant::TensorInfo& {
        require(id >= 0 && static_cast<size_t>(id) < model.tensors.size(), "model: tensor id out of range");
        return model.tensors[static_cast<size_t>(id)];
    };
    for (size_t i = 0; i < model.layers.size(); ++i) {
        const quant::QuantizedLayer& layer = model.layers[i];
        if (progress) progress(i, model.layers.size());
        const Tensor* weight = quant::weight_of(layer);
        if (weight == nullptr) continue;
        require(!layer.inputs.empty(), "layer '" + layer.name + "' has no input");
        ConvTimingSpec spec;
        spec.name = layer.name;
        spec.weight = weight->shape;
        spec.input = info(layer.inputs[0]).shape;
        const IntType model_input = info(layer.inputs[0]).type;
        const IntType model_output = info(layer.output).type;
        if (const auto* conv = std::get_if<quant::Conv2dLayer>(&layer.op)) {
            spec.params = conv->params;
            if (conv->residual) {
                require(layer.inputs.size() == 2, "layer '" + layer.name + "': a fused residual needs an identity input");
                spec.identity_type = info(layer.inputs[1]).type;
            }
        } else {
            spec.fully_connected = true;
        }
        LatencyRow row;
        row.name = layer.name;
        row.op = spec.fully_connected ? "fully_connected" : "conv2d";
        for (const BitCandidate& c : candidates) {
            spec.weight_type = IntType::signed_bits(c.weight_bits);
            spec.input_type = IntType{c.activation_bits, model_input.is_signed};
            spec.output_type = model_output.bits > 8 ? model_output : IntType{c.activation_bits, model_output.is_signed};
            const LayerStats stats = simulator.time_conv(spec);
            row.candidates.push_back(LatencyEntry{c.label, stats.total_cycles,
                                                  static_cast<double>(stats.total_cycles) / (config.clock_mhz * 1000.0),
                                                  stats.energy});
        }
        rows.push_back(row);
    }
    if (progress) progress(model.layers.size(), model.layers.size());
    return rows;
}

std::string latency_table_json(const std::string& model_name, const AccelConfig& config,
                               const std::vector<LatencyRow>& rows) {
    nlohmann::json j;
    j["backend"] = "sim";
    j["config"] = nlohmann::json::parse(to_json_text(config));
    j["unit"] = "cycles";
    j["clock_mhz"] = config.clock_mhz;
    j["model"] = model_name;
    nlohmann::json layers = nlohmann::json::array();
    for (const LatencyRow& row : rows) {
        nlohmann::json candidates = nlohmann::json::array();
        for (const LatencyEntry& e : row.candidates) {
            candidates.push_back({{"bits", e.label},
                                  {"cycles", e.cycles},
                                  {"latency_ms", e.latency_ms},
                                  {"energy_pj", e.energy.total_pj()},
                                  {"energy_breakdown_pj", energy_breakdown_json(e.energy)}});
        }
        layers.push_back({{"name", row.name}, {"op", row.op}, {"candidates", candidates}});
    }
    j["layers"] = layers;
    return j.dump(2);
}

std::string latency_table_text(const std::vector<LatencyRow>& rows) {
    std::string text;
    char line[256];
    std::snprintf(line, sizeof line, "%-28s %-6s %11s %11s %10s %10s %10s %9s %9s\n", "layer", "bits", "cycles",
                  "energy nJ", "MAC nJ", "SRAM nJ", "DRAM nJ", "PPU nJ", "stat nJ");
    text += line;
    for (const LatencyRow& row : rows) {
        for (const LatencyEntry& e : row.candidates) {
            std::snprintf(line, sizeof line, "%-28s %-6s %11lld %11.1f %10.1f %10.1f %10.1f %9.1f %9.1f\n", row.name.c_str(),
                          e.label.c_str(), static_cast<long long>(e.cycles), e.energy.total_pj() / 1e3,
                          e.energy.compute_pj / 1e3, e.energy.scratchpads_pj / 1e3, e.energy.dram_pj / 1e3,
                          e.energy.ppu_pj / 1e3, e.energy.static_pj / 1e3);
            text += line;
        }
    }
    return text;
}

}  // namespace dyadic::sim
