#pragma once
// The bit-exact reference executor as a backend ("ref"): every method is one call into
// reference/ops, so this backend is the golden model itself. Header is C++17.
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"

namespace dyadic::quant {

// quant::run_layer(layer, inputs) is this backend's run_layer.
class ReferenceBackend : public LayerBackend {
public:
    std::string name() const override { return "ref"; }

protected:
    Tensor conv2d(const QuantizedLayer& layer, const Conv2dLayer& op, const Tensor& input) override;
    Tensor conv2d_residual(const QuantizedLayer& layer, const Conv2dLayer& op, const Tensor& input,
                           const Tensor& identity) override;
    Tensor fully_connected(const QuantizedLayer& layer, const FullyConnectedLayer& op, const Tensor& input) override;
    Tensor residual_add(const QuantizedLayer& layer, const ResidualAddLayer& op, const Tensor& main,
                        const Tensor& identity) override;
    Tensor max_pool2d(const QuantizedLayer& layer, const MaxPool2dLayer& op, const Tensor& input) override;
    Tensor average_pool2d(const QuantizedLayer& layer, const AveragePool2dLayer& op, const Tensor& input) override;
    Tensor global_average_pool(const QuantizedLayer& layer, const GlobalAveragePoolLayer& op,
                               const Tensor& input) override;
    Tensor concat(const QuantizedLayer& layer, const ConcatLayer& op, const std::vector<const Tensor*>& inputs) override;
};

}  // namespace dyadic::quant
