#include "graph/golden/layer_record.h"

#include <type_traits>

#include "graph/golden/tensor_files.h"
#include "reference/requantize.h"
#include "util/error.h"

namespace dyadic::golden {
namespace {

using nlohmann::json;
using namespace quant;

constexpr IntType kMultiplierType = IntType::int32();      // b in [2^30, 2^31)
constexpr IntType kShiftType = IntType::unsigned_bits(8);  // c in [0, 62]

// Multipliers travel as two parallel vectors, "<prefix>multipliers" (b) and "<prefix>shifts" (c).
void add_dyadics(LayerRecord& record, const std::string& prefix, const std::vector<Dyadic>& dyadics) {
    const Shape shape{static_cast<int64_t>(dyadics.size())};
    Tensor b(shape, kMultiplierType), c(shape, kShiftType);
    for (size_t i = 0; i < dyadics.size(); ++i) {
        b.data[i] = dyadics[i].mantissa;
        c.data[i] = dyadics[i].shift;
    }
    record.parameters.emplace_back(prefix + "multipliers", std::move(b));
    record.parameters.emplace_back(prefix + "shifts", std::move(c));
}

void add_output(LayerRecord& record, const IntType& type, bool relu) {
    const ClampRange range = clamp_range(type, relu);
    record.attributes["output_type"] = type.name();
    record.attributes["relu"] = relu;
    record.attributes["clamp"] = {range.lo, range.hi};
}

void add_window(LayerRecord& record, int kernel_h, int kernel_w, int stride_h, int stride_w, int top, int left,
                int bottom, int right) {
    record.attributes["kernel"] = {kernel_h, kernel_w};
    record.attributes["stride"] = {stride_h, stride_w};
    record.attributes["padding"] = {top, left, bottom, right};  // top, left, bottom, right
}

void add_weight_and_bias(LayerRecord& record, const Tensor& weight, const Tensor& bias) {
    record.parameters.emplace_back("weight", weight);
    if (!bias.shape.empty()) record.parameters.emplace_back("bias", bias);
    record.attributes["has_bias"] = !bias.shape.empty();
}

// Reading back: each accessor names the layer and the missing or malformed item.
class RecordReader {
public:
    RecordReader(const json& attributes, const std::map<std::string, Tensor>& parameters, std::string what)
        : attributes_(attributes), parameters_(parameters), what_(std::move(what)) {
        require(attributes_.is_object(), what_ + ": 'attributes' is not an object");
    }

    template <typename T>
    T attribute(const char* key) const {
        require(attributes_.contains(key), what_ + ": attribute '" + key + "' is missing");
        try {
            return attributes_.at(key).get<T>();
        } catch (const json::exception&) {
            throw Error(what_ + ": attribute '" + key + "' has the wrong type");
        }
    }
    std::vector<int> pair_attribute(const char* key, size_t size) const {
        const auto values = attribute<std::vector<int>>(key);
        require(values.size() == size, what_ + ": attribute '" + key + "' must hold " + std::to_string(size) + " values");
        return values;
    }
    IntType output_type() const { return parse_int_type(attribute<std::string>("output_type")); }

    const Tensor& parameter(const std::string& role) const {
        const auto it = parameters_.find(role);
        require(it != parameters_.end(), what_ + ": parameter '" + role + "' is missing");
        return it->second;
    }
    Tensor bias() const { return attribute<bool>("has_bias") ? parameter("bias") : Tensor(); }

    std::vector<Dyadic> dyadics(const std::string& prefix) const {
        const Tensor& b = parameter(prefix + "multipliers");
        const Tensor& c = parameter(prefix + "shifts");
        require(b.type == kMultiplierType && c.type == kShiftType && b.shape.size() == 1 && b.shape == c.shape,
                what_ + ": '" + prefix + "multipliers' (int32) and '" + prefix +
                    "shifts' (uint8) must be vectors of one length");
        std::vector<Dyadic> dyadics;
        for (size_t i = 0; i < b.data.size(); ++i) {
            const Dyadic m{b.data[i], c.data[i]};
            require(m.mantissa >= kMantissaMin && m.shift >= kMinShift && m.shift <= kMaxShift,
                    what_ + ": " + prefix + "multiplier " + std::to_string(i) + " (b=" + std::to_string(m.mantissa) +
                        ", c=" + std::to_string(m.shift) + ") is not a dyadic multiplier");
            dyadics.push_back(m);
        }
        return dyadics;
    }
    Dyadic single_dyadic(const std::string& prefix) const {
        const std::vector<Dyadic> all = dyadics(prefix);
        require(all.size() == 1, what_ + ": expected one " + prefix + "multiplier, got " + std::to_string(all.size()));
        return all[0];
    }

    Conv2dParams conv_params() const {
        const std::vector<int> stride = pair_attribute("stride", 2), dilation = pair_attribute("dilation", 2),
                               pad = pair_attribute("padding", 4);
        Conv2dParams p;
        p.stride_h = stride[0];
        p.stride_w = stride[1];
        p.pad_top = pad[0];
        p.pad_left = pad[1];
        p.pad_bottom = pad[2];
        p.pad_right = pad[3];
        p.dilation_h = dilation[0];
        p.dilation_w = dilation[1];
        p.groups = attribute<int>("groups");
        return p;
    }
    Pool2dParams pool_params() const {
        const std::vector<int> kernel = pair_attribute("kernel", 2), stride = pair_attribute("stride", 2),
                               pad = pair_attribute("padding", 4);
        return Pool2dParams{kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], pad[2], pad[3]};
    }

private:
    const json& attributes_;
    const std::map<std::string, Tensor>& parameters_;
    std::string what_;
};

}  // namespace

LayerRecord record_layer(const LayerOp& op) {
    LayerRecord record;
    std::visit(
        [&](const auto& layer) {
            using T = std::decay_t<decltype(layer)>;
            if constexpr (std::is_same_v<T, Conv2dLayer>) {
                const Conv2dParams& p = layer.params;
                add_window(record, static_cast<int>(layer.weight.shape.at(2)), static_cast<int>(layer.weight.shape.at(3)),
                           p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom, p.pad_right);
                record.attributes["dilation"] = {p.dilation_h, p.dilation_w};
                record.attributes["groups"] = p.groups;
                record.attributes["fused_residual"] = layer.residual.has_value();
                add_weight_and_bias(record, layer.weight, layer.bias);
                if (layer.residual) {
                    const ResidualAddStage& stage = layer.residual->stage;
                    add_output(record, stage.output_type, stage.relu);
                    add_dyadics(record, "main_", stage.main_multipliers);
                    add_dyadics(record, "identity_", {stage.identity_multiplier});
                } else {
                    add_output(record, layer.output_stage.output_type, layer.output_stage.relu);
                    add_dyadics(record, "", layer.output_stage.multipliers);
                }
            } else if constexpr (std::is_same_v<T, FullyConnectedLayer>) {
                add_output(record, layer.output_stage.output_type, layer.output_stage.relu);
                add_weight_and_bias(record, layer.weight, layer.bias);
                add_dyadics(record, "", layer.output_stage.multipliers);
            } else if constexpr (std::is_same_v<T, ResidualAddLayer>) {
                add_output(record, layer.stage.output_type, layer.stage.relu);
                add_dyadics(record, "main_", layer.stage.main_multipliers);
                add_dyadics(record, "identity_", {layer.stage.identity_multiplier});
            } else if constexpr (std::is_same_v<T, MaxPool2dLayer>) {
                const Pool2dParams& p = layer.params;
                add_window(record, p.kernel_h, p.kernel_w, p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom,
                           p.pad_right);
            } else if constexpr (std::is_same_v<T, AveragePool2dLayer>) {
                const Pool2dParams& p = layer.params;
                add_window(record, p.kernel_h, p.kernel_w, p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom,
                           p.pad_right);
                add_output(record, layer.stage.output_type, false);
                record.attributes["count_include_pad"] = layer.stage.count_include_pad;
                add_dyadics(record, "", layer.stage.multiplier_by_count);  // entry k-1: a window of k elements
            } else if constexpr (std::is_same_v<T, GlobalAveragePoolLayer>) {
                add_output(record, layer.output_type, false);
                add_dyadics(record, "", {layer.multiplier});
            } else if constexpr (std::is_same_v<T, ConcatLayer>) {
                add_output(record, layer.output_type, false);
                record.attributes["axis"] = 1;
                add_dyadics(record, "", layer.multipliers);  // entry i: input i
            } else if constexpr (std::is_same_v<T, RequantizeLayer>) {
                add_output(record, layer.output_type, false);
                add_dyadics(record, "", {layer.multiplier});
            } else if constexpr (std::is_same_v<T, FlattenLayer>) {
                // Metadata only: [N, d1, d2, ...] -> [N, d1 * d2 * ...].
            } else {
                static_assert(std::is_same_v<T, ReshapeLayer>, "record_layer: unhandled layer type");
                record.attributes["shape"] = layer.shape;  // without the batch dimension
            }
        },
        op);
    return record;
}

LayerOp layer_op_from_record(const std::string& op_name, const json& attributes,
                             const std::map<std::string, Tensor>& parameters, const std::string& what) {
    const RecordReader r(attributes, parameters, what);
    if (op_name == "conv2d") {
        Conv2dLayer layer;
        layer.weight = r.parameter("weight");
        layer.bias = r.bias();
        layer.params = r.conv_params();
        if (r.attribute<bool>("fused_residual")) {
            layer.residual = FusedResidual{ResidualAddStage{r.dyadics("main_"), r.single_dyadic("identity_"),
                                                            r.output_type(), r.attribute<bool>("relu")}};
        } else {
            layer.output_stage = OutputStage{r.dyadics(""), r.output_type(), r.attribute<bool>("relu")};
        }
        return layer;
    }
    if (op_name == "fully_connected") {
        return FullyConnectedLayer{r.parameter("weight"), r.bias(),
                                   OutputStage{r.dyadics(""), r.output_type(), r.attribute<bool>("relu")}};
    }
    if (op_name == "residual_add") {
        return ResidualAddLayer{ResidualAddStage{r.dyadics("main_"), r.single_dyadic("identity_"), r.output_type(),
                                                 r.attribute<bool>("relu")}};
    }
    if (op_name == "max_pool2d") return MaxPool2dLayer{r.pool_params()};
    if (op_name == "average_pool2d") {
        return AveragePool2dLayer{r.pool_params(),
                                  AveragePoolStage{r.dyadics(""), r.output_type(), r.attribute<bool>("count_include_pad")}};
    }
    if (op_name == "global_average_pool") return GlobalAveragePoolLayer{r.single_dyadic(""), r.output_type()};
    if (op_name == "concat") return ConcatLayer{r.dyadics(""), r.output_type()};
    if (op_name == "requantize") return RequantizeLayer{r.single_dyadic(""), r.output_type()};
    if (op_name == "flatten") return FlattenLayer{};
    if (op_name == "reshape") return ReshapeLayer{r.attribute<Shape>("shape")};
    throw Error(what + ": unknown op '" + op_name + "'");
}

}  // namespace dyadic::golden
