#pragma once
// A whole integer model (graph/quant's QuantizedModel) on the simulated accelerator, layer by
// layer (docs/accelerator.md, "Whole networks"), through the sim backend (sim/sim_backend.h).
// Each layer's output feeds the next; with `verify`, every layer's output is compared with
// quant::run_layer (the reference) by graph/verify's one comparison, and the run stops at the
// first differing layer, naming the layer and the first differing element's coordinates.
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

// Thrown by simulate_model with verify at the first element that differs from the reference.
class MismatchError : public Error {
public:
    MismatchError(const std::string& message, std::string layer_name, size_t layer_index, Shape coordinates)
        : Error(message), layer(std::move(layer_name)), index(layer_index), at(std::move(coordinates)) {}
    std::string layer;
    size_t index;
    Shape at;  // element coordinates; empty when shapes or types differ
};

// Compares `simulated` with quant::run_layer(layer, inputs) (verify::diff_tensors); throws
// MismatchError naming the first differing element, the count and the largest difference (or the
// shape/type difference).
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

// The report as JSON (docs/accelerator.md, "Reported numbers").
std::string report_json(const NetworkReport& report, const AccelConfig& config);

}  // namespace dyadic::sim
