#include "sim/sim_backend.h"

namespace dyadic::sim {

Tensor SimBackend::finish(LayerResult result, const std::string& name, const char* op) {
    result.stats.name = name;
    if (op != nullptr) result.stats.op = op;
    if (on_stats_) on_stats_(result.stats);
    return std::move(result.output);
}

Tensor SimBackend::conv2d(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op, const Tensor& input) {
    return finish(simulator_.conv2d(input, op.weight, op.bias, op.params, op.output_stage, layer.name), layer.name);
}

Tensor SimBackend::conv2d_residual(const quant::QuantizedLayer& layer, const quant::Conv2dLayer& op,
                                   const Tensor& input, const Tensor& identity) {
    return finish(simulator_.conv2d_residual(input, op.weight, op.bias, op.params, op.residual->stage, identity,
                                             layer.name),
                  layer.name);
}

Tensor SimBackend::fully_connected(const quant::QuantizedLayer& layer, const quant::FullyConnectedLayer& op,
                                   const Tensor& input) {
    return finish(simulator_.fully_connected(input, op.weight, op.bias, op.output_stage, layer.name), layer.name);
}

Tensor SimBackend::residual_add(const quant::QuantizedLayer& layer, const quant::ResidualAddLayer& op,
                                const Tensor& main, const Tensor& identity) {
    return finish(simulator_.residual_add(main, identity, op.stage, layer.name), layer.name);
}

Tensor SimBackend::max_pool2d(const quant::QuantizedLayer& layer, const quant::MaxPool2dLayer& op,
                              const Tensor& input) {
    return finish(simulator_.max_pool2d(input, op.params, layer.name), layer.name);
}

Tensor SimBackend::average_pool2d(const quant::QuantizedLayer& layer, const quant::AveragePool2dLayer& op,
                                  const Tensor& input) {
    return finish(simulator_.average_pool2d(input, op.params, op.stage, layer.name), layer.name);
}

Tensor SimBackend::global_average_pool(const quant::QuantizedLayer& layer, const quant::GlobalAveragePoolLayer& op,
                                       const Tensor& input) {
    return finish(simulator_.global_average_pool(input, op.multiplier, op.output_type, layer.name), layer.name);
}

Tensor SimBackend::concat(const quant::QuantizedLayer& layer, const quant::ConcatLayer& op,
                          const std::vector<const Tensor*>& inputs) {
    return finish(simulator_.concat_channels(inputs, op.multipliers, op.output_type, layer.name), layer.name);
}

Tensor SimBackend::requantize(const quant::QuantizedLayer& layer, const quant::RequantizeLayer& op,
                              const Tensor& input) {
    // A one-input concat: the post-processing unit rescales and clamps each element.
    return finish(simulator_.concat_channels({&input}, {op.multiplier}, op.output_type, layer.name), layer.name,
                  "requantize");
}

}  // namespace dyadic::sim
