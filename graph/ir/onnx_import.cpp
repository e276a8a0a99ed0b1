#include "graph/ir/onnx_import.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>

#include "graph/ir/shape_inference.h"
#include "graph/onnx/onnx_file.h"
#include "graph/onnx/onnx_tensor.h"
#include "util/checked.h"
#include "util/error.h"

namespace dyadic::ir {
namespace {

class Importer {
public:
    explicit Importer(const onnx::ModelProto& model) : model_(model) {
        for (const auto& opset : model.opset_import())
            if (opset.domain().empty() || opset.domain() == "ai.onnx") opset_ = opset.version();
    }

    Graph run() {
        const onnx::GraphProto& g = model_.graph();
        for (const onnx::TensorProto& init : g.initializer()) constants_[init.name()] = &init;
        for (const onnx::ValueInfoProto& input : g.input())
            if (!constants_.count(input.name())) add_graph_input(input);
        for (int i = 0; i < g.node_size(); ++i) import_node(g.node(i), i);
        for (const onnx::ValueInfoProto& output : g.output()) {
            require(graph_.has_value(output.name()),
                    "ONNX graph output '" + output.name() + "' is not computed by any supported node");
            graph_.add_output(output.name());
        }
        require(!graph_.outputs().empty(), "ONNX graph has no output");
        return std::move(graph_);
    }

private:
    // ---------------------------------------------------------------- graph inputs and constants
    void add_graph_input(const onnx::ValueInfoProto& input) {
        const std::string what = "ONNX graph input '" + input.name() + "'";
        require(input.type().has_tensor_type(), what + " is not a tensor");
        const auto& tensor_type = input.type().tensor_type();
        require(tensor_type.elem_type() == onnx::TensorProto::FLOAT,
                what + " has element type " + onnx_io::data_type_name(tensor_type.elem_type()) +
                    "; only FLOAT models are imported");
        require(tensor_type.has_shape(), what + " has no shape");
        Shape shape;
        for (int d = 0; d < tensor_type.shape().dim_size(); ++d) {
            const auto& dim = tensor_type.shape().dim(d);
            if (dim.has_dim_value() && dim.dim_value() > 0) {
                shape.push_back(dim.dim_value());
            } else {
                // A symbolic (or unknown) leading dimension is the batch: the executor takes any.
                require(d == 0, what + " has an unknown dimension " + std::to_string(d));
                shape.push_back(1);
            }
        }
        graph_.add_input(input.name(), shape);
    }

    const onnx::TensorProto* constant(const std::string& name) const {
        const auto it = constants_.find(name);
        return it == constants_.end() ? nullptr : it->second;
    }

    // ---------------------------------------------------------------- per node
    struct Context {
        const onnx::NodeProto& proto;
        std::string where;  // "ONNX node 'name' (Op)"
    };

    [[noreturn]] static void fail(const Context& c, const std::string& problem) {
        throw Error(c.where + ": " + problem);
    }
    static void need(const Context& c, bool ok, const std::string& problem) {
        if (!ok) fail(c, problem);
    }

    const onnx::AttributeProto* attribute(const Context& c, const std::string& name) const {
        for (const auto& a : c.proto.attribute())
            if (a.name() == name) return &a;
        return nullptr;
    }
    int64_t int_attribute(const Context& c, const std::string& name, int64_t fallback) const {
        const auto* a = attribute(c, name);
        if (!a) return fallback;
        need(c, a->type() == onnx::AttributeProto::INT, "attribute '" + name + "' must be an int");
        return a->i();
    }
    double float_attribute(const Context& c, const std::string& name, double fallback) const {
        const auto* a = attribute(c, name);
        if (!a) return fallback;
        need(c, a->type() == onnx::AttributeProto::FLOAT, "attribute '" + name + "' must be a float");
        return a->f();
    }
    std::string string_attribute(const Context& c, const std::string& name, const std::string& fallback) const {
        const auto* a = attribute(c, name);
        if (!a) return fallback;
        need(c, a->type() == onnx::AttributeProto::STRING, "attribute '" + name + "' must be a string");
        return a->s();
    }
    std::vector<int64_t> ints_attribute(const Context& c, const std::string& name, std::vector<int64_t> fallback,
                                        size_t expected_size) const {
        const auto* a = attribute(c, name);
        if (!a) return fallback;
        need(c, a->type() == onnx::AttributeProto::INTS, "attribute '" + name + "' must be a list of ints");
        std::vector<int64_t> v(a->ints().begin(), a->ints().end());
        need(c, v.size() == expected_size,
             "attribute '" + name + "' must have " + std::to_string(expected_size) + " entries, got " +
                 std::to_string(v.size()));
        return v;
    }

    // An int64 attribute value narrowed to the int the IR stores, refused (naming the attribute)
    // when it does not fit: 4294967297 must not silently become 1.
    static int narrowed(const Context& c, const std::string& name, int64_t value) {
        try {
            return checked_narrow<int>(value, "attribute '" + name + "'");
        } catch (const Error& e) {
            fail(c, e.what());
        }
    }
    std::vector<int> int_list_attribute(const Context& c, const std::string& name, std::vector<int64_t> fallback,
                                        size_t expected_size) const {
        std::vector<int> v;
        for (const int64_t x : ints_attribute(c, name, std::move(fallback), expected_size)) v.push_back(narrowed(c, name, x));
        return v;
    }

    std::string input(const Context& c, int index) const {
        return index < c.proto.input_size() ? c.proto.input(index) : std::string();
    }
    // An activation input: produced by an earlier node or a graph input, not a constant.
    std::string activation_input(const Context& c, int index) const {
        const std::string name = input(c, index);
        need(c, !name.empty(), "input " + std::to_string(index) + " is missing");
        need(c, !constant(name), "input '" + name + "' is a constant; this op is supported on activations only");
        need(c, graph_.has_value(name), "reads unknown tensor '" + name + "'");
        return name;
    }
    const onnx::TensorProto& constant_input(const Context& c, int index, const char* role) const {
        const std::string name = input(c, index);
        need(c, !name.empty(), std::string("the ") + role + " input is missing");
        const onnx::TensorProto* t = constant(name);
        need(c, t != nullptr, std::string("the ") + role + " '" + name + "' must be an initializer or Constant");
        return *t;
    }
    FloatTensor float_constant(const Context& c, int index, const char* role) const {
        const onnx::TensorProto& t = constant_input(c, index, role);
        try {
            return FloatTensor(onnx_io::shape_of(t), onnx_io::float_data(t));
        } catch (const Error& e) {
            fail(c, std::string(role) + " '" + t.name() + "': " + e.what());
        }
    }
    const Shape& shape_of(const std::string& tensor) const { return graph_.value(tensor).shape; }

    void add(const Context& c, Node node) {
        need(c, c.proto.output_size() == 1,
             "only single-output nodes are supported, this one has " + std::to_string(c.proto.output_size()));
        node.name = node_name(c);
        node.outputs = {c.proto.output(0)};
        std::vector<Shape> shapes;
        for (const std::string& in : node.inputs) shapes.push_back(shape_of(in));
        const Shape out = infer_output_shape(node, shapes);
        graph_.add_node(std::move(node));
        graph_.value(c.proto.output(0)).shape = out;
    }

    std::string node_name(const Context& c) {
        std::string name = c.proto.name();
        if (name.empty() || graph_.find_node(name)) name = c.proto.op_type() + "_" + c.proto.output(0);
        return name;
    }

    void import_node(const onnx::NodeProto& proto, int index) {
        const std::string label = proto.name().empty() ? "#" + std::to_string(index) : "'" + proto.name() + "'";
        const Context c{proto, "ONNX node " + label + " (" + proto.op_type() + ")"};
        need(c, proto.domain().empty() || proto.domain() == "ai.onnx",
             "op domain '" + proto.domain() + "' is not supported");
        need(c, proto.output_size() >= 1 && !proto.output(0).empty(), "has no output");
        const std::string& op = proto.op_type();
        if (op == "Constant") return import_constant(c);
        if (op == "Conv") return import_conv(c);
        if (op == "BatchNormalization") return import_batch_norm(c);
        if (op == "Relu") return import_relu(c);
        if (op == "Clip") return import_clip(c);
        if (op == "Add") return import_add(c);
        if (op == "MaxPool" || op == "AveragePool") return import_pool(c);
        if (op == "GlobalAveragePool") return import_global_average_pool(c);
        if (op == "Gemm") return import_gemm(c);
        if (op == "MatMul") return import_matmul(c);
        if (op == "Flatten") return import_flatten(c);
        if (op == "Reshape") return import_reshape(c);
        if (op == "Concat") return import_concat(c);
        fail(c, "op '" + op + "' is not supported");
    }

    void import_constant(const Context& c) {
        const auto* value = attribute(c, "value");
        need(c, value && value->type() == onnx::AttributeProto::TENSOR,
             "only Constant nodes with a 'value' tensor are supported");
        owned_.push_back(std::make_unique<onnx::TensorProto>(value->t()));
        owned_.back()->set_name(c.proto.output(0));
        constants_[c.proto.output(0)] = owned_.back().get();
    }

    // Explicit pads [top, left, bottom, right] from auto_pad / pads (ONNX order: begins, then ends).
    std::vector<int> resolve_pads(const Context& c, const Shape& input, const std::vector<int>& kernel,
                                  const std::vector<int>& strides, const std::vector<int>& dilations) const {
        const std::string auto_pad = string_attribute(c, "auto_pad", "NOTSET");
        const std::vector<int> pads = int_list_attribute(c, "pads", {0, 0, 0, 0}, 4);
        for (const int p : pads) need(c, p >= 0, "negative pads");
        if (auto_pad == "NOTSET") return pads;
        need(c, !attribute(c, "pads"), "pads and auto_pad " + auto_pad + " are mutually exclusive");
        if (auto_pad == "VALID") return {0, 0, 0, 0};
        need(c, auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER", "auto_pad '" + auto_pad + "' is not valid");
        std::vector<int> result(4);
        for (int axis = 0; axis < 2; ++axis) {
            need(c, kernel[axis] >= 1 && strides[axis] >= 1 && dilations[axis] >= 1,
                 "kernel_shape, strides and dilations must be >= 1 for auto_pad " + auto_pad);
            const int64_t in = input[2 + axis];
            const int64_t out = in / strides[axis] + (in % strides[axis] != 0 ? 1 : 0);
            const int64_t extent = int64_t{dilations[axis]} * (kernel[axis] - 1) + 1;
            // (out - 1) * stride <= in - 1 + stride, so no term below can overflow.
            const int64_t total = std::max<int64_t>(0, (out - 1) * strides[axis] + extent - in);
            // SAME_UPPER puts the odd padding element at the end, SAME_LOWER at the beginning.
            const int64_t small = total / 2, large = total - small;
            result[axis] = narrowed(c, "pads", auto_pad == "SAME_UPPER" ? small : large);
            result[2 + axis] = narrowed(c, "pads", auto_pad == "SAME_UPPER" ? large : small);
        }
        return result;
    }

    void check_spatial_input(const Context& c, const std::string& x) const {
        need(c, shape_of(x).size() == 4, "only 2-D (NCHW) inputs are supported, got " + to_string(shape_of(x)));
    }

    void import_conv(const Context& c) {
        Node node;
        node.op = OpKind::Conv;
        const std::string x = activation_input(c, 0);
        check_spatial_input(c, x);
        node.inputs = {x};
        node.weight = float_constant(c, 1, "weight");
        need(c, node.weight.shape.size() == 4, "only 2-D convolution is supported (weight " +
                                                   to_string(node.weight.shape) + ")");
        if (!input(c, 2).empty()) node.bias = float_constant(c, 2, "bias");
        const std::vector<int> kernel =
            int_list_attribute(c, "kernel_shape", {node.weight.dim(2), node.weight.dim(3)}, 2);
        const std::vector<int> strides = int_list_attribute(c, "strides", {1, 1}, 2);
        const std::vector<int> dilations = int_list_attribute(c, "dilations", {1, 1}, 2);
        ConvAttributes& a = node.conv;
        a.kernel_h = kernel[0];
        a.kernel_w = kernel[1];
        a.stride_h = strides[0];
        a.stride_w = strides[1];
        a.dilation_h = dilations[0];
        a.dilation_w = dilations[1];
        a.groups = narrowed(c, "group", int_attribute(c, "group", 1));
        const std::vector<int> pads = resolve_pads(c, shape_of(x), kernel, strides, dilations);
        a.pad_top = pads[0];
        a.pad_left = pads[1];
        a.pad_bottom = pads[2];
        a.pad_right = pads[3];
        add(c, std::move(node));
    }

    void import_pool(const Context& c) {
        const bool is_max = c.proto.op_type() == "MaxPool";
        Node node;
        node.op = is_max ? OpKind::MaxPool : OpKind::AveragePool;
        const std::string x = activation_input(c, 0);
        check_spatial_input(c, x);
        node.inputs = {x};
        need(c, attribute(c, "kernel_shape") != nullptr, "attribute 'kernel_shape' is required");
        const std::vector<int> kernel = int_list_attribute(c, "kernel_shape", {}, 2);
        const std::vector<int> strides = int_list_attribute(c, "strides", {1, 1}, 2);
        const std::vector<int> dilations = int_list_attribute(c, "dilations", {1, 1}, 2);
        need(c, dilations[0] == 1 && dilations[1] == 1, "dilated pooling is not supported");
        need(c, int_attribute(c, "ceil_mode", 0) == 0, "ceil_mode = 1 is not supported");
        need(c, int_attribute(c, "storage_order", 0) == 0, "storage_order = 1 is not supported");
        PoolAttributes& a = node.pool;
        a.kernel_h = kernel[0];
        a.kernel_w = kernel[1];
        a.stride_h = strides[0];
        a.stride_w = strides[1];
        const std::vector<int> pads = resolve_pads(c, shape_of(x), kernel, strides, dilations);
        a.pad_top = pads[0];
        a.pad_left = pads[1];
        a.pad_bottom = pads[2];
        a.pad_right = pads[3];
        if (!is_max) a.count_include_pad = int_attribute(c, "count_include_pad", 0) != 0;
        add(c, std::move(node));
    }

    void import_global_average_pool(const Context& c) {
        Node node;
        node.op = OpKind::GlobalAveragePool;
        node.inputs = {activation_input(c, 0)};
        check_spatial_input(c, node.inputs[0]);
        add(c, std::move(node));
    }

    void import_batch_norm(const Context& c) {
        need(c, int_attribute(c, "training_mode", 0) == 0, "training_mode = 1 is not supported");
        need(c, int_attribute(c, "spatial", 1) == 1, "spatial = 0 is not supported");
        Node node;
        node.op = OpKind::BatchNormalization;
        node.inputs = {activation_input(c, 0)};
        node.batch_norm.scale = float_constant(c, 1, "scale");
        node.batch_norm.bias = float_constant(c, 2, "bias");
        node.batch_norm.mean = float_constant(c, 3, "mean");
        node.batch_norm.variance = float_constant(c, 4, "variance");
        node.batch_norm.epsilon = float_attribute(c, "epsilon", 1e-5);
        add(c, std::move(node));
    }

    void import_relu(const Context& c) {
        Node node;
        node.op = OpKind::Relu;
        node.inputs = {activation_input(c, 0)};
        node.activation.relu = true;
        add(c, std::move(node));
    }

    // Clip(0, max) is a ReLU with an upper bound (ReLU6 for max = 6); other bounds have no
    // integer meaning in dyadic (the lower clamp of a quantized tensor is 0 or its type minimum).
    void import_clip(const Context& c) {
        std::optional<double> low, high;
        if (opset_ < 11) {
            if (attribute(c, "min")) low = float_attribute(c, "min", 0);
            if (attribute(c, "max")) high = float_attribute(c, "max", 0);
        } else {
            const auto scalar = [&](int index, const char* role) -> std::optional<double> {
                if (input(c, index).empty()) return std::nullopt;
                const FloatTensor t = float_constant(c, index, role);
                need(c, t.size() == 1, std::string(role) + " must be a scalar");
                return double{t.data[0]};
            };
            low = scalar(1, "min");
            high = scalar(2, "max");
        }
        need(c, low && *low == 0.0,
             "only Clip(0, max) (ReLU, ReLU6) is supported, got min = " + (low ? std::to_string(*low) : "none"));
        need(c, !high || (std::isfinite(*high) && *high > 0), "Clip max must be positive");
        Node node;
        node.op = OpKind::Relu;
        node.inputs = {activation_input(c, 0)};
        node.activation.relu = true;
        if (high) node.activation.upper_bound = *high;
        add(c, std::move(node));
    }

    void import_add(const Context& c) {
        Node node;
        node.op = OpKind::Add;
        node.inputs = {activation_input(c, 0), activation_input(c, 1)};
        need(c, shape_of(node.inputs[0]) == shape_of(node.inputs[1]),
             "inputs " + to_string(shape_of(node.inputs[0])) + " and " + to_string(shape_of(node.inputs[1])) +
                 " differ; broadcasting Add is not supported");
        add(c, std::move(node));
    }

    // Weight [N, K] from a [K, N] matrix.
    static FloatTensor transposed(const FloatTensor& m) {
        const int64_t rows = m.dim(0), cols = m.dim(1);
        FloatTensor t(Shape{cols, rows});
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t k = 0; k < cols; ++k) t.data[k * rows + r] = m.data[r * cols + k];
        return t;
    }

    void import_gemm(const Context& c) {
        need(c, int_attribute(c, "transA", 0) == 0, "transA = 1 is not supported");
        need(c, float_attribute(c, "alpha", 1.0) == 1.0, "alpha != 1 is not supported");
        need(c, float_attribute(c, "beta", 1.0) == 1.0, "beta != 1 is not supported");
        Node node;
        node.op = OpKind::FullyConnected;
        node.inputs = {activation_input(c, 0)};
        const FloatTensor b = float_constant(c, 1, "B");
        need(c, b.shape.size() == 2, "B must be 2-D, got " + to_string(b.shape));
        node.weight = int_attribute(c, "transB", 0) != 0 ? b : transposed(b);
        const int64_t n = node.weight.dim(0);
        if (!input(c, 2).empty()) {
            const FloatTensor bias = float_constant(c, 2, "C");
            // Only a bias per output feature: a scalar, [1], [N] or [1, N].
            const bool per_feature = bias.size() == n && (bias.shape == Shape{n} || bias.shape == Shape{1, n});
            const bool scalar = bias.size() == 1 && bias.shape.size() <= 2;
            need(c, per_feature || scalar, "C of shape " + to_string(bias.shape) +
                                               " is not supported (only a scalar or one bias per output feature)");
            node.bias = FloatTensor(Shape{n}, std::vector<float>(static_cast<size_t>(n), bias.data[0]));
            if (per_feature) node.bias.data = bias.data;
        }
        add(c, std::move(node));
    }

    void import_matmul(const Context& c) {
        Node node;
        node.op = OpKind::FullyConnected;
        node.inputs = {activation_input(c, 0)};
        need(c, shape_of(node.inputs[0]).size() == 2,
             "only a 2-D left operand is supported, got " + to_string(shape_of(node.inputs[0])));
        const FloatTensor b = float_constant(c, 1, "right operand");
        need(c, b.shape.size() == 2, "the right operand must be 2-D, got " + to_string(b.shape));
        node.weight = transposed(b);
        add(c, std::move(node));
    }

    static int normalized_axis(const Context& c, int64_t axis, int64_t rank, bool inclusive_end) {
        const int64_t limit = inclusive_end ? rank : rank - 1;
        if (axis < 0) axis += rank;
        need(c, axis >= 0 && axis <= limit, "axis out of range for rank " + std::to_string(rank));
        return int(axis);
    }

    void import_flatten(const Context& c) {
        Node node;
        node.op = OpKind::Flatten;
        node.inputs = {activation_input(c, 0)};
        node.axis = normalized_axis(c, int_attribute(c, "axis", 1), int64_t(shape_of(node.inputs[0]).size()), true);
        add(c, std::move(node));
    }

    void import_reshape(const Context& c) {
        Node node;
        node.op = OpKind::Reshape;
        node.inputs = {activation_input(c, 0)};
        if (opset_ < 5) {
            need(c, attribute(c, "shape") != nullptr, "attribute 'shape' is required");
            const auto* a = attribute(c, "shape");
            node.reshape_shape.assign(a->ints().begin(), a->ints().end());
        } else {
            const onnx::TensorProto& shape = constant_input(c, 1, "shape");
            try {
                node.reshape_shape = onnx_io::int64_data(shape);
            } catch (const Error& e) {
                fail(c, std::string("shape: ") + e.what());
            }
        }
        const bool has_zero = std::count(node.reshape_shape.begin(), node.reshape_shape.end(), 0) > 0;
        need(c, int_attribute(c, "allowzero", 0) == 0 || !has_zero, "allowzero = 1 with a 0 in the shape is not supported");
        add(c, std::move(node));
    }

    void import_concat(const Context& c) {
        need(c, attribute(c, "axis") != nullptr, "attribute 'axis' is required");
        Node node;
        node.op = OpKind::Concat;
        for (int i = 0; i < c.proto.input_size(); ++i) node.inputs.push_back(activation_input(c, i));
        need(c, !node.inputs.empty(), "has no input");
        node.axis = normalized_axis(c, int_attribute(c, "axis", 0), int64_t(shape_of(node.inputs[0]).size()), false);
        add(c, std::move(node));
    }

    const onnx::ModelProto& model_;
    int64_t opset_ = 1;
    Graph graph_;
    std::map<std::string, const onnx::TensorProto*> constants_;
    std::vector<std::unique_ptr<onnx::TensorProto>> owned_;
};

}  // namespace

Graph import_onnx(const onnx::ModelProto& model) {
    require(model.has_graph(), "ONNX model has no graph");
    return Importer(model).run();
}

Graph import_onnx_file(const std::string& path) {
    const onnx::ModelProto model = onnx_io::load_model(path);
    try {
        return import_onnx(model);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

}  // namespace dyadic::ir
