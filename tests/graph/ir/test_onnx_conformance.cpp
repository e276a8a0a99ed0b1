// The float executor against the ONNX backend node tests (Debian's libonnx-testdata): each case's
// model is imported, run on its input_*.pb and compared with its output_0.pb. Inputs the IR keeps
// as node parameters (conv weights, Gemm B and C, BatchNorm statistics, Reshape shape) are graph
// inputs in these models; the test turns them into initializers from their .pb files first.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "graph/ir/executor.h"
#include "graph/ir/onnx_import.h"
#include "graph/onnx/onnx_file.h"
#include "graph/onnx/onnx_tensor.h"
#include "util/error.h"
#include "test_helpers.h"

using namespace dyadic;
using namespace dyadic::ir;
namespace fs = std::filesystem;

namespace {

const fs::path kNodeTests = "/usr/share/libonnx-testdata/data/node";

struct Case {
    onnx::ModelProto model;
    TensorMap runtime_inputs;
    FloatTensor expected;
};

FloatTensor to_float(const onnx::TensorProto& t) { return FloatTensor(onnx_io::shape_of(t), onnx_io::float_data(t)); }

// Loads a node test; the first `activations` graph inputs stay runtime inputs (all when < 0),
// the others become initializers.
Case load_case(const std::string& name, int activations) {
    const fs::path dir = kNodeTests / name;
    INFO("ONNX test directory " << dir << " (package libonnx-testdata)");
    REQUIRE(fs::exists(dir / "model.onnx"));
    Case c{onnx_io::load_model((dir / "model.onnx").string()), {}, {}};
    onnx::GraphProto& graph = *c.model.mutable_graph();
    const fs::path data = dir / "test_data_set_0";
    std::vector<onnx::ValueInfoProto> kept_inputs;
    for (int i = 0; i < graph.input_size(); ++i) {
        onnx::TensorProto value = onnx_io::load_tensor((data / ("input_" + std::to_string(i) + ".pb")).string());
        value.set_name(graph.input(i).name());
        if (activations < 0 || i < activations) {
            c.runtime_inputs.emplace(graph.input(i).name(), to_float(value));
            kept_inputs.push_back(graph.input(i));
        } else {
            *graph.add_initializer() = value;
        }
    }
    graph.clear_input();
    for (const auto& in : kept_inputs) *graph.add_input() = in;
    c.expected = to_float(onnx_io::load_tensor((data / "output_0.pb").string()));
    return c;
}

void check_case(const std::string& name, int activations) {
    INFO("ONNX node test " << name);
    const Case c = load_case(name, activations);
    const Graph graph = import_onnx(c.model);
    const FloatExecutor executor(graph);
    const TensorMap outputs = executor.run(c.runtime_inputs);
    REQUIRE(outputs.size() == 1);
    testing::require_close(outputs.begin()->second, c.expected);
}

void check_rejected(const std::string& name, int activations, const std::string& message) {
    INFO("ONNX node test " << name);
    const Case c = load_case(name, activations);
    REQUIRE_THROWS_WITH(import_onnx(c.model), Catch::Contains(message));
}

}  // namespace

TEST_CASE("ONNX conformance: Conv", "[ir][onnx][conformance]") {
    for (const char* name : {"test_basic_conv_with_padding", "test_basic_conv_without_padding",
                             "test_conv_with_strides_padding", "test_conv_with_strides_no_padding",
                             "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_autopad_same"})
        check_case(name, 1);
}

TEST_CASE("ONNX conformance: MaxPool", "[ir][onnx][conformance]") {
    for (const char* name : {"test_maxpool_2d_default", "test_maxpool_2d_pads", "test_maxpool_2d_precomputed_pads",
                             "test_maxpool_2d_precomputed_same_upper", "test_maxpool_2d_precomputed_strides",
                             "test_maxpool_2d_same_lower", "test_maxpool_2d_same_upper", "test_maxpool_2d_strides"})
        check_case(name, -1);
}

TEST_CASE("ONNX conformance: AveragePool and GlobalAveragePool", "[ir][onnx][conformance]") {
    for (const char* name :
         {"test_averagepool_2d_default", "test_averagepool_2d_pads", "test_averagepool_2d_pads_count_include_pad",
          "test_averagepool_2d_precomputed_pads", "test_averagepool_2d_precomputed_pads_count_include_pad",
          "test_averagepool_2d_precomputed_same_upper", "test_averagepool_2d_precomputed_strides",
          "test_averagepool_2d_same_lower", "test_averagepool_2d_same_upper", "test_averagepool_2d_strides",
          "test_globalaveragepool", "test_globalaveragepool_precomputed"})
        check_case(name, -1);
}

TEST_CASE("ONNX conformance: Gemm and MatMul", "[ir][onnx][conformance]") {
    for (const char* name : {"test_gemm_default_no_bias", "test_gemm_default_scalar_bias",
                             "test_gemm_default_single_elem_vector_bias", "test_gemm_default_vector_bias",
                             "test_gemm_default_zero_bias", "test_gemm_transposeB", "test_matmul_2d"})
        check_case(name, 1);
}

TEST_CASE("ONNX conformance: BatchNormalization, Relu, Clip(0, inf), Add", "[ir][onnx][conformance]") {
    check_case("test_batchnorm_example", 1);
    check_case("test_batchnorm_epsilon", 1);
    check_case("test_relu", -1);
    check_case("test_clip_default_min", 1);
    check_case("test_add", -1);
}

TEST_CASE("ONNX conformance: Flatten, Reshape, Concat", "[ir][onnx][conformance]") {
    for (const char* name : {"test_flatten_axis0", "test_flatten_axis1", "test_flatten_axis2", "test_flatten_axis3",
                             "test_flatten_default_axis", "test_flatten_negative_axis1", "test_flatten_negative_axis2",
                             "test_flatten_negative_axis3", "test_flatten_negative_axis4"})
        check_case(name, -1);
    for (const char* name : {"test_reshape_extended_dims", "test_reshape_negative_dim",
                             "test_reshape_negative_extended_dims", "test_reshape_one_dim", "test_reshape_reduced_dims",
                             "test_reshape_reordered_all_dims", "test_reshape_reordered_last_dims",
                             "test_reshape_zero_and_negative_dim", "test_reshape_zero_dim"})
        check_case(name, 1);
    for (const char* name :
         {"test_concat_1d_axis_0", "test_concat_1d_axis_negative_1", "test_concat_2d_axis_0", "test_concat_2d_axis_1",
          "test_concat_2d_axis_negative_1", "test_concat_2d_axis_negative_2", "test_concat_3d_axis_0",
          "test_concat_3d_axis_1", "test_concat_3d_axis_2", "test_concat_3d_axis_negative_1",
          "test_concat_3d_axis_negative_2", "test_concat_3d_axis_negative_3"})
        check_case(name, -1);
}

TEST_CASE("ONNX conformance models outside the supported subset are rejected by name", "[ir][onnx][conformance]") {
    check_rejected("test_maxpool_2d_ceil", -1, "ceil_mode");
    check_rejected("test_averagepool_2d_ceil", -1, "ceil_mode");
    check_rejected("test_maxpool_2d_dilations", -1, "dilated pooling");
    check_rejected("test_maxpool_1d_default", -1, "2-D");
    check_rejected("test_gemm_alpha", 1, "alpha");
    check_rejected("test_gemm_beta", 1, "beta");
    check_rejected("test_gemm_transposeA", 1, "transA");
    check_rejected("test_gemm_default_matrix_bias", 1, "C of shape");
    check_rejected("test_add_bcast", -1, "broadcasting");
    check_rejected("test_batchnorm_epsilon_training_mode", 1, "training_mode");
    check_rejected("test_clip_example", 1, "Clip(0, max)");
    check_rejected("test_clip_default_inbounds", 1, "Clip(0, max)");
    check_rejected("test_reshape_allowzero_reordered", 1, "allowzero");
    check_rejected("test_leakyrelu", -1, "op 'LeakyRelu' is not supported");
    check_rejected("test_matmul_3d", 1, "2-D left operand");
}
