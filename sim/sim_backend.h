#pragma once
// The SystemC accelerator model as a backend ("sim") of the one backend interface
// (graph/quant/layer_backend.h): each op runs on the simulated accelerator through Simulator, and
// the layer's cycle statistics go to a callback, so that `dyadic sim` reports cycles and
// `dyadic verify` compares outputs through the same object. Header is C++17.
#include <functional>
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"
#include "sim/layer_stats.h"
#include "sim/simulator.h"

namespace dyadic::sim {

class SimBackend : public quant::LayerBackend {
public:
    // `simulator` must outlive the backend. on_stats (optional) receives every simulated layer's
    // statistics, named after the layer; flatten and reshape take no cycles and report nothing.
    explicit SimBackend(Simulator& simulator, std::function<void(const LayerStats&)> on_stats = {})
        : simulator_(simulator), on_stats_(std::move(on_stats)) {}

    std::string name() const override { return "sim"; }

protected:
    Tensor conv2d(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input) override;
    Tensor conv2d_residual(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input,
                           const Tensor& identity) override;
    Tensor fully_connected(const quant::QuantizedLayer& layer, const quant::FullyConnectedLayer& op,
                           const Tensor& input) override;
    Tensor residual_add(const quant::QuantizedLayer& layer, const quant::ResidualAddLayer& op, const Tensor& main,
                        const Tensor& identity) override;
    Tensor max_pool2d(const quant::QuantizedLayer& layer, const quant::MaxPool2dLayer& op, const Tensor& input) override;
    Tensor average_pool2d(const quant::QuantizedLayer& layer, const quant::AveragePool2dLayer& op,
                          const Tensor& input) override;
    Tensor global_average_pool(const quant::QuantizedLayer& layer, const quant::GlobalAveragePoolLayer& op,
                               const Tensor& input) override;
    Tensor concat(const quant::QuantizedLayer& layer, const quant::ConcatLayer& op,
                  const std::vector<const Tensor*>& inputs) override;
    Tensor requantize(const quant::QuantizedLayer& layer, const quant::RequantizeLayer& op, const Tensor& input) override;

private:
    // Hands the statistics on (named `name`, reported as `op`) and returns the output.
    Tensor finish(LayerResult result, const std::string& name, const char* op = nullptr);

    Simulator& simulator_;
    std::function<void(const LayerStats&)> on_stats_;
};

}  // namespace dyadic::sim
