#include "graph/ir/executor.h"

#include <algorithm>
#include <set>

#include "graph/ir/kernels/float_ops.h"
#include "graph/ir/shape_inference.h"
#include "util/error.h"

namespace dyadic::ir {
namespace {

void compute(const Node& node, const std::vector<const FloatTensor*>& in, FloatTensor& out) {
    switch (node.op) {
        case OpKind::Conv: kernels::conv2d(*in[0], node, in.size() > 1 ? in[1] : nullptr, out); return;
        case OpKind::FullyConnected: kernels::fully_connected(*in[0], node, out); return;
        case OpKind::BatchNormalization: kernels::batch_norm(*in[0], node.batch_norm, out); return;
        case OpKind::Relu:
            out.data = in[0]->data;
            kernels::apply_activation(node.activation, out);
            return;
        case OpKind::Add:
            kernels::add(*in[0], *in[1], out);
            kernels::apply_activation(node.activation, out);
            return;
        case OpKind::MaxPool: kernels::max_pool(*in[0], node.pool, out); return;
        case OpKind::AveragePool: kernels::average_pool(*in[0], node.pool, out); return;
        case OpKind::GlobalAveragePool: kernels::global_average_pool(*in[0], out); return;
        case OpKind::Flatten:
        case OpKind::Reshape: out.data = in[0]->data; return;
        case OpKind::Concat: kernels::concat(in, node.axis, out); return;
    }
    throw Error(std::string("executor: no kernel for op ") + op_name(node.op));
}

}  // namespace

FloatExecutor::FloatExecutor(const Graph& graph) : graph_(graph) {
    const auto slot_of = [&](const std::string& name) {
        const auto it = slots_.find(name);
        if (it != slots_.end()) return it->second;
        const int slot = static_cast<int>(slot_names_.size());
        slot_names_.push_back(name);
        slots_.emplace(name, slot);
        return slot;
    };
    for (const std::string& name : graph.inputs()) slot_of(name);
    for (const NodeId id : graph.topological_order()) {
        const Node& node = graph.node(id);
        Step step{id, {}, -1};
        for (const std::string& in : node.inputs) {
            require(slots_.count(in) != 0, "executor: node '" + node.name + "' reads '" + in + "', which nothing computes");
            step.inputs.push_back(slots_.at(in));
        }
        step.output = slot_of(node.outputs.at(0));
        steps_.push_back(std::move(step));
    }
    for (const std::string& out : graph.outputs())
        require(slots_.count(out) != 0, "executor: graph output '" + out + "' is never computed");
    last_use_.assign(slot_names_.size(), -1);
    for (size_t s = 0; s < steps_.size(); ++s)
        for (const int in : steps_[s].inputs) last_use_[in] = static_cast<int>(s);
}

TensorMap FloatExecutor::run(const TensorMap& inputs, const RunOptions& options) const {
    std::set<int> kept;
    for (const std::string& out : graph_.outputs()) kept.insert(slots_.at(out));
    for (const std::string& name : options.keep) {
        const auto it = slots_.find(name);
        require(it != slots_.end(), "executor: cannot keep unknown tensor '" + name + "'");
        kept.insert(it->second);
    }

    std::vector<FloatTensor> slots(slot_names_.size());
    const auto publish = [&](int slot) {
        if (options.transform) options.transform(slot_names_[slot], slots[slot]);
        if (options.observe) options.observe(slot_names_[slot], slots[slot]);
    };

    for (const std::string& name : graph_.inputs()) {
        const auto it = inputs.find(name);
        require(it != inputs.end(), "executor: graph input '" + name + "' is missing");
        const Shape& expected = graph_.value(name).shape;
        const Shape& got = it->second.shape;
        require(got.size() == expected.size() && !got.empty() &&
                    std::equal(got.begin() + 1, got.end(), expected.begin() + 1),
                "executor: graph input '" + name + "' has shape " + to_string(got) + ", expected " +
                    to_string(expected) + " (any batch size)");
        require(element_count(got) == it->second.size(),
                "executor: graph input '" + name + "' has the wrong number of values");
        const int slot = slots_.at(name);
        slots[slot] = it->second;
        publish(slot);
    }
    for (const auto& [name, tensor] : inputs)
        require(graph_.is_input(name), "executor: '" + name + "' is not a graph input");

    for (size_t s = 0; s < steps_.size(); ++s) {
        const Step& step = steps_[s];
        const Node& node = graph_.node(step.node);
        std::vector<const FloatTensor*> in;
        std::vector<Shape> shapes;
        for (const int slot : step.inputs) {
            in.push_back(&slots[slot]);
            shapes.push_back(slots[slot].shape);
        }
        FloatTensor& out = slots[step.output];
        out = FloatTensor(infer_output_shape(node, shapes));
        compute(node, in, out);
        publish(step.output);
        // Free what no later step reads, so a large batch does not hold every activation.
        if (!options.keep_all)
            for (const int slot : step.inputs)
                if (last_use_[slot] == static_cast<int>(s) && !kept.count(slot)) slots[slot] = FloatTensor();
    }

    TensorMap result;
    for (size_t slot = 0; slot < slots.size(); ++slot)
        if (options.keep_all || kept.count(static_cast<int>(slot)))
            result.emplace(slot_names_[slot], std::move(slots[slot]));
    return result;
}

FloatTensor FloatExecutor::run(const FloatTensor& input, const RunOptions& options) const {
    require(graph_.inputs().size() == 1 && graph_.outputs().size() == 1,
            "executor: the single-tensor run needs a graph with one input and one output");
    TensorMap result = run(TensorMap{{graph_.inputs()[0], input}}, options);
    return std::move(result.at(graph_.outputs()[0]));
}

FloatTensor FloatExecutor::run_in_batches(const FloatTensor& input, int64_t batch_size,
                                          const RunOptions& options) const {
    require(batch_size >= 1, "executor: batch size must be at least 1");
    require(!input.shape.empty(), "executor: input has no batch dimension");
    const int64_t total = input.dim(0);
    const int64_t per_item = total == 0 ? 0 : input.size() / total;
    FloatTensor output;
    for (int64_t first = 0; first < total; first += batch_size) {
        const int64_t count = std::min(batch_size, total - first);
        Shape shape = input.shape;
        shape[0] = count;
        FloatTensor batch(shape, std::vector<float>(input.data.begin() + first * per_item,
                                                    input.data.begin() + (first + count) * per_item));
        FloatTensor out = run(batch, options);
        if (output.shape.empty()) {
            output.shape = out.shape;
            output.shape[0] = 0;
        }
        output.shape[0] += count;
        output.data.insert(output.data.end(), out.data.begin(), out.data.end());
    }
    return output;
}

}  // namespace dyadic::ir
