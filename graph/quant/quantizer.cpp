#include "graph/quant/quantizer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "graph/quant/weight_quantization.h"
#include "util/error.h"
#include "reference/ops/average_pool2d.h"

namespace dyadic::quant {
namespace {

using ir::Node;
using ir::NodeId;
using ir::OpKind;

bool is_weighted(OpKind op) { return op == OpKind::Conv || op == OpKind::FullyConnected; }

class Quantizer {
public:
    Quantizer(const ir::Graph& graph, const CalibrationStatistics& stats, const QuantizeOptions& options)
        : graph_(graph), stats_(stats), options_(options) {}

    QuantizedModel run(const std::string& name) {
        require(graph_.inputs().size() == 1, "quantize: the graph must have exactly one input, has " +
                                                 std::to_string(graph_.inputs().size()));
        require(!graph_.outputs().empty(), "quantize: the graph has no outputs");
        order_ = graph_.topological_order();
        check_bit_config();
        compute_demands();
        model_.name = name;

        const std::string& input = graph_.inputs()[0];
        require(graph_.value(input).shape.size() == 4, "quantize: the graph input '" + input + "' must be 4-D NCHW");
        model_.input = add_primary(input);
        for (const NodeId id : order_) emit(graph_.node(id));
        for (const std::string& output : graph_.outputs()) model_.outputs.push_back(tensor_ids_.at(output));
        validate(model_);
        return std::move(model_);
    }

private:
    // ---- configuration and widths ----------------------------------------------------------

    void check_bit_config() const {
        for (const auto& [layer, bits] : options_.bits.layers) {
            const auto id = graph_.find_node(layer);
            require(id.has_value(), "bit configuration names layer '" + layer + "', which the graph does not have");
            require(is_weighted(graph_.node(*id).op), "bit configuration names layer '" + layer + "', a " +
                                                          ir::op_name(graph_.node(*id).op) +
                                                          " (only Conv and FullyConnected layers have bit widths)");
        }
    }

    const LayerBits& bits_of(const Node& node) const { return options_.bits.for_layer(node.name); }

    // The widths each tensor's readers ask for, gathered in reverse topological order so that a
    // pass-through op forwards its own output's demands to its input.
    void compute_demands() {
        for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
            const Node& node = graph_.node(*it);
            const std::string& out = node.outputs.at(0);
            if (graph_.is_output(out)) demands_[out].insert(options_.bits.output_bits);
            if (node.has_residual() || node.op == OpKind::Add) demands_[out].insert(options_.bits.residual_bits);
            for (size_t i = 0; i < node.inputs.size(); ++i) {
                std::set<int>& demand = demands_[node.inputs[i]];
                switch (node.op) {
                    case OpKind::Conv:
                        demand.insert(i == 0 ? bits_of(node).activation_bits : options_.bits.residual_bits);
                        break;
                    case OpKind::FullyConnected: demand.insert(bits_of(node).activation_bits); break;
                    case OpKind::Add: demand.insert(options_.bits.residual_bits); break;
                    case OpKind::MaxPool:
                    case OpKind::Flatten:
                    case OpKind::Reshape: demand.insert(demands_[out].begin(), demands_[out].end()); break;
                    case OpKind::BatchNormalization:
                        throw Error("quantize: node '" + node.name +
                                    "' is an unfolded BatchNormalization (only a BatchNormalization right after a "
                                    "Conv can be folded; run the standard passes first)");
                    default: break;  // GlobalAveragePool, AveragePool, Concat, Relu rescale anyway
                }
            }
        }
    }

    IntType primary_type(const std::string& tensor) const {
        const auto it = demands_.find(tensor);
        const int bits = it == demands_.end() || it->second.empty() ? options_.bits.defaults.activation_bits
                                                                     : *it->second.rbegin();
        return graph_.value(tensor).non_negative ? IntType::unsigned_bits(bits) : IntType::signed_bits(bits);
    }

    double calibrated_scale(const std::string& tensor, const IntType& type) const {
        const auto it = stats_.find(tensor);
        require(it != stats_.end(), "quantize: no calibration statistics for tensor '" + tensor +
                                        "' (calibrate the same graph that is quantized)");
        const double clip = choose_clip(it->second, type, options_.calibration, graph_.value(tensor).upper_bound);
        // An all-zero tensor (e.g. a dead ReLU channel set) can take any scale; 1 keeps multipliers sane.
        return clip > 0.0 ? clip / static_cast<double>(quant_levels(type)) : 1.0;
    }

    TensorId add_tensor(const std::string& name, const Shape& shape, const IntType& type, double scale) {
        model_.tensors.push_back(TensorInfo{name, shape, type, scale});
        return static_cast<TensorId>(model_.tensors.size() - 1);
    }

    // The tensor as its producer writes it: calibrated type and scale, or inherited through
    // max pool / flatten / reshape.
    TensorId add_primary(const std::string& tensor, std::optional<TensorInfo> inherit_from = std::nullopt) {
        const ir::Value& value = graph_.value(tensor);
        TensorId id;
        if (inherit_from) {
            id = add_tensor(tensor, value.shape, inherit_from->type, inherit_from->scale);
        } else {
            const IntType type = primary_type(tensor);
            id = add_tensor(tensor, value.shape, type, calibrated_scale(tensor, type));
        }
        tensor_ids_[tensor] = id;
        return id;
    }

    const TensorInfo& info(TensorId id) const { return model_.tensors[static_cast<size_t>(id)]; }

    // What a conv or fully connected layer reads as its activation: the tensor itself when it
    // already has the layer's activation width, else a requantized copy (one per tensor and
    // width, emitted before its first reader). A 2-D tensor cannot be requantized (the op is
    // NCHW), so the layer then reads it at its wider width.
    TensorId activation_input(const Node& node) {
        const std::string& tensor = node.inputs.at(0);
        const TensorId source = tensor_ids_.at(tensor);
        const int bits = bits_of(node).activation_bits;
        if (info(source).type.bits == bits || info(source).shape.size() != 4) return source;
        const auto key = std::make_pair(tensor, bits);
        const auto found = copies_.find(key);
        if (found != copies_.end()) return found->second;
        const IntType type{bits, info(source).type.is_signed};
        const std::string name = tensor + "/q" + std::to_string(bits);
        const TensorId copy = add_tensor(name, info(source).shape, type, calibrated_scale(tensor, type));
        add_layer(tensor + "/requant" + std::to_string(bits), {source}, copy,
                  RequantizeLayer{multiplier(info(source).scale / info(copy).scale, name), type});
        copies_[key] = copy;
        return copy;
    }

    // ---- emission --------------------------------------------------------------------------

    Dyadic multiplier(double ratio, const std::string& layer) const {
        try {
            return to_dyadic(ratio);
        } catch (const Error& e) {
            throw Error("layer '" + layer + "': " + e.what());
        }
    }

    void add_layer(const std::string& name, std::vector<TensorId> inputs, TensorId output, LayerOp op) {
        model_.layers.push_back(QuantizedLayer{name, std::move(inputs), output, std::move(op)});
    }

    void emit(const Node& node) {
        const std::string& out_name = node.outputs.at(0);
        const auto input_id = [&](size_t i) { return tensor_ids_.at(node.inputs.at(i)); };
        switch (node.op) {
            case OpKind::Conv: emit_conv(node); return;
            case OpKind::FullyConnected: emit_fully_connected(node); return;
            case OpKind::Add: {
                const TensorId a = input_id(0), b = input_id(1);
                const TensorId y = add_primary(out_name);
                ResidualAddStage stage{{multiplier(info(a).scale / info(y).scale, node.name)},
                                       multiplier(info(b).scale / info(y).scale, node.name), info(y).type,
                                       node.activation.relu};
                add_layer(node.name, {a, b}, y, ResidualAddLayer{stage});
                return;
            }
            case OpKind::MaxPool: {
                const TensorId x = input_id(0);
                const TensorId y = add_primary(out_name, info(x));
                add_layer(node.name, {x}, y, MaxPool2dLayer{pool_params(node)});
                return;
            }
            case OpKind::AveragePool: {
                const TensorId x = input_id(0);
                const TensorId y = add_primary(out_name);
                AveragePoolStage stage = make_average_pool_stage(info(x).scale / info(y).scale,
                                                                 node.pool.kernel_h * node.pool.kernel_w, info(y).type,
                                                                 node.pool.count_include_pad);
                add_layer(node.name, {x}, y, AveragePool2dLayer{pool_params(node), std::move(stage)});
                return;
            }
            case OpKind::GlobalAveragePool: {
                const TensorId x = input_id(0);
                const TensorId y = add_primary(out_name);
                const double window = static_cast<double>(info(x).shape.at(2) * info(x).shape.at(3));
                add_layer(node.name, {x}, y,
                          GlobalAveragePoolLayer{multiplier(info(x).scale / (info(y).scale * window), node.name),
                                                 info(y).type});
                return;
            }
            case OpKind::Concat: {
                require(node.axis == 1, "quantize: Concat '" + node.name + "' along axis " +
                                            std::to_string(node.axis) + " (only channel concatenation, axis 1)");
                std::vector<TensorId> inputs;
                for (size_t i = 0; i < node.inputs.size(); ++i) inputs.push_back(input_id(i));
                const TensorId y = add_primary(out_name);
                std::vector<Dyadic> multipliers;
                for (const TensorId x : inputs) multipliers.push_back(multiplier(info(x).scale / info(y).scale, node.name));
                add_layer(node.name, inputs, y, ConcatLayer{std::move(multipliers), info(y).type});
                return;
            }
            case OpKind::Relu: {
                // Nothing to fuse into: rescaling into an unsigned type clamps at 0, which is the ReLU.
                const TensorId x = input_id(0);
                require(info(x).shape.size() == 4, "quantize: standalone Relu '" + node.name +
                                                       "' on a non-4-D tensor is not supported");
                const TensorId y = add_primary(out_name);
                require(!info(y).type.is_signed, "quantize: Relu '" + node.name + "' output is not marked non-negative");
                add_layer(node.name, {x}, y,
                          RequantizeLayer{multiplier(info(x).scale / info(y).scale, node.name), info(y).type});
                return;
            }
            case OpKind::Flatten: {
                const TensorId x = input_id(0);
                require(node.axis == 1, "quantize: Flatten '" + node.name + "' with axis " + std::to_string(node.axis) +
                                            " (only axis 1 keeps the batch dimension)");
                add_layer(node.name, {x}, add_primary(out_name, info(x)), FlattenLayer{});
                return;
            }
            case OpKind::Reshape: {
                const TensorId x = input_id(0);
                const Shape& out_shape = graph_.value(out_name).shape;
                require(!out_shape.empty() && out_shape[0] == info(x).shape.at(0),
                        "quantize: Reshape '" + node.name + "' changes the batch dimension");
                add_layer(node.name, {x}, add_primary(out_name, info(x)),
                          ReshapeLayer{Shape(out_shape.begin() + 1, out_shape.end())});
                return;
            }
            case OpKind::BatchNormalization: break;  // rejected in compute_demands
        }
        throw Error(std::string("quantize: node '") + node.name + "': op " + ir::op_name(node.op) + " is not supported");
    }

    static Pool2dParams pool_params(const Node& node) {
        const ir::PoolAttributes& a = node.pool;
        return Pool2dParams{a.kernel_h, a.kernel_w, a.stride_h, a.stride_w, a.pad_top, a.pad_left, a.pad_bottom,
                            a.pad_right};
    }

    Tensor weights_of(const Node& node) const {
        const int bits = bits_of(node).weight_bits;
        return quantize_weights(node.weight, bits, options_.mse_weight_clipping && bits <= 4);
    }

    std::vector<Dyadic> output_multipliers(const Tensor& weight, double input_scale, double output_scale,
                                           const std::string& layer) const {
        std::vector<Dyadic> out;
        for (const double s : weight.scales) out.push_back(multiplier(s * input_scale / output_scale, layer));
        return out;
    }

    void emit_conv(const Node& node) {
        const TensorId x = activation_input(node);
        const Tensor weight = weights_of(node);
        const Tensor bias = quantize_bias(node.bias, weight.scales, info(x).scale, node.name);
        require_accumulator_fits(weight, bias, info(x).type, node.name);
        const ir::ConvAttributes& a = node.conv;
        require(weight.shape.size() == 4 && weight.shape[2] == a.kernel_h && weight.shape[3] == a.kernel_w,
                "quantize: Conv '" + node.name + "' weight " + to_string(weight.shape) + " disagrees with its kernel");
        Conv2dLayer conv;
        conv.params = Conv2dParams{a.stride_h, a.stride_w, a.pad_top, a.pad_left, a.pad_bottom, a.pad_right,
                                   a.dilation_h, a.dilation_w, a.groups};
        std::vector<TensorId> inputs{x};
        const TensorId y = add_primary(node.outputs.at(0));
        if (node.has_residual()) {
            const TensorId identity = tensor_ids_.at(node.inputs.at(1));
            inputs.push_back(identity);
            conv.residual = FusedResidual{ResidualAddStage{
                output_multipliers(weight, info(x).scale, info(y).scale, node.name),
                multiplier(info(identity).scale / info(y).scale, node.name), info(y).type, node.activation.relu}};
        } else {
            conv.output_stage = OutputStage{output_multipliers(weight, info(x).scale, info(y).scale, node.name),
                                            info(y).type, node.activation.relu};
        }
        conv.weight = weight;
        conv.bias = bias;
        add_layer(node.name, std::move(inputs), y, std::move(conv));
    }

    void emit_fully_connected(const Node& node) {
        const TensorId x = activation_input(node);
        require(info(x).shape.size() == 2, "quantize: FullyConnected '" + node.name + "' input must be 2-D, is " +
                                               to_string(info(x).shape));
        FullyConnectedLayer fc;
        fc.weight = weights_of(node);
        fc.bias = quantize_bias(node.bias, fc.weight.scales, info(x).scale, node.name);
        require_accumulator_fits(fc.weight, fc.bias, info(x).type, node.name);
        const TensorId y = add_primary(node.outputs.at(0));
        fc.output_stage = OutputStage{output_multipliers(fc.weight, info(x).scale, info(y).scale, node.name),
                                      info(y).type, node.activation.relu};
        add_layer(node.name, {x}, y, std::move(fc));
    }

    const ir::Graph& graph_;
    const CalibrationStatistics& stats_;
    const QuantizeOptions& options_;
    std::vector<NodeId> order_;
    std::map<std::string, std::set<int>> demands_;
    std::map<std::string, TensorId> tensor_ids_;
    std::map<std::pair<std::string, int>, TensorId> copies_;
    QuantizedModel model_;
};

}  // namespace

QuantizedModel quantize(const ir::Graph& graph, const CalibrationStatistics& stats, const QuantizeOptions& options,
                        const std::string& model_name) {
    return Quantizer(graph, stats, options).run(model_name);
}

}  // namespace dyadic::quant
