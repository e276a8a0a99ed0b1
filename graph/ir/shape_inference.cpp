#include "graph/ir/shape_inference.h"

#include <string>

#include "util/checked.h"
#include "util/error.h"

namespace dyadic::ir {
namespace {

std::string where(const Node& node) { return std::string(op_name(node.op)) + " node '" + node.name + "'"; }

void need(bool ok, const Node& node, const std::string& problem) {
    if (!ok) throw Error(where(node) + ": " + problem);
}

// Dimensions come from outside (ONNX graphs): every sum and product of them is checked.
int64_t add(const Node& node, int64_t a, int64_t b, const std::string& what) {
    return checked_add(a, b, where(node) + ": " + what);
}
int64_t mul(const Node& node, int64_t a, int64_t b, const std::string& what) {
    return checked_mul(a, b, where(node) + ": " + what);
}

// Output length of one spatial axis for a window of `kernel` taps spaced `dilation` apart.
int64_t window_output(const Node& node, const char* axis, int64_t in, int kernel, int stride, int pad_begin,
                      int pad_end, int dilation) {
    need(kernel >= 1 && stride >= 1 && dilation >= 1, node,
         std::string("kernel, stride and dilation along ") + axis + " must be >= 1");
    need(pad_begin >= 0 && pad_end >= 0, node, std::string("negative padding along ") + axis);
    const int64_t extent = int64_t{dilation} * (kernel - 1) + 1;
    const int64_t padded = add(node, add(node, in, pad_begin, std::string("padded ") + axis), pad_end,
                               std::string("padded ") + axis);
    need(extent <= padded, node,
         std::string("window of ") + std::to_string(extent) + " along " + axis + " is larger than the padded input (" +
             std::to_string(padded) + ")");
    return (padded - extent) / stride + 1;
}

Shape conv_shape(const Node& node, const std::vector<Shape>& in) {
    const Shape& x = in[0];
    const ConvAttributes& a = node.conv;
    need(x.size() == 4, node, "input must be 4-D [N, C, H, W], got " + to_string(x));
    const Shape& w = node.weight.shape;
    need(w.size() == 4, node, "weight must be 4-D [C_out, C_in/groups, KH, KW], got " + to_string(w));
    need(a.groups >= 1 && x[1] % a.groups == 0 && w[0] % a.groups == 0, node,
         "groups " + std::to_string(a.groups) + " must divide the input channels " + std::to_string(x[1]) +
             " and the output channels " + std::to_string(w[0]));
    need(w[1] == x[1] / a.groups, node,
         "weight " + to_string(w) + " does not fit input " + to_string(x) + " with groups " + std::to_string(a.groups));
    need(w[2] == a.kernel_h && w[3] == a.kernel_w, node,
         "kernel " + std::to_string(a.kernel_h) + "x" + std::to_string(a.kernel_w) + " disagrees with weight " +
             to_string(w));
    need(node.bias.empty() || node.bias.shape == Shape{w[0]}, node,
         "bias " + to_string(node.bias.shape) + " must be [" + std::to_string(w[0]) + "]");
    const int64_t oh = window_output(node, "height", x[2], a.kernel_h, a.stride_h, a.pad_top, a.pad_bottom, a.dilation_h);
    const int64_t ow = window_output(node, "width", x[3], a.kernel_w, a.stride_w, a.pad_left, a.pad_right, a.dilation_w);
    Shape out{x[0], w[0], oh, ow};
    need(in.size() <= 2, node, "takes at most two inputs (x and the residual identity)");
    if (in.size() == 2)
        need(in[1] == out, node, "residual identity " + to_string(in[1]) + " must have the output shape " + to_string(out));
    return out;
}

Shape pool_shape(const Node& node, const Shape& x) {
    const PoolAttributes& a = node.pool;
    need(x.size() == 4, node, "input must be 4-D [N, C, H, W], got " + to_string(x));
    // A window lying entirely in the padding would average nothing; the reference rejects it too.
    need(a.pad_top < a.kernel_h && a.pad_bottom < a.kernel_h && a.pad_left < a.kernel_w && a.pad_right < a.kernel_w,
         node, "padding must be smaller than the kernel");
    const int64_t oh = window_output(node, "height", x[2], a.kernel_h, a.stride_h, a.pad_top, a.pad_bottom, 1);
    const int64_t ow = window_output(node, "width", x[3], a.kernel_w, a.stride_w, a.pad_left, a.pad_right, 1);
    return {x[0], x[1], oh, ow};
}

Shape batch_norm_shape(const Node& node, const Shape& x) {
    need(x.size() >= 2, node, "input must have a channel axis, got " + to_string(x));
    const BatchNormParameters& p = node.batch_norm;
    for (const FloatTensor* t : {&p.scale, &p.bias, &p.mean, &p.variance})
        need(t->shape == Shape{x[1]}, node,
             "parameters must have shape [" + std::to_string(x[1]) + "], got " + to_string(t->shape));
    need(p.epsilon >= 0, node, "epsilon must be non-negative");
    return x;
}

Shape fully_connected_shape(const Node& node, const Shape& x) {
    need(x.size() == 2, node, "input must be 2-D [N, K], got " + to_string(x));
    const Shape& w = node.weight.shape;
    need(w.size() == 2 && w[1] == x[1], node, "weight " + to_string(w) + " does not fit input " + to_string(x));
    need(node.bias.empty() || node.bias.shape == Shape{w[0]}, node,
         "bias " + to_string(node.bias.shape) + " must be [" + std::to_string(w[0]) + "]");
    return {x[0], w[0]};
}

Shape flatten_shape(const Node& node, const Shape& x) {
    need(node.axis >= 0 && node.axis <= static_cast<int>(x.size()), node,
         "axis " + std::to_string(node.axis) + " out of range for input " + to_string(x));
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < x.size(); ++i) {
        int64_t& side = static_cast<int>(i) < node.axis ? outer : inner;
        side = mul(node, side, x[i], "flattened size of " + to_string(x));
    }
    return {outer, inner};
}

Shape concat_shape(const Node& node, const std::vector<Shape>& in) {
    const Shape& first = in[0];
    need(node.axis >= 0 && node.axis < static_cast<int>(first.size()), node,
         "axis " + std::to_string(node.axis) + " out of range for input " + to_string(first));
    Shape out = first;
    out[node.axis] = 0;
    for (const Shape& s : in) {
        need(s.size() == first.size(), node, "inputs " + to_string(first) + " and " + to_string(s) + " differ in rank");
        for (size_t d = 0; d < s.size(); ++d)
            need(static_cast<int>(d) == node.axis || s[d] == first[d], node,
                 "inputs " + to_string(first) + " and " + to_string(s) + " differ outside axis " +
                     std::to_string(node.axis));
        out[node.axis] = add(node, out[node.axis], s[node.axis], "concatenated axis " + std::to_string(node.axis));
    }
    return out;
}

}  // namespace

Shape resolve_reshape(const Shape& input, const Shape& target, const std::string& node_name) {
    const auto fail = [&](const std::string& problem) {
        throw Error("Reshape node '" + node_name + "': " + problem + " (input " + to_string(input) + ", shape " +
                    to_string(target) + ")");
    };
    Shape out = target;
    int inferred = -1;
    int64_t known = 1;
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i] == 0) {
            if (i >= input.size()) fail("0 at position " + std::to_string(i) + " has no input dimension to copy");
            out[i] = input[i];
        } else if (out[i] == -1) {
            if (inferred >= 0) fail("more than one -1");
            inferred = static_cast<int>(i);
            continue;
        } else if (out[i] < 0) {
            fail("negative dimension");
        }
        try {
            known = checked_mul(known, out[i], "element count");
        } catch (const Error&) {
            fail("the shape has more elements than a 64-bit count can hold");
        }
    }
    const int64_t total = element_count(input);
    if (inferred >= 0) {
        if (known == 0 || total % known != 0) fail("cannot infer the -1 dimension");
        out[inferred] = total / known;
    }
    if (element_count(out) != total) fail("element counts differ");
    return out;
}

Shape infer_output_shape(const Node& node, const std::vector<Shape>& in) {
    need(in.size() == node.inputs.size(), node, "got " + std::to_string(in.size()) + " input shapes for " +
                                                    std::to_string(node.inputs.size()) + " inputs");
    need(!in.empty(), node, "has no input");
    const auto arity = [&](size_t n) { need(in.size() == n, node, "takes " + std::to_string(n) + " input(s)"); };
    switch (node.op) {
        case OpKind::Conv: return conv_shape(node, in);
        case OpKind::BatchNormalization: arity(1); return batch_norm_shape(node, in[0]);
        case OpKind::Relu:
            arity(1);
            need(node.activation.relu && node.activation.upper_bound > 0, node, "needs relu with a positive upper bound");
            return in[0];
        case OpKind::Add:
            arity(2);
            need(in[0] == in[1], node,
                 "inputs " + to_string(in[0]) + " and " + to_string(in[1]) + " differ (broadcasting is not supported)");
            return in[0];
        case OpKind::MaxPool:
        case OpKind::AveragePool: arity(1); return pool_shape(node, in[0]);
        case OpKind::GlobalAveragePool:
            arity(1);
            need(in[0].size() == 4, node, "input must be 4-D [N, C, H, W], got " + to_string(in[0]));
            return {in[0][0], in[0][1], 1, 1};
        case OpKind::FullyConnected: arity(1); return fully_connected_shape(node, in[0]);
        case OpKind::Flatten: arity(1); return flatten_shape(node, in[0]);
        case OpKind::Reshape: arity(1); return resolve_reshape(in[0], node.reshape_shape, node.name);
        case OpKind::Concat: return concat_shape(node, in);
    }
    throw Error(where(node) + ": unknown op");
}

void infer_shapes(Graph& graph) {
    for (const std::string& name : graph.inputs())
        require(!graph.value(name).shape.empty(), "graph input '" + name + "' has no shape");
    for (const NodeId id : graph.topological_order()) {
        const Node& node = graph.node(id);
        std::vector<Shape> shapes;
        for (const std::string& in : node.inputs) shapes.push_back(graph.value(in).shape);
        graph.value(node.outputs.at(0)).shape = infer_output_shape(node, shapes);
    }
}

}  // namespace dyadic::ir
