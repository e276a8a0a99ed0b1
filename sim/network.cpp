#include "sim/network.h"

#include <nlohmann/json.hpp>

#include "graph/quant/integer_executor.h"
#include "graph/verify/tensor_diff.h"
#include "sim/energy_json.h"
#include "sim/sim_backend.h"

namespace dyadic::sim {

void verify_layer_output(const quant::QuantizedLayer& layer, size_t index, const std::vector<const Tensor*>& inputs,
                         const Tensor& simulated) {
    const verify::TensorDiff diff = verify::diff_tensors(quant::run_layer(layer, inputs), simulated);
    if (diff.equal()) return;
    throw MismatchError("layer " + std::to_string(index) + " '" + layer.name + "' (" + quant::op_name(layer.op) +
                            "): simulator differs from the reference: " + verify::describe(diff),
                        layer.name, index, diff.first_at);
}

namespace {

nlohmann::json energy_json(const EnergyBreakdown& e) {
    nlohmann::json j = energy_breakdown_json(e);
    j["total"] = e.total_pj();
    return j;
}

// What the energy model priced: MAC operations by mode, bytes per on-chip memory, PPU elements.
nlohmann::json events_json(const LayerStats& s) {
    nlohmann::json macs, memories;
    for (int m = 0; m < kMacModes; ++m) macs[mac_mode_name(static_cast<MacMode>(m))] = s.mac_ops[static_cast<size_t>(m)];
    for (int m = 0; m < kOnChipMemories; ++m) {
        const OnChipMemory memory = static_cast<OnChipMemory>(m);
        memories[memory_name(memory)] = {{"read_bytes", s.traffic(memory).read_bytes},
                                         {"write_bytes", s.traffic(memory).write_bytes}};
    }
    return {{"mac_ops", macs}, {"on_chip_bytes", memories}, {"ppu_ops", s.ppu_ops}};
}

nlohmann::json stats_json(const LayerStats& s, double clock_mhz) {
    nlohmann::json j;
    j["cycles"] = {{"total", s.total_cycles},
                   {"compute", s.compute_cycles},
                   {"fill_drain", s.fill_drain_cycles},
                   {"memory_stall", s.memory_stall_cycles},
                   {"post_processing", s.post_processing_cycles}};
    j["latency_ms"] = static_cast<double>(s.total_cycles) / (clock_mhz * 1000.0);
    j["macs"] = s.macs;
    j["utilisation"] = s.utilisation;
    j["dram_read_bytes"] = s.dram_read_bytes;
    j["dram_write_bytes"] = s.dram_write_bytes;
    j["energy_pj"] = energy_json(s.energy);
    j["events"] = events_json(s);
    return j;
}

}  // namespace

NetworkReport simulate_model(Simulator& simulator, const quant::QuantizedModel& model, const Tensor& quantized_input,
                             const NetworkOptions& options) {
    NetworkReport report;
    report.model = model.name;
    report.total.name = model.name;
    report.total.op = "model";
    size_t index = 0;
    const int64_t array_peak = int64_t{simulator.config().array_rows} * simulator.config().array_cols;
    double capacity = 0;  // sum over layers of peak MACs per cycle x cycles
    LayerStats stats;
    SimBackend backend(simulator, [&](const LayerStats& s) { stats = s; });
    const quant::LayerRunner runner = [&](const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
        // Flatten and reshape only relabel the shape: no block of the accelerator runs, no cycles.
        stats = LayerStats{};
        stats.name = layer.name;
        stats.op = quant::op_name(layer.op);
        Tensor output = backend.run_layer(layer, inputs);
        if (options.verify) verify_layer_output(layer, index, inputs, output);
        accumulate(report.total, stats);
        const int64_t peak = stats.peak_macs_per_cycle > 0 ? stats.peak_macs_per_cycle : array_peak;
        capacity += static_cast<double>(peak) * static_cast<double>(stats.total_cycles);
        if (options.on_layer) options.on_layer(index, model.layers.size(), stats);
        report.layers.push_back(stats);
        report.output_shapes.push_back(output.shape);
        ++index;
        return output;
    };
    report.outputs = quant::run_model(model, quantized_input, {}, runner);
    report.verified = options.verify;
    // Each layer's cycles count at that layer's peak (its precision); layers without the array at
    // the 8-bit peak R x C.
    report.total.peak_macs_per_cycle = array_peak;
    report.total.utilisation = capacity > 0 ? static_cast<double>(report.total.macs) / capacity : 0.0;
    return report;
}

std::string report_json(const NetworkReport& report, const AccelConfig& config) {
    nlohmann::json j;
    j["model"] = report.model;
    j["backend"] = "sim";
    j["config"] = nlohmann::json::parse(to_json_text(config));
    j["unit"] = "cycles";
    j["clock_mhz"] = config.clock_mhz;
    j["verified"] = report.verified;
    nlohmann::json layers = nlohmann::json::array();
    for (size_t i = 0; i < report.layers.size(); ++i) {
        const LayerStats& s = report.layers[i];
        nlohmann::json l = stats_json(s, config.clock_mhz);
        l["name"] = s.name;
        l["op"] = s.op;
        if (!s.precision.empty()) l["bits"] = s.precision;
        if (!s.mapping.empty()) l["mapping"] = s.mapping;
        l["output_shape"] = report.output_shapes[i];
        layers.push_back(l);
    }
    j["layers"] = layers;
    j["total"] = stats_json(report.total, config.clock_mhz);
    return j.dump(2);
}

}  // namespace dyadic::sim
