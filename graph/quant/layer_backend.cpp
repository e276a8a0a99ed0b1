#include "graph/quant/layer_backend.h"

#include <string>
#include <type_traits>

#include "util/error.h"

namespace dyadic::quant {
namespace {

// Same data, new shape: flatten and reshape are views in the integer semantics.
Tensor relabel(const Tensor& input, Shape shape, const std::string& layer_name) {
    require(element_count(shape) == input.size(), "layer '" + layer_name + "': cannot reshape " +
                                                      to_string(input.shape) + " to " + to_string(shape));
    Tensor output = input;
    output.shape = std::move(shape);
    return output;
}

}  // namespace

Tensor LayerBackend::not_implemented(const QuantizedLayer& layer) const {
    throw Error("backend '" + name() + "' does not run " + op_name(layer.op) + " (layer '" + layer.name + "')");
}

Tensor LayerBackend::conv2d(const QuantizedLayer& layer, const Conv2dLayer&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::conv2d_residual(const QuantizedLayer& layer, const Conv2dLayer&, const Tensor&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::fully_connected(const QuantizedLayer& layer, const FullyConnectedLayer&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::residual_add(const QuantizedLayer& layer, const ResidualAddLayer&, const Tensor&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::max_pool2d(const QuantizedLayer& layer, const MaxPool2dLayer&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::average_pool2d(const QuantizedLayer& layer, const AveragePool2dLayer&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::global_average_pool(const QuantizedLayer& layer, const GlobalAveragePoolLayer&, const Tensor&) {
    return not_implemented(layer);
}
Tensor LayerBackend::concat(const QuantizedLayer& layer, const ConcatLayer&, const std::vector<const Tensor*>&) {
    return not_implemented(layer);
}

Tensor LayerBackend::requantize(const QuantizedLayer& layer, const RequantizeLayer& op, const Tensor& input) {
    return concat(layer, ConcatLayer{{op.multiplier}, op.output_type}, {&input});
}

Tensor LayerBackend::run_layer(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
    require(inputs.size() == layer.inputs.size(), "layer '" + layer.name + "': expects " +
                                                      std::to_string(layer.inputs.size()) + " inputs, got " +
                                                      std::to_string(inputs.size()));
    for (const Tensor* input : inputs) require(input != nullptr, "layer '" + layer.name + "': missing input");
    const auto arity = [&](size_t count) {
        require(inputs.size() == count, "layer '" + layer.name + "' (" + op_name(layer.op) + "): expects " +
                                            std::to_string(count) + " inputs, has " + std::to_string(inputs.size()));
    };
    return std::visit(
        [&](const auto& op) -> Tensor {
            using T = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<T, Conv2dLayer>) {
                if (!op.residual) {
                    arity(1);
                    return conv2d(layer, op, *inputs[0]);
                }
                arity(2);
                return conv2d_residual(layer, op, *inputs[0], *inputs[1]);
            } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                arity(1);
                return fully_connected(layer, op, *inputs[0]);
            } else if constexpr (std::is_same_v<T, ResidualAddLayer>) {
                arity(2);
                return residual_add(layer, op, *inputs[0], *inputs[1]);
            } else if constexpr (std::is_same_v<T, MaxPool2dLayer>) {
                arity(1);
                return max_pool2d(layer, op, *inputs[0]);
            } else if constexpr (std::is_same_v<T, AveragePool2dLayer>) {
                arity(1);
                return average_pool2d(layer, op, *inputs[0]);
            } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) {
                arity(1);
                return global_average_pool(layer, op, *inputs[0]);
            } else if constexpr (std::is_same_v<T, ConcatLayer>) {
                return concat(layer, op, inputs);
            } else if constexpr (std::is_same_v<T, RequantizeLayer>) {
                arity(1);
                return requantize(layer, op, *inputs[0]);
            } else if constexpr (std::is_same_v<T, FlattenLayer>) {
                arity(1);
                const Tensor& x = *inputs[0];
                require(!x.shape.empty() && x.shape[0] > 0, "layer '" + layer.name + "': cannot flatten " +
                                                                 to_string(x.shape));
                return relabel(x, {x.shape[0], x.size() / x.shape[0]}, layer.name);
            } else {
                static_assert(std::is_same_v<T, ReshapeLayer>, "LayerBackend::run_layer: unhandled layer type");
                arity(1);
                const Tensor& x = *inputs[0];
                require(!x.shape.empty(), "layer '" + layer.name + "': input has no batch dimension");
                Shape shape{x.shape[0]};
                shape.insert(shape.end(), op.shape.begin(), op.shape.end());
                return relabel(x, std::move(shape), layer.name);
            }
        },
        layer.op);
}

}  // namespace dyadic::quant
