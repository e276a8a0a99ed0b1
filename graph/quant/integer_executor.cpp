#include "graph/quant/integer_executor.h"

#include <algorithm>
#include <optional>
#include <string>
#include <type_traits>

#include "util/error.h"
#include "reference/ops/average_pool2d.h"
#include "reference/ops/concat.h"
#include "reference/ops/conv2d.h"
#include "reference/ops/fully_connected.h"
#include "reference/ops/max_pool2d.h"
#include "reference/ops/quantize_input.h"
#include "reference/ops/residual_add.h"

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

// "[N, 1, 28, 28]": the batch dimension is free.
std::string batch_free(const Shape& shape) {
    std::string text = to_string(shape);
    const size_t comma = text.find(',');
    return comma == std::string::npos ? "[N]" : "[N" + text.substr(comma);
}

bool same_except_batch(const Shape& a, const Shape& b) {
    return a.size() == b.size() && !a.empty() && std::equal(a.begin() + 1, a.end(), b.begin() + 1);
}

}  // namespace

Tensor run_layer(const QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
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
                    return conv2d(*inputs[0], op.weight, op.bias, op.params, op.output_stage);
                }
                arity(2);
                return residual_add(conv2d_accumulate(*inputs[0], op.weight, op.bias, op.params), *inputs[1],
                                    op.residual->stage);
            } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                arity(1);
                return fully_connected(*inputs[0], op.weight, op.bias, op.output_stage);
            } else if constexpr (std::is_same_v<T, ResidualAddLayer>) {
                arity(2);
                return residual_add(*inputs[0], *inputs[1], op.stage);
            } else if constexpr (std::is_same_v<T, MaxPool2dLayer>) {
                arity(1);
                return max_pool2d(*inputs[0], op.params);
            } else if constexpr (std::is_same_v<T, AveragePool2dLayer>) {
                arity(1);
                return average_pool2d(*inputs[0], op.params, op.stage);
            } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) {
                arity(1);
                return global_average_pool(*inputs[0], op.multiplier, op.output_type);
            } else if constexpr (std::is_same_v<T, ConcatLayer>) {
                return concat_channels(inputs, op.multipliers, op.output_type);
            } else if constexpr (std::is_same_v<T, RequantizeLayer>) {
                arity(1);
                return concat_channels(inputs, {op.multiplier}, op.output_type);
            } else if constexpr (std::is_same_v<T, FlattenLayer>) {
                arity(1);
                const Tensor& x = *inputs[0];
                require(!x.shape.empty() && x.shape[0] > 0, "layer '" + layer.name + "': cannot flatten " +
                                                                 to_string(x.shape));
                return relabel(x, {x.shape[0], x.size() / x.shape[0]}, layer.name);
            } else {
                static_assert(std::is_same_v<T, ReshapeLayer>, "run_layer: unhandled layer type");
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

Tensor quantize_model_input(const QuantizedModel& model, const std::vector<float>& values, const Shape& shape) {
    require(model.input >= 0 && static_cast<size_t>(model.input) < model.tensors.size(),
            "model: input tensor id out of range");
    const TensorInfo& info = model.tensors[static_cast<size_t>(model.input)];
    require(same_except_batch(shape, info.shape),
            "model input: expected shape " + batch_free(info.shape) + ", got " + to_string(shape));
    Tensor quantized = quantize_input(values, shape, info.scale, info.type);
    quantized.scales = {info.scale};
    return quantized;
}

std::vector<Tensor> run_model(const QuantizedModel& model, const Tensor& quantized_input,
                              const LayerCallback& on_layer, const LayerRunner& runner) {
    const size_t tensor_count = model.tensors.size();
    const auto check_id = [&](TensorId id, const std::string& what) {
        require(id >= 0 && static_cast<size_t>(id) < tensor_count, "model: " + what + " tensor id " +
                                                                      std::to_string(id) + " is out of range");
    };
    check_id(model.input, "input");
    const TensorInfo& input_info = model.tensors[static_cast<size_t>(model.input)];
    require(quantized_input.type == input_info.type, "model input: expected " + input_info.type.name() + ", got " +
                                                         quantized_input.type.name());
    require(same_except_batch(quantized_input.shape, input_info.shape),
            "model input: expected shape " + batch_free(input_info.shape) + ", got " +
                to_string(quantized_input.shape));

    // The last layer reading each tensor; model outputs are never released, unread tensors at once.
    constexpr size_t kKeep = static_cast<size_t>(-1);
    constexpr size_t kUnread = static_cast<size_t>(-2);
    std::vector<size_t> last_use(tensor_count, kUnread);
    for (size_t i = 0; i < model.layers.size(); ++i) {
        for (const TensorId id : model.layers[i].inputs) {
            check_id(id, "layer '" + model.layers[i].name + "' input");
            last_use[static_cast<size_t>(id)] = i;
        }
        check_id(model.layers[i].output, "layer '" + model.layers[i].name + "' output");
    }
    for (const TensorId id : model.outputs) {
        check_id(id, "output");
        last_use[static_cast<size_t>(id)] = kKeep;
    }

    std::vector<std::optional<Tensor>> live(tensor_count);
    live[static_cast<size_t>(model.input)] = quantized_input;
    live[static_cast<size_t>(model.input)]->scales = {input_info.scale};
    std::vector<const Tensor*> inputs;
    for (size_t i = 0; i < model.layers.size(); ++i) {
        const QuantizedLayer& layer = model.layers[i];
        inputs.clear();
        for (const TensorId id : layer.inputs) {
            const std::optional<Tensor>& slot = live[static_cast<size_t>(id)];
            require(slot.has_value(), "model: layer '" + layer.name + "' reads tensor '" +
                                          model.tensors[static_cast<size_t>(id)].name + "' before it is produced");
            inputs.push_back(&*slot);
        }
        Tensor output = runner(layer, inputs);
        output.scales = {model.tensors[static_cast<size_t>(layer.output)].scale};
        if (on_layer) on_layer(i, layer, inputs, output);
        if (last_use[static_cast<size_t>(layer.output)] != kUnread) live[static_cast<size_t>(layer.output)] = std::move(output);
        for (const TensorId id : layer.inputs) {
            if (last_use[static_cast<size_t>(id)] == i) live[static_cast<size_t>(id)].reset();
        }
    }
    std::vector<Tensor> outputs;
    for (const TensorId id : model.outputs) {
        require(live[static_cast<size_t>(id)].has_value(), "model: output tensor '" +
                                                               model.tensors[static_cast<size_t>(id)].name +
                                                               "' is never produced");
        outputs.push_back(*live[static_cast<size_t>(id)]);
    }
    return outputs;
}

}  // namespace dyadic::quant
