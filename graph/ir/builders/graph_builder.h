#pragma once
// Builds IR graphs layer by layer with seeded synthetic parameters, the way an ONNX export of a
// PyTorch model looks before passes (Conv, BatchNormalization, Relu as separate nodes).
// Header is C++17.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "graph/ir/graph.h"

namespace dyadic::ir {

class GraphBuilder {
public:
    explicit GraphBuilder(uint64_t seed);

    // Each call adds one node named `name` whose output tensor is also called `name`, infers its
    // shape and returns the tensor name.
    std::string input(const std::string& name, Shape shape);
    // Weights He-initialized (normal, std sqrt(2 / fan_in)); no bias unless asked for.
    std::string conv(const std::string& x, const std::string& name, int64_t out_channels, int kernel_h, int kernel_w,
                     int stride, int pad_h, int pad_w, bool with_bias = false);
    // Plausible inference statistics: scale in [0.5, 1], bias and mean in [-0.1, 0.1], variance in [0.5, 1.5].
    std::string batch_norm(const std::string& x, const std::string& name, double epsilon);
    std::string relu(const std::string& x, const std::string& name);
    std::string max_pool(const std::string& x, const std::string& name, int kernel, int stride, int pad);
    std::string average_pool(const std::string& x, const std::string& name, int kernel, int stride, int pad,
                             bool count_include_pad);
    std::string global_average_pool(const std::string& x, const std::string& name);
    std::string add(const std::string& a, const std::string& b, const std::string& name);
    std::string concat(const std::vector<std::string>& inputs, const std::string& name);
    std::string flatten(const std::string& x, const std::string& name);
    // Weights normal with std sqrt(1 / K), bias uniform in [-0.01, 0.01]. The output tensor is
    // `output` when given (e.g. "logits"), else `name`.
    std::string fully_connected(const std::string& x, const std::string& name, int64_t out_features,
                                const std::string& output = "");

    const Shape& shape(const std::string& tensor) const { return graph_.value(tensor).shape; }

    // Marks `output` as the graph output and hands the graph over.
    Graph finish(const std::string& output);

private:
    std::string add_node(Node node, const std::string& name, const std::string& output = "");
    FloatTensor normal(Shape shape, double stddev);
    FloatTensor uniform(Shape shape, double low, double high);
    double next_uniform();  // [0, 1), 53 random bits: the same sequence on every platform

    Graph graph_;
    std::mt19937_64 rng_;
};

}  // namespace dyadic::ir
