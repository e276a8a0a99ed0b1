#include "graph/quant/fake_quant.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "graph/ir/shape_inference.h"
#include "util/error.h"

namespace dyadic::quant {
namespace {

using ir::FloatTensor;
using ir::Node;
using ir::OpKind;

// weight[o, ...] * scale[o] as float.
FloatTensor dequantize_weight(const Tensor& weight) {
    FloatTensor out(weight.shape);
    const int64_t per_channel = weight.size() / weight.shape.at(0);
    for (int64_t i = 0; i < weight.size(); ++i) {
        out.data[static_cast<size_t>(i)] =
            static_cast<float>(weight.data[static_cast<size_t>(i)] * weight.scales[static_cast<size_t>(i / per_channel)]);
    }
    return out;
}

FloatTensor dequantize_bias(const Tensor& bias, const std::vector<double>& weight_scales, double input_scale) {
    if (bias.shape.empty()) return FloatTensor{};
    FloatTensor out(bias.shape);
    for (int64_t o = 0; o < bias.size(); ++o) {
        out.data[static_cast<size_t>(o)] =
            static_cast<float>(bias.data[static_cast<size_t>(o)] * weight_scales[static_cast<size_t>(o)] * input_scale);
    }
    return out;
}

ir::PoolAttributes pool_attributes(const Pool2dParams& p, bool count_include_pad) {
    ir::PoolAttributes a;
    a.kernel_h = p.kernel_h;
    a.kernel_w = p.kernel_w;
    a.stride_h = p.stride_h;
    a.stride_w = p.stride_w;
    a.pad_top = p.pad_top;
    a.pad_left = p.pad_left;
    a.pad_bottom = p.pad_bottom;
    a.pad_right = p.pad_right;
    a.count_include_pad = count_include_pad;
    return a;
}

ir::Graph build_graph(const QuantizedModel& model) {
    ir::Graph graph;
    const auto name_of = [&](TensorId id) { return model.tensors.at(static_cast<size_t>(id)).name; };
    const auto scale_of = [&](TensorId id) { return model.tensors.at(static_cast<size_t>(id)).scale; };
    graph.add_input(name_of(model.input), model.tensors.at(static_cast<size_t>(model.input)).shape);
    for (const QuantizedLayer& layer : model.layers) {
        Node node;
        node.name = layer.name;
        for (const TensorId id : layer.inputs) node.inputs.push_back(name_of(id));
        node.outputs = {name_of(layer.output)};
        std::visit(
            [&](const auto& op) {
                using T = std::decay_t<decltype(op)>;
                if constexpr (std::is_same_v<T, Conv2dLayer>) {
                    node.op = OpKind::Conv;
                    const Conv2dParams& p = op.params;
                    node.conv = ir::ConvAttributes{static_cast<int>(op.weight.shape[2]),
                                                   static_cast<int>(op.weight.shape[3]),
                                                   p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom,
                                                   p.pad_right, p.dilation_h, p.dilation_w, p.groups};
                    node.weight = dequantize_weight(op.weight);
                    node.bias = dequantize_bias(op.bias, op.weight.scales, scale_of(layer.inputs[0]));
                    node.activation.relu = op.residual ? op.residual->stage.relu : op.output_stage.relu;
                } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                    node.op = OpKind::FullyConnected;
                    node.weight = dequantize_weight(op.weight);
                    node.bias = dequantize_bias(op.bias, op.weight.scales, scale_of(layer.inputs[0]));
                    node.activation.relu = op.output_stage.relu;
                } else if constexpr (std::is_same_v<T, ResidualAddLayer>) {
                    node.op = OpKind::Add;
                    node.activation.relu = op.stage.relu;
                } else if constexpr (std::is_same_v<T, MaxPool2dLayer>) {
                    node.op = OpKind::MaxPool;
                    node.pool = pool_attributes(op.params, false);
                } else if constexpr (std::is_same_v<T, AveragePool2dLayer>) {
                    node.op = OpKind::AveragePool;
                    node.pool = pool_attributes(op.params, op.stage.count_include_pad);
                } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) {
                    node.op = OpKind::GlobalAveragePool;
                } else if constexpr (std::is_same_v<T, ConcatLayer> || std::is_same_v<T, RequantizeLayer>) {
                    node.op = OpKind::Concat;  // with one input: the identity, then rounded by the hook
                    node.axis = 1;
                } else if constexpr (std::is_same_v<T, FlattenLayer>) {
                    node.op = OpKind::Flatten;
                    node.axis = 1;
                } else {
                    static_assert(std::is_same_v<T, ReshapeLayer>, "fake quant: unhandled layer type");
                    node.op = OpKind::Reshape;
                    node.reshape_shape = {0};  // keep the batch dimension
                    node.reshape_shape.insert(node.reshape_shape.end(), op.shape.begin(), op.shape.end());
                }
            },
            layer.op);
        graph.add_node(std::move(node));
    }
    for (const TensorId id : model.outputs) graph.add_output(name_of(id));
    ir::infer_shapes(graph);
    return graph;
}

}  // namespace

float fake_quantize(float x, double scale, const IntType& type, bool round_half_even) {
    const double v = static_cast<double>(x) / scale;
    const double rounded = round_half_even ? std::nearbyint(v) : std::floor(v + 0.5);
    const double q = std::clamp(rounded, static_cast<double>(type.min()), static_cast<double>(type.max()));
    return static_cast<float>(q * scale);
}

FakeQuantModel::FakeQuantModel(const QuantizedModel& model)
    : graph_(build_graph(model)),
      input_name_(model.tensors.at(static_cast<size_t>(model.input)).name),
      executor_(graph_) {
    for (const TensorInfo& info : model.tensors) quantization_[info.name] = info;
}

ir::FloatTensor FakeQuantModel::run(const ir::FloatTensor& input, int64_t batch_size) const {
    ir::RunOptions options;
    options.transform = [this](const std::string& tensor, FloatTensor& value) {
        const TensorInfo& q = quantization_.at(tensor);
        const bool is_input = tensor == input_name_;
        for (float& x : value.data) x = fake_quantize(x, q.scale, q.type, is_input);
    };
    return executor_.run_in_batches(input, batch_size, options);
}

}  // namespace dyadic::quant
