#include "graph/sensitivity/tangent_propagation.h"

#include <algorithm>
#include <limits>
#include <set>

#include "graph/ir/kernels/float_ops.h"
#include "util/error.h"

namespace dyadic::sensitivity {
namespace {

using ir::FloatTensor;
using ir::OpKind;

// The linear part of a node: what maps an input tangent to an output tangent before the
// activation's derivative is applied. Constant offsets (bias, BatchNorm shift) drop out.
ir::Node linearized(const ir::Node& node) {
    ir::Node linear = node;
    linear.bias = FloatTensor();
    linear.activation = ir::Activation{};
    if (node.op == OpKind::BatchNormalization) {
        std::fill(linear.batch_norm.mean.data.begin(), linear.batch_norm.mean.data.end(), 0.0f);
        std::fill(linear.batch_norm.bias.data.begin(), linear.batch_norm.bias.data.end(), 0.0f);
    }
    return linear;
}

// Multiplies the tangent by the activation's derivative, read off the forward output y = act(z):
// 1 where 0 < y < upper bound, else 0 (0 at the kinks, like PyTorch).
void apply_activation_derivative(const ir::Activation& activation, const FloatTensor& output, FloatTensor& tangent) {
    if (!activation.relu) return;
    const float upper = activation.has_upper_bound() ? static_cast<float>(activation.upper_bound)
                                                     : std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < tangent.size(); ++i)
        if (!(output.data[i] > 0.0f && output.data[i] < upper)) tangent.data[i] = 0.0f;
}

// Max pooling passes on the tangent of the window's first maximum (the executor's max_pool keeps
// the first of equal values too); padding never wins.
void max_pool_tangent(const FloatTensor& x, const FloatTensor& dx, const ir::PoolAttributes& a, FloatTensor& out) {
    const int64_t planes = x.dim(0) * x.dim(1), height = x.dim(2), width = x.dim(3);
    const int64_t out_height = out.dim(2), out_width = out.dim(3);
    for (int64_t plane = 0; plane < planes; ++plane) {
        const float* src = x.data.data() + plane * height * width;
        const float* dsrc = dx.data.data() + plane * height * width;
        float* dst = out.data.data() + plane * out_height * out_width;
        for (int64_t oy = 0; oy < out_height; ++oy) {
            const int64_t top = oy * a.stride_h - a.pad_top;
            const int64_t y0 = std::max<int64_t>(top, 0), y1 = std::min<int64_t>(top + a.kernel_h, height);
            for (int64_t ox = 0; ox < out_width; ++ox) {
                const int64_t left = ox * a.stride_w - a.pad_left;
                const int64_t x0 = std::max<int64_t>(left, 0), x1 = std::min<int64_t>(left + a.kernel_w, width);
                float best = -std::numeric_limits<float>::infinity();
                int64_t best_index = -1;
                for (int64_t y = y0; y < y1; ++y)
                    for (int64_t xx = x0; xx < x1; ++xx)
                        if (best_index < 0 || src[y * width + xx] > best) {
                            best = src[y * width + xx];
                            best_index = y * width + xx;
                        }
                dst[oy * out_width + ox] = best_index < 0 ? 0.0f : dsrc[best_index];
            }
        }
    }
}

}  // namespace

TangentPropagator::TangentPropagator(const ir::Graph& graph) : graph_(graph) {
    require(graph.outputs().size() == 1, "sensitivity: the graph must have exactly one output (the logits)");
    std::map<std::string, std::size_t> last_reader;
    for (const ir::NodeId id : graph.topological_order()) {
        const ir::Node& node = graph.node(id);
        position_.emplace(id, steps_.size());
        for (const std::string& in : node.inputs) last_reader[in] = steps_.size();
        steps_.push_back(Step{id, linearized(node), {}});
    }
    for (const auto& [tensor, step] : last_reader)
        if (!graph.is_output(tensor)) steps_[step].last_read.push_back(tensor);
}

std::size_t TangentPropagator::weight_layer_step(ir::NodeId layer) const {
    const auto found = position_.find(layer);
    require(found != position_.end(), "sensitivity: layer is not a node of the graph");
    const ir::Node& layer_node = graph_.node(layer);
    require(layer_node.op == OpKind::Conv || layer_node.op == OpKind::FullyConnected,
            "sensitivity: layer '" + layer_node.name + "' is a " + ir::op_name(layer_node.op) +
                ", not a Conv or FullyConnected");
    return found->second;
}

namespace {

const FloatTensor& forward_value(const ir::TensorMap& activations, const std::string& tensor) {
    const auto it = activations.find(tensor);
    require(it != activations.end(), "sensitivity: forward activations lack tensor '" + tensor + "'");
    return it->second;
}

// The linear node applied to `input`, without bias and without the residual identity (the
// identity does not move when only this layer's weight or data input does).
FloatTensor apply_linear(const ir::Node& linear, const FloatTensor& input, const Shape& output_shape) {
    FloatTensor out(output_shape);
    if (linear.op == OpKind::Conv)
        ir::kernels::conv2d(input, linear, nullptr, out);
    else
        ir::kernels::fully_connected(input, linear, out);
    return out;
}

}  // namespace

FloatTensor TangentPropagator::output_tangent(ir::NodeId layer, const FloatTensor& direction,
                                              const ir::TensorMap& activations) const {
    const std::size_t step = weight_layer_step(layer);
    const ir::Node& layer_node = graph_.node(layer);
    require(direction.shape == layer_node.weight.shape,
            "sensitivity: direction of shape " + to_string(direction.shape) + " for layer '" + layer_node.name +
                "' whose weight has shape " + to_string(layer_node.weight.shape));
    // The output moves by (direction * x), with x the unperturbed input (the layer's inputs do not
    // depend on its own weights).
    ir::Node perturbed = steps_[step].linear;
    perturbed.weight = direction;
    return propagate(step,
                     apply_linear(perturbed, forward_value(activations, layer_node.inputs.at(0)),
                                  forward_value(activations, layer_node.outputs.at(0)).shape),
                     activations);
}

FloatTensor TangentPropagator::output_tangent_from_input(ir::NodeId layer, const FloatTensor& direction,
                                                         const ir::TensorMap& activations) const {
    const std::size_t step = weight_layer_step(layer);
    const ir::Node& layer_node = graph_.node(layer);
    const FloatTensor& input = forward_value(activations, layer_node.inputs.at(0));
    require(direction.shape == input.shape,
            "sensitivity: input direction of shape " + to_string(direction.shape) + " for layer '" +
                layer_node.name + "' whose input has shape " + to_string(input.shape));
    // The output moves by (W * direction): the layer is linear in its input too.
    return propagate(step,
                     apply_linear(steps_[step].linear, direction,
                                  forward_value(activations, layer_node.outputs.at(0)).shape),
                     activations);
}

FloatTensor TangentPropagator::propagate(std::size_t layer_step, FloatTensor layer_tangent,
                                         const ir::TensorMap& activations) const {
    const auto value = [&](const std::string& tensor) -> const FloatTensor& { return forward_value(activations, tensor); };
    std::map<std::string, FloatTensor> tangents;
    const auto tangent_of = [&](const std::string& tensor) -> const FloatTensor* {
        const auto it = tangents.find(tensor);
        return it == tangents.end() ? nullptr : &it->second;
    };
    {
        const ir::Node& layer_node = graph_.node(steps_[layer_step].id);
        const std::string& output = layer_node.outputs.at(0);
        apply_activation_derivative(layer_node.activation, value(output), layer_tangent);
        tangents.emplace(output, std::move(layer_tangent));
    }

    for (std::size_t s = layer_step + 1; s < steps_.size(); ++s) {
        const Step& step = steps_[s];
        const ir::Node& node = graph_.node(step.id);
        std::vector<const FloatTensor*> in;
        bool any = false;
        for (const std::string& name : node.inputs) {
            in.push_back(tangent_of(name));
            any = any || in.back() != nullptr;
        }
        if (!any) continue;  // this node does not depend on the perturbed layer

        const std::string& output = node.outputs.at(0);
        const FloatTensor& y = value(output);
        FloatTensor out(y.shape);
        switch (node.op) {
            case OpKind::Conv:
                if (in[0])
                    ir::kernels::conv2d(*in[0], step.linear, in.size() > 1 ? in[1] : nullptr, out);
                else
                    out.data = in[1]->data;  // only the residual branch moves
                apply_activation_derivative(node.activation, y, out);
                break;
            case OpKind::FullyConnected:
                ir::kernels::fully_connected(*in[0], step.linear, out);
                apply_activation_derivative(node.activation, y, out);
                break;
            case OpKind::BatchNormalization: ir::kernels::batch_norm(*in[0], step.linear.batch_norm, out); break;
            case OpKind::Relu:
                out.data = in[0]->data;
                apply_activation_derivative(node.activation, y, out);
                break;
            case OpKind::Add:
                for (const FloatTensor* term : in)
                    if (term)
                        for (int64_t i = 0; i < out.size(); ++i) out.data[i] += term->data[i];
                apply_activation_derivative(node.activation, y, out);
                break;
            case OpKind::MaxPool: max_pool_tangent(value(node.inputs[0]), *in[0], node.pool, out); break;
            case OpKind::AveragePool: ir::kernels::average_pool(*in[0], node.pool, out); break;
            case OpKind::GlobalAveragePool: ir::kernels::global_average_pool(*in[0], out); break;
            case OpKind::Flatten:
            case OpKind::Reshape: out.data = in[0]->data; break;
            case OpKind::Concat: {
                std::vector<FloatTensor> zeros;
                zeros.reserve(in.size());
                for (std::size_t k = 0; k < in.size(); ++k)
                    if (!in[k]) in[k] = &zeros.emplace_back(value(node.inputs[k]).shape);
                ir::kernels::concat(in, node.axis, out);
                break;
            }
        }
        for (const std::string& done : step.last_read) tangents.erase(done);
        tangents[output] = std::move(out);
    }

    const std::string& output = graph_.outputs()[0];
    if (const FloatTensor* tangent = tangent_of(output)) return *tangent;
    return FloatTensor(value(output).shape);  // the layer does not reach the output
}

}  // namespace dyadic::sensitivity
