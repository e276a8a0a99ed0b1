#include "sim/network.h"

#include <random>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "graph/quant/integer_executor.h"

namespace dyadic::sim {

void verify_layer_output(const quant::QuantizedLayer& layer, size_t index, const std::vector<const Tensor*>& inputs,
                         const Tensor& simulated) {
    const Tensor expected = quant::run_layer(layer, inputs);
    const std::string where = "layer " + std::to_string(index) + " '" + layer.name + "' (" + quant::op_name(layer.op) + ")";
    if (simulated.shape != expected.shape || simulated.type != expected.type) {
        throw MismatchError(where + ": simulator output " + to_string(simulated.shape) + " " + simulated.type.name() +
                                " differs from the reference's " + to_string(expected.shape) + " " + expected.type.name(),
                            layer.name, index, {});
    }
    for (size_t i = 0; i < expected.data.size(); ++i) {
        if (simulated.data[i] != expected.data[i]) {
            const Shape at = unravel_index(static_cast<int64_t>(i), expected.shape);
            throw MismatchError(where + ": first mismatch at " + to_string(at) + ": simulator " +
                                    std::to_string(simulated.data[i]) + ", reference " + std::to_string(expected.data[i]),
                                layer.name, index, at);
        }
    }
}

namespace {

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
    return j;
}

}  // namespace

LayerResult simulate_layer(Simulator& simulator, const quant::QuantizedLayer& layer,
                           const std::vector<const Tensor*>& inputs) {
    require(inputs.size() == layer.inputs.size(), "layer '" + layer.name + "': expects " +
                                                      std::to_string(layer.inputs.size()) + " inputs, got " +
                                                      std::to_string(inputs.size()));
    for (const Tensor* input : inputs) require(input != nullptr, "layer '" + layer.name + "': missing input");
    const auto arity = [&](size_t count) {
        require(inputs.size() == count, "layer '" + layer.name + "' (" + quant::op_name(layer.op) + "): expects " +
                                            std::to_string(count) + " inputs, has " + std::to_string(inputs.size()));
    };
    LayerResult result = std::visit(
        [&](const auto& op) -> LayerResult {
            using T = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<T, quant::Conv2dLayer>) {
                if (!op.residual) {
                    arity(1);
                    return simulator.conv2d(*inputs[0], op.weight, op.bias, op.params, op.output_stage, layer.name);
                }
                arity(2);
                return simulator.conv2d_residual(*inputs[0], op.weight, op.bias, op.params, op.residual->stage,
                                                 *inputs[1], layer.name);
            } else if constexpr (std::is_same_v<T, quant::FullyConnectedLayer>) {
                arity(1);
                return simulator.fully_connected(*inputs[0], op.weight, op.bias, op.output_stage, layer.name);
            } else if constexpr (std::is_same_v<T, quant::ResidualAddLayer>) {
                arity(2);
                return simulator.residual_add(*inputs[0], *inputs[1], op.stage, layer.name);
            } else if constexpr (std::is_same_v<T, quant::MaxPool2dLayer>) {
                arity(1);
                return simulator.max_pool2d(*inputs[0], op.params, layer.name);
            } else if constexpr (std::is_same_v<T, quant::AveragePool2dLayer>) {
                arity(1);
                return simulator.average_pool2d(*inputs[0], op.params, op.stage, layer.name);
            } else if constexpr (std::is_same_v<T, quant::GlobalAveragePoolLayer>) {
                arity(1);
                return simulator.global_average_pool(*inputs[0], op.multiplier, op.output_type, layer.name);
            } else if constexpr (std::is_same_v<T, quant::ConcatLayer>) {
                return simulator.concat_channels(inputs, op.multipliers, op.output_type, layer.name);
            } else if constexpr (std::is_same_v<T, quant::RequantizeLayer>) {
                // A one-input concat: the post-processing unit rescales and clamps each element.
                arity(1);
                LayerResult r = simulator.concat_channels(inputs, {op.multiplier}, op.output_type, layer.name);
                r.stats.op = "requantize";
                return r;
            } else {
                static_assert(std::is_same_v<T, quant::FlattenLayer> || std::is_same_v<T, quant::ReshapeLayer>,
                              "simulate_layer: unhandled layer type");
                // Flatten and reshape only relabel the shape: no block of the accelerator touches
                // the data, so the integer model's own view of them is the accelerator's too.
                arity(1);
                LayerResult r;
                r.output = quant::run_layer(layer, inputs);
                r.stats.op = std::is_same_v<T, quant::FlattenLayer> ? "flatten" : "reshape";
                return r;
            }
        },
        layer.op);
    result.stats.name = layer.name;
    return result;
}

NetworkReport simulate_model(Simulator& simulator, const quant::QuantizedModel& model, const Tensor& quantized_input,
                             const NetworkOptions& options) {
    NetworkReport report;
    report.model = model.name;
    report.total.name = model.name;
    report.total.op = "model";
    size_t index = 0;
    const int64_t array_peak = int64_t{simulator.config().array_rows} * simulator.config().array_cols;
    double capacity = 0;  // sum over layers of peak MACs per cycle x cycles
    const quant::LayerRunner runner = [&](const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
        LayerResult r = simulate_layer(simulator, layer, inputs);
        if (options.verify) verify_layer_output(layer, index, inputs, r.output);
        accumulate(report.total, r.stats);
        const int64_t peak = r.stats.peak_macs_per_cycle > 0 ? r.stats.peak_macs_per_cycle : array_peak;
        capacity += static_cast<double>(peak) * static_cast<double>(r.stats.total_cycles);
        if (options.on_layer) options.on_layer(index, model.layers.size(), r.stats);
        report.layers.push_back(r.stats);
        report.output_shapes.push_back(r.output.shape);
        ++index;
        return std::move(r.output);
    };
    report.outputs = quant::run_model(model, quantized_input, {}, runner);
    report.verified = options.verify;
    // Each layer's cycles count at that layer's peak (its precision); layers without the array at
    // the 8-bit peak R x C.
    report.total.peak_macs_per_cycle = array_peak;
    report.total.utilisation = capacity > 0 ? static_cast<double>(report.total.macs) / capacity : 0.0;
    return report;
}

Tensor random_model_input(const quant::QuantizedModel& model, uint64_t seed, int64_t batch) {
    require(model.input >= 0 && static_cast<size_t>(model.input) < model.tensors.size(), "model: input tensor id out of range");
    const quant::TensorInfo& info = model.tensors[static_cast<size_t>(model.input)];
    require(!info.shape.empty(), "model: the input has no shape");
    Shape shape = info.shape;
    shape[0] = batch;
    Tensor t(shape, info.type);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> dist(info.type.min(), info.type.max());
    for (int32_t& v : t.data) v = static_cast<int32_t>(dist(rng));
    t.scales = {info.scale};
    return t;
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
