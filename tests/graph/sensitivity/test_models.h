#pragma once
// Models for the sensitivity tests:
//  - a linear classifier (Flatten + Gemm) written as an ONNX file and loaded the way the CLI loads
//    models, whose Hessian is known in closed form;
//  - a small residual CNN (conv/BN/ReLU, max pool, a residual unit with a downsample conv, a
//    concat branch with Clip and average pooling, global average pool, fully connected) built
//    with the IR's GraphBuilder and prepared by the standard passes, and its smooth variant.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "graph/ir/builders/graph_builder.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"
#include "graph/ir/passes/passes.h"
#include "graph/sensitivity/float_model.h"

namespace dyadic::sensitivity::testing {

inline ir::FloatTensor random_tensor(Shape shape, uint64_t seed, double stddev = 1.0) {
    ir::FloatTensor t(std::move(shape));
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, stddev);
    for (float& v : t.data) v = static_cast<float>(normal(rng));
    return t;
}

inline void add_float_initializer(onnx::GraphProto& graph, const std::string& name, const ir::FloatTensor& t) {
    onnx::TensorProto& init = *graph.add_initializer();
    init.set_name(name);
    init.set_data_type(onnx::TensorProto::FLOAT);
    for (const int64_t d : t.shape) init.add_dims(d);
    for (const float v : t.data) init.add_float_data(v);
}

// image [N, 1, rows, cols] -> Flatten -> Gemm(B = weight^T given as transB = 1, C = bias) -> logits.
inline std::string write_linear_onnx(const std::filesystem::path& path, const ir::FloatTensor& weight,
                                     const ir::FloatTensor& bias, int64_t rows, int64_t cols) {
    onnx::ModelProto model;
    model.set_ir_version(7);
    model.add_opset_import()->set_version(13);
    onnx::GraphProto& graph = *model.mutable_graph();
    graph.set_name("linear");
    onnx::ValueInfoProto& input = *graph.add_input();
    input.set_name("image");
    auto* tensor_type = input.mutable_type()->mutable_tensor_type();
    tensor_type->set_elem_type(onnx::TensorProto::FLOAT);
    tensor_type->mutable_shape()->add_dim()->set_dim_param("N");
    for (const int64_t d : {int64_t{1}, rows, cols}) tensor_type->mutable_shape()->add_dim()->set_dim_value(d);

    onnx::NodeProto& flatten = *graph.add_node();
    flatten.set_op_type("Flatten");
    flatten.set_name("flatten");
    flatten.add_input("image");
    flatten.add_output("flat");
    onnx::NodeProto& gemm = *graph.add_node();
    gemm.set_op_type("Gemm");
    gemm.set_name("fc");
    gemm.add_input("flat");
    gemm.add_input("fc.weight");
    gemm.add_input("fc.bias");
    gemm.add_output("logits");
    onnx::AttributeProto& trans_b = *gemm.add_attribute();
    trans_b.set_name("transB");
    trans_b.set_type(onnx::AttributeProto::INT);
    trans_b.set_i(1);
    add_float_initializer(graph, "fc.weight", weight);
    add_float_initializer(graph, "fc.bias", bias);

    onnx::ValueInfoProto& output = *graph.add_output();
    output.set_name("logits");
    output.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);

    std::ofstream file(path, std::ios::binary);
    model.SerializeToOstream(&file);
    return path.string();
}

// A fresh temporary directory, removed with the object.
class TemporaryDirectory {
public:
    explicit TemporaryDirectory(const std::string& stem) {
        std::random_device entropy;
        path_ = std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(entropy()));
        std::filesystem::create_directories(path_);
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Input "image" [1, 1, 8, 8] -> logits [1, 10]. Names: stem, unit.conv1, unit.conv2,
// unit.downsample (reads the same tensor as unit.conv1), branch.conv, fc.
// With `piecewise_linear` false the ReLUs are left out and max pooling becomes average pooling:
// the logits are then linear in each layer's weights and the loss is smooth (no kinks), which
// lets the tests compare with finite differences at any step.
inline ir::Graph small_residual_cnn(uint64_t seed = 7, bool piecewise_linear = true) {
    ir::GraphBuilder b(seed);
    const auto relu = [&](const std::string& x, const std::string& name) {
        return piecewise_linear ? b.relu(x, name) : x;
    };
    std::string x = b.input("image", Shape{1, 1, 8, 8});
    x = b.conv(x, "stem", 4, 3, 3, 1, 1, 1);
    x = b.batch_norm(x, "stem.bn", 1e-5);
    x = relu(x, "stem.relu");
    x = piecewise_linear ? b.max_pool(x, "pool", 2, 2, 0) : b.average_pool(x, "pool", 2, 2, 0, false);  // [1, 4, 4, 4]
    std::string main = b.conv(x, "unit.conv1", 6, 3, 3, 2, 1, 1);
    main = b.batch_norm(main, "unit.bn1", 1e-5);
    main = relu(main, "unit.relu1");
    main = b.conv(main, "unit.conv2", 6, 3, 3, 1, 1, 1);
    main = b.batch_norm(main, "unit.bn2", 1e-5);
    std::string shortcut = b.conv(x, "unit.downsample", 6, 1, 1, 2, 0, 0);
    shortcut = b.batch_norm(shortcut, "unit.downsample.bn", 1e-5);
    std::string y = b.add(main, shortcut, "unit.add");
    y = relu(y, "unit.relu2");  // [1, 6, 2, 2]
    std::string branch = b.conv(y, "branch.conv", 2, 1, 1, 1, 0, 0, true);
    branch = relu(branch, "branch.clip");
    branch = b.average_pool(branch, "branch.pool", 3, 1, 1, false);
    y = b.concat({y, branch}, "concat");  // [1, 8, 2, 2]
    y = b.global_average_pool(y, "gap");
    y = b.flatten(y, "flatten");
    y = b.fully_connected(y, "fc", 10);
    ir::Graph graph = b.finish(y);
    // Clip(0, 0.5) on the branch: a low ceiling, so that the upper kink is actually reached.
    if (piecewise_linear) graph.node(*graph.find_node("branch.clip")).activation.upper_bound = 0.5;
    ir::run_standard_passes(graph);
    return graph;
}

}  // namespace dyadic::sensitivity::testing
