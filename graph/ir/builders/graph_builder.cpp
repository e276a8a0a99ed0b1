#include "graph/ir/builders/graph_builder.h"

#include <cmath>

#include "graph/ir/shape_inference.h"

namespace dyadic::ir {

GraphBuilder::GraphBuilder(uint64_t seed) : rng_(seed) {}

double GraphBuilder::next_uniform() { return double(rng_() >> 11) * 0x1.0p-53; }

// Box-Muller on our own uniform draws, because std::normal_distribution differs between
// standard libraries and the synthetic models must be the same everywhere. One normal per pair of
// draws: the sequence is fixed now (other areas' tests and benchmarks depend on these weights).
FloatTensor GraphBuilder::normal(Shape shape, double stddev) {
    FloatTensor t(std::move(shape));
    constexpr double two_pi = 6.283185307179586476925;
    for (float& v : t.data) {
        const double u1 = 1.0 - next_uniform();  // (0, 1]: log stays finite
        const double u2 = next_uniform();
        v = static_cast<float>(stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2));
    }
    return t;
}

FloatTensor GraphBuilder::uniform(Shape shape, double low, double high) {
    FloatTensor t(std::move(shape));
    for (float& v : t.data) v = static_cast<float>(low + (high - low) * next_uniform());
    return t;
}

std::string GraphBuilder::add_node(Node node, const std::string& name, const std::string& output) {
    const std::string tensor = output.empty() ? name : output;
    node.name = name;
    node.outputs = {tensor};
    std::vector<Shape> shapes;
    for (const std::string& in : node.inputs) shapes.push_back(graph_.value(in).shape);
    const Shape out = infer_output_shape(node, shapes);
    graph_.add_node(std::move(node));
    graph_.value(tensor).shape = out;
    return tensor;
}

std::string GraphBuilder::input(const std::string& name, Shape shape) {
    graph_.add_input(name, std::move(shape));
    return name;
}

std::string GraphBuilder::conv(const std::string& x, const std::string& name, int64_t out_channels, int kernel_h,
                               int kernel_w, int stride, int pad_h, int pad_w, bool with_bias) {
    const int64_t in_channels = shape(x).at(1);
    Node node;
    node.op = OpKind::Conv;
    node.inputs = {x};
    ConvAttributes& a = node.conv;
    a.kernel_h = kernel_h;
    a.kernel_w = kernel_w;
    a.stride_h = a.stride_w = stride;
    a.pad_top = a.pad_bottom = pad_h;
    a.pad_left = a.pad_right = pad_w;
    const double fan_in = double(in_channels) * kernel_h * kernel_w;
    node.weight = normal(Shape{out_channels, in_channels, kernel_h, kernel_w}, std::sqrt(2.0 / fan_in));
    if (with_bias) node.bias = uniform(Shape{out_channels}, -0.01, 0.01);
    return add_node(std::move(node), name);
}

std::string GraphBuilder::batch_norm(const std::string& x, const std::string& name, double epsilon) {
    const int64_t channels = shape(x).at(1);
    Node node;
    node.op = OpKind::BatchNormalization;
    node.inputs = {x};
    node.batch_norm.scale = uniform(Shape{channels}, 0.5, 1.0);
    node.batch_norm.bias = uniform(Shape{channels}, -0.1, 0.1);
    node.batch_norm.mean = uniform(Shape{channels}, -0.1, 0.1);
    node.batch_norm.variance = uniform(Shape{channels}, 0.5, 1.5);
    node.batch_norm.epsilon = epsilon;
    return add_node(std::move(node), name);
}

std::string GraphBuilder::relu(const std::string& x, const std::string& name) {
    Node node;
    node.op = OpKind::Relu;
    node.inputs = {x};
    node.activation.relu = true;
    return add_node(std::move(node), name);
}

std::string GraphBuilder::max_pool(const std::string& x, const std::string& name, int kernel, int stride, int pad) {
    Node node;
    node.op = OpKind::MaxPool;
    node.inputs = {x};
    node.pool = PoolAttributes{kernel, kernel, stride, stride, pad, pad, pad, pad, false};
    return add_node(std::move(node), name);
}

std::string GraphBuilder::average_pool(const std::string& x, const std::string& name, int kernel, int stride, int pad,
                                       bool count_include_pad) {
    Node node;
    node.op = OpKind::AveragePool;
    node.inputs = {x};
    node.pool = PoolAttributes{kernel, kernel, stride, stride, pad, pad, pad, pad, count_include_pad};
    return add_node(std::move(node), name);
}

std::string GraphBuilder::global_average_pool(const std::string& x, const std::string& name) {
    Node node;
    node.op = OpKind::GlobalAveragePool;
    node.inputs = {x};
    return add_node(std::move(node), name);
}

std::string GraphBuilder::add(const std::string& a, const std::string& b, const std::string& name) {
    Node node;
    node.op = OpKind::Add;
    node.inputs = {a, b};
    return add_node(std::move(node), name);
}

std::string GraphBuilder::concat(const std::vector<std::string>& inputs, const std::string& name) {
    Node node;
    node.op = OpKind::Concat;
    node.inputs = inputs;
    node.axis = 1;
    return add_node(std::move(node), name);
}

std::string GraphBuilder::flatten(const std::string& x, const std::string& name) {
    Node node;
    node.op = OpKind::Flatten;
    node.inputs = {x};
    node.axis = 1;
    return add_node(std::move(node), name);
}

std::string GraphBuilder::fully_connected(const std::string& x, const std::string& name, int64_t out_features,
                                          const std::string& output) {
    const int64_t in_features = shape(x).at(1);
    Node node;
    node.op = OpKind::FullyConnected;
    node.inputs = {x};
    node.weight = normal(Shape{out_features, in_features}, std::sqrt(1.0 / double(in_features)));
    node.bias = uniform(Shape{out_features}, -0.01, 0.01);
    return add_node(std::move(node), name, output);
}

Graph GraphBuilder::finish(const std::string& output) {
    graph_.add_output(output);
    return std::move(graph_);
}

}  // namespace dyadic::ir
