#include "graph/quant/quantized_model.h"

#include <string>
#include <type_traits>

#include "util/error.h"

namespace dyadic::quant {

// ---- equality -------------------------------------------------------------------------------

bool same(const Tensor& a, const Tensor& b) {
    return a.shape == b.shape && a.type == b.type && a.data == b.data && a.scales == b.scales;
}

bool same(const Conv2dParams& a, const Conv2dParams& b) {
    return a.stride_h == b.stride_h && a.stride_w == b.stride_w && a.pad_top == b.pad_top &&
           a.pad_left == b.pad_left && a.pad_bottom == b.pad_bottom && a.pad_right == b.pad_right &&
           a.dilation_h == b.dilation_h && a.dilation_w == b.dilation_w && a.groups == b.groups;
}

bool same(const Pool2dParams& a, const Pool2dParams& b) {
    return a.kernel_h == b.kernel_h && a.kernel_w == b.kernel_w && a.stride_h == b.stride_h &&
           a.stride_w == b.stride_w && a.pad_top == b.pad_top && a.pad_left == b.pad_left &&
           a.pad_bottom == b.pad_bottom && a.pad_right == b.pad_right;
}

bool same(const OutputStage& a, const OutputStage& b) {
    return a.multipliers == b.multipliers && a.output_type == b.output_type && a.relu == b.relu;
}

bool same(const ResidualAddStage& a, const ResidualAddStage& b) {
    return a.main_multipliers == b.main_multipliers && a.identity_multiplier == b.identity_multiplier &&
           a.output_type == b.output_type && a.relu == b.relu;
}

bool same(const AveragePoolStage& a, const AveragePoolStage& b) {
    return a.multiplier_by_count == b.multiplier_by_count && a.output_type == b.output_type &&
           a.count_include_pad == b.count_include_pad;
}

bool operator==(const TensorInfo& a, const TensorInfo& b) {
    return a.name == b.name && a.shape == b.shape && a.type == b.type && a.scale == b.scale;
}
bool operator==(const FusedResidual& a, const FusedResidual& b) { return same(a.stage, b.stage); }
bool operator==(const Conv2dLayer& a, const Conv2dLayer& b) {
    return same(a.weight, b.weight) && same(a.bias, b.bias) && same(a.params, b.params) &&
           same(a.output_stage, b.output_stage) && a.residual == b.residual;
}
bool operator==(const FullyConnectedLayer& a, const FullyConnectedLayer& b) {
    return same(a.weight, b.weight) && same(a.bias, b.bias) && same(a.output_stage, b.output_stage);
}
bool operator==(const ResidualAddLayer& a, const ResidualAddLayer& b) { return same(a.stage, b.stage); }
bool operator==(const MaxPool2dLayer& a, const MaxPool2dLayer& b) { return same(a.params, b.params); }
bool operator==(const AveragePool2dLayer& a, const AveragePool2dLayer& b) {
    return same(a.params, b.params) && same(a.stage, b.stage);
}
bool operator==(const GlobalAveragePoolLayer& a, const GlobalAveragePoolLayer& b) {
    return a.multiplier == b.multiplier && a.output_type == b.output_type;
}
bool operator==(const ConcatLayer& a, const ConcatLayer& b) {
    return a.multipliers == b.multipliers && a.output_type == b.output_type;
}
bool operator==(const RequantizeLayer& a, const RequantizeLayer& b) {
    return a.multiplier == b.multiplier && a.output_type == b.output_type;
}
bool operator==(const FlattenLayer&, const FlattenLayer&) { return true; }
bool operator==(const ReshapeLayer& a, const ReshapeLayer& b) { return a.shape == b.shape; }
bool operator==(const QuantizedLayer& a, const QuantizedLayer& b) {
    return a.name == b.name && a.inputs == b.inputs && a.output == b.output && a.op == b.op;
}
bool operator==(const QuantizedModel& a, const QuantizedModel& b) {
    return a.name == b.name && a.metadata == b.metadata && a.tensors == b.tensors && a.input == b.input && a.outputs == b.outputs &&
           a.layers == b.layers;
}

// ---- queries --------------------------------------------------------------------------------

namespace {

template <class>
inline constexpr bool kAlwaysFalse = false;

}  // namespace

const char* op_name(const LayerOp& op) {
    return std::visit(
        [](const auto& layer) -> const char* {
            using T = std::decay_t<decltype(layer)>;
            if constexpr (std::is_same_v<T, Conv2dLayer>) return "conv2d";
            else if constexpr (std::is_same_v<T, FullyConnectedLayer>) return "fully_connected";
            else if constexpr (std::is_same_v<T, ResidualAddLayer>) return "residual_add";
            else if constexpr (std::is_same_v<T, MaxPool2dLayer>) return "max_pool2d";
            else if constexpr (std::is_same_v<T, AveragePool2dLayer>) return "average_pool2d";
            else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) return "global_average_pool";
            else if constexpr (std::is_same_v<T, ConcatLayer>) return "concat";
            else if constexpr (std::is_same_v<T, RequantizeLayer>) return "requantize";
            else if constexpr (std::is_same_v<T, FlattenLayer>) return "flatten";
            else if constexpr (std::is_same_v<T, ReshapeLayer>) return "reshape";
            else static_assert(kAlwaysFalse<T>, "op_name: unhandled layer type");
        },
        op);
}

const Tensor* weight_of(const QuantizedLayer& layer) {
    if (const auto* conv = std::get_if<Conv2dLayer>(&layer.op)) return &conv->weight;
    if (const auto* fc = std::get_if<FullyConnectedLayer>(&layer.op)) return &fc->weight;
    return nullptr;
}

int weight_bits(const QuantizedLayer& layer) {
    const Tensor* weight = weight_of(layer);
    return weight ? weight->type.bits : 0;
}

int activation_bits(const QuantizedModel& model, const QuantizedLayer& layer) {
    require(!layer.inputs.empty(), "layer '" + layer.name + "' has no inputs");
    return model.tensors.at(static_cast<size_t>(layer.inputs[0])).type.bits;
}

IntType layer_output_type(const QuantizedModel& model, const QuantizedLayer& layer) {
    const auto input_type = [&]() {
        require(!layer.inputs.empty(), "layer '" + layer.name + "' has no inputs");
        return model.tensors.at(static_cast<size_t>(layer.inputs[0])).type;
    };
    return std::visit(
        [&](const auto& op) -> IntType {
            using T = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<T, Conv2dLayer>) {
                return op.residual ? op.residual->stage.output_type : op.output_stage.output_type;
            } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                return op.output_stage.output_type;
            } else if constexpr (std::is_same_v<T, ResidualAddLayer> || std::is_same_v<T, AveragePool2dLayer>) {
                return op.stage.output_type;
            } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer> || std::is_same_v<T, ConcatLayer> ||
                                 std::is_same_v<T, RequantizeLayer>) {
                return op.output_type;
            } else {
                return input_type();  // max pool, flatten, reshape
            }
        },
        layer.op);
}

}  // namespace dyadic::quant
