// validate(QuantizedModel): structural checks, so that a model from a file or from a quantizer bug
// fails with a message naming the layer instead of deep inside a backend.
#include <cmath>
#include <string>
#include <type_traits>

#include "graph/quant/quantized_model.h"
#include "util/checked.h"
#include "util/error.h"
#include "reference/ops/pool2d_params.h"

namespace dyadic::quant {
namespace {

class LayerChecker {
public:
    LayerChecker(const QuantizedModel& model, const QuantizedLayer& layer) : model_(model), layer_(layer) {}

    void check() const {
        std::visit([this](const auto& op) { check_op(op); }, layer_.op);
        const TensorInfo& out = output();
        const IntType produced = layer_output_type(model_, layer_);
        expect(out.type == produced, "output tensor '" + out.name + "' is declared " + out.type.name() +
                                         " but the layer produces " + produced.name());
    }

private:
    [[noreturn]] void fail(const std::string& message) const {
        throw Error("model: layer '" + layer_.name + "' (" + op_name(layer_.op) + "): " + message);
    }
    void expect(bool condition, const std::string& message) const {
        if (!condition) fail(message);
    }

    const TensorInfo& input(size_t i) const { return model_.tensors[static_cast<size_t>(layer_.inputs[i])]; }
    const TensorInfo& output() const { return model_.tensors[static_cast<size_t>(layer_.output)]; }

    void expect_inputs(size_t count) const {
        expect(layer_.inputs.size() == count, "expects " + std::to_string(count) + " input(s), has " +
                                                  std::to_string(layer_.inputs.size()));
    }
    void expect_output_shape(const Shape& shape) const {
        expect(output().shape == shape, "output tensor '" + output().name + "' is declared " +
                                            to_string(output().shape) + " but the layer produces " +
                                            to_string(shape));
    }
    void expect_rank(size_t i, size_t rank) const {
        expect(input(i).shape.size() == rank, "input '" + input(i).name + "' must be " + std::to_string(rank) +
                                                  "-D, is " + to_string(input(i).shape));
    }
    void expect_multiplier(const Dyadic& m, const std::string& what) const {
        expect(m.mantissa >= kMantissaMin && m.shift >= kMinShift && m.shift <= kMaxShift,
               what + " is not a well-formed dyadic multiplier (b=" + std::to_string(m.mantissa) +
                   ", c=" + std::to_string(m.shift) + ")");
    }
    void expect_multipliers(const std::vector<Dyadic>& ms, int64_t channels, const std::string& what) const {
        expect(ms.size() == 1 || static_cast<int64_t>(ms.size()) == channels,
               what + ": expected 1 or " + std::to_string(channels) + " multipliers, got " +
                   std::to_string(ms.size()));
        for (size_t i = 0; i < ms.size(); ++i) expect_multiplier(ms[i], what + " multiplier " + std::to_string(i));
    }
    void expect_scale_kept() const {
        expect(output().scale == input(0).scale, "does not rescale, so output '" + output().name +
                                                     "' must keep the input's scale");
    }

    void check_weight(const Tensor& weight, size_t rank) const {
        expect(weight.type.is_signed && weight.type.bits >= 2 && weight.type.bits <= 8,
               "weights must be signed 2..8 bits, are " + weight.type.name());
        expect(weight.shape.size() == rank, "weight must be " + std::to_string(rank) + "-D, is " +
                                                to_string(weight.shape));
        validate(weight, "layer '" + layer_.name + "' weight");
        expect(static_cast<int64_t>(weight.scales.size()) == weight.shape[0],
               "weight needs one scale per output channel (" + std::to_string(weight.shape[0]) + "), has " +
                   std::to_string(weight.scales.size()));
        for (const double s : weight.scales) expect(std::isfinite(s) && s > 0, "weight scales must be positive");
    }
    void check_bias(const Tensor& bias, int64_t channels) const {
        if (bias.shape.empty()) {
            expect(bias.data.empty(), "an absent bias (shape []) must hold no data");
            return;
        }
        expect(bias.type == IntType::int32(), "bias must be int32, is " + bias.type.name());
        expect(bias.shape == Shape{channels}, "bias must have shape [" + std::to_string(channels) + "], has " +
                                                  to_string(bias.shape));
        validate(bias, "layer '" + layer_.name + "' bias");
    }
    void check_output_stage(const OutputStage& stage, int64_t channels) const {
        validate(stage.output_type);
        expect(stage.output_type.bits <= 16, "output type " + stage.output_type.name() + " is wider than 16 bits");
        expect_multipliers(stage.multipliers, channels, "output stage");
    }
    void check_residual_stage(const ResidualAddStage& stage, int64_t channels) const {
        validate(stage.output_type);
        expect(stage.output_type.bits <= 16, "output type " + stage.output_type.name() + " is wider than 16 bits");
        expect_multipliers(stage.main_multipliers, channels, "residual main branch");
        expect_multiplier(stage.identity_multiplier, "residual identity multiplier");
    }

    void check_op(const Conv2dLayer& op) const {
        expect_inputs(op.residual ? 2 : 1);
        expect_rank(0, 4);
        check_weight(op.weight, 4);
        const int64_t channels = op.weight.shape[0];
        check_bias(op.bias, channels);
        const Shape shape = conv2d_output_shape(input(0).shape, op.weight.shape, op.params);
        expect_output_shape(shape);
        if (op.residual) {
            expect(op.output_stage.multipliers.empty(), "has a fused residual, so its own output stage must be empty");
            check_residual_stage(op.residual->stage, channels);
            expect(input(1).shape == shape, "identity '" + input(1).name + "' " + to_string(input(1).shape) +
                                                " does not match the conv output " + to_string(shape));
        } else {
            check_output_stage(op.output_stage, channels);
        }
    }
    void check_op(const FullyConnectedLayer& op) const {
        expect_inputs(1);
        expect_rank(0, 2);
        check_weight(op.weight, 2);
        check_bias(op.bias, op.weight.shape[0]);
        expect(op.weight.shape[1] == input(0).shape[1], "weight " + to_string(op.weight.shape) +
                                                            " does not match input " + to_string(input(0).shape));
        check_output_stage(op.output_stage, op.weight.shape[0]);
        expect_output_shape({input(0).shape[0], op.weight.shape[0]});
    }
    void check_op(const ResidualAddLayer& op) const {
        expect_inputs(2);
        expect(input(0).shape == input(1).shape && input(0).shape.size() >= 2,
               "main " + to_string(input(0).shape) + " and identity " + to_string(input(1).shape) +
                   " must have the same shape with a channel axis");
        check_residual_stage(op.stage, input(0).shape[1]);
        expect_output_shape(input(0).shape);
    }
    void check_op(const MaxPool2dLayer& op) const {
        expect_inputs(1);
        expect_rank(0, 4);
        expect_output_shape(pool2d_output_shape(input(0).shape, op.params, "max_pool2d"));
        expect_scale_kept();
    }
    void check_op(const AveragePool2dLayer& op) const {
        expect_inputs(1);
        expect_rank(0, 4);
        expect_output_shape(pool2d_output_shape(input(0).shape, op.params, "average_pool2d"));
        const int64_t window = int64_t{op.params.kernel_h} * op.params.kernel_w;
        expect(static_cast<int64_t>(op.stage.multiplier_by_count.size()) == window,
               "needs one multiplier per window count 1.." + std::to_string(window) + ", has " +
                   std::to_string(op.stage.multiplier_by_count.size()));
        for (size_t i = 0; i < op.stage.multiplier_by_count.size(); ++i) {
            expect_multiplier(op.stage.multiplier_by_count[i], "average multiplier " + std::to_string(i));
        }
        validate(op.stage.output_type);
        expect(op.stage.output_type.bits <= 16, "output type is wider than 16 bits");
    }
    void check_op(const GlobalAveragePoolLayer& op) const {
        expect_inputs(1);
        expect_rank(0, 4);
        expect_multiplier(op.multiplier, "multiplier");
        validate(op.output_type);
        expect(op.output_type.bits <= 16, "output type is wider than 16 bits");
        expect_output_shape({input(0).shape[0], input(0).shape[1], 1, 1});
    }
    void check_op(const ConcatLayer& op) const {
        expect(!layer_.inputs.empty(), "needs at least one input");
        expect(op.multipliers.size() == layer_.inputs.size(), "needs one multiplier per input");
        Shape shape;
        for (size_t i = 0; i < layer_.inputs.size(); ++i) {
            expect_rank(i, 4);
            expect_multiplier(op.multipliers[i], "multiplier " + std::to_string(i));
            const Shape& s = input(i).shape;
            if (i == 0) {
                shape = s;
                continue;
            }
            expect(s[0] == shape[0] && s[2] == shape[2] && s[3] == shape[3],
                   "inputs " + to_string(shape) + " and " + to_string(s) + " differ outside the channel axis");
            shape[1] = checked_add(shape[1], s[1], "concat output channels");
        }
        validate(op.output_type);
        expect(op.output_type.bits <= 16, "output type is wider than 16 bits");
        expect_output_shape(shape);
    }
    void check_op(const RequantizeLayer& op) const {
        expect_inputs(1);
        expect_rank(0, 4);  // it runs as concat_channels, which is defined on NCHW
        expect_multiplier(op.multiplier, "multiplier");
        validate(op.output_type);
        expect(op.output_type.bits <= 16, "output type is wider than 16 bits");
        expect_output_shape(input(0).shape);
    }
    void check_op(const FlattenLayer&) const {
        expect_inputs(1);
        const Shape& s = input(0).shape;
        expect(!s.empty(), "input must have a batch dimension");
        expect_output_shape({s[0], element_count(s) / (s[0] == 0 ? 1 : s[0])});
        expect_scale_kept();
    }
    void check_op(const ReshapeLayer& op) const {
        expect_inputs(1);
        const Shape& s = input(0).shape;
        expect(!s.empty(), "input must have a batch dimension");
        Shape shape{s[0]};
        shape.insert(shape.end(), op.shape.begin(), op.shape.end());
        expect(element_count(shape) == element_count(s),
               "cannot reshape " + to_string(s) + " to " + to_string(shape));
        expect_output_shape(shape);
        expect_scale_kept();
    }

    const QuantizedModel& model_;
    const QuantizedLayer& layer_;
};

}  // namespace

void validate(const QuantizedModel& model) {
    const auto count = static_cast<TensorId>(model.tensors.size());
    for (const TensorInfo& info : model.tensors) {
        validate(info.type);
        require(info.type.bits <= 16, "model: tensor '" + info.name + "' has type " + info.type.name() +
                                          " (activations are at most 16 bits)");
        require(std::isfinite(info.scale) && info.scale > 0, "model: tensor '" + info.name + "' has scale " +
                                                                  std::to_string(info.scale) + " (must be > 0)");
        require(!info.shape.empty(), "model: tensor '" + info.name + "' has no shape");
        element_count(info.shape);  // throws on negative dimensions
    }
    require(model.input >= 0 && model.input < count, "model: input tensor id " + std::to_string(model.input) +
                                                         " is out of range");
    require(model.tensors[static_cast<size_t>(model.input)].shape.size() == 4,
            "model: the input tensor must be 4-D NCHW");

    std::vector<bool> produced(model.tensors.size(), false);
    produced[static_cast<size_t>(model.input)] = true;
    for (const QuantizedLayer& layer : model.layers) {
        const std::string where = "model: layer '" + layer.name + "'";
        for (const TensorId id : layer.inputs) {
            require(id >= 0 && id < count, where + ": input tensor id " + std::to_string(id) + " is out of range");
            require(produced[static_cast<size_t>(id)],
                    where + ": input '" + model.tensors[static_cast<size_t>(id)].name +
                        "' is not produced by an earlier layer (layers must be in topological order)");
        }
        require(layer.output >= 0 && layer.output < count,
                where + ": output tensor id " + std::to_string(layer.output) + " is out of range");
        require(!produced[static_cast<size_t>(layer.output)],
                where + ": output '" + model.tensors[static_cast<size_t>(layer.output)].name +
                    "' is already produced by the input or another layer");
        produced[static_cast<size_t>(layer.output)] = true;
        LayerChecker(model, layer).check();
    }
    require(!model.outputs.empty(), "model: no output tensors");
    for (const TensorId id : model.outputs) {
        require(id >= 0 && id < count && produced[static_cast<size_t>(id)],
                "model: output tensor id " + std::to_string(id) + " is not produced by any layer");
    }
}

}  // namespace dyadic::quant
