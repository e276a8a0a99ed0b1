#pragma once
// A whole integer model (graph/quant's QuantizedModel) on the simulated accelerator, layer by
// layer (docs/accelerator.md, "Whole networks"). Each layer's output feeds the next; with
// `verify`, every layer's output is compared with quant::run_layer (the reference) using == and
// the run stops at the first mismatch, naming the layer and the element's coordinates.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"
#include "util/error.h"
#include "reference/tensor.h"
#include "sim/accel_config.h"
#include "sim/layer_stats.h"
#include "sim/simulator.h"

namespace dyadic::sim {

// The simulator's result for one layer of the integer model. Flatten and reshape only relabel the
// shape and take no cycles.
LayerResult simulate_layer(Simulator& simulator, const quant::QuantizedLayer& layer,
                           const std::vector<const Tensor*>& inputs);

// Thrown by simulate_model with verify at the first element that differs from the reference.
class MismatchError : public Error {
public:
    MismatchError(const std::string& message, std::string layer_name, size_t layer_index, Shape coordinates)
        : Error(message), layer(std::move(layer_name)), index(layer_index), at(std::move(coordinates)) {}
    std::string layer;
    size_t index;
    Shape at;  // element coordinates; empty when shapes or types differ
};

// Compares `simulated` with quant::run_layer(layer, inputs) using ==; throws MismatchError at the
// first differing element (or a shape/type difference).
void verify_layer_output(const quant::QuantizedLayer& layer, size_t layer_index, const std::vector<const Tensor*>& inputs,
                         const Tensor& simulated);

struct NetworkOptions {
    bool verify = false;
    // Called after each layer with its index, the number of layers and its statistics.
    std::function<void(size_t, size_t, const LayerStats&)> on_layer;
};

struct NetworkReport {
    std::string model;
    bool verified = false;  // every layer was compared with the reference and equal
    std::vector<LayerStats> layers;
    std::vector<Shape> output_shapes;  // per layer
    LayerStats total;
    std::vector<Tensor> outputs;  // the model outputs
};

NetworkReport simulate_model(Simulator& simulator, const quant::QuantizedModel& model, const Tensor& quantized_input,
                             const NetworkOptions& options = {});

// A deterministic pseudo-random input of the model's input type and shape (batch `batch`), for
// runs without real data: timing does not depend on values, and verification wants varied ones.
Tensor random_model_input(const quant::QuantizedModel& model, uint64_t seed, int64_t batch = 1);

// The report as JSON (docs/accelerator.md, "Reported numbers").
std::string report_json(const NetworkReport& report, const AccelConfig& config);

}  // namespace dyadic::sim
