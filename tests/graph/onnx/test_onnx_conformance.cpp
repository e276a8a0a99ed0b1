// Peer conformance: the ONNX backend node tests for ConvInteger and MatMulInteger
// (Debian's libonnx-testdata), reproduced bit-exactly with the reference's integer cores.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "graph/onnx/onnx_file.h"
#include "graph/onnx/onnx_integer_ops.h"
#include "graph/onnx/onnx_tensor.h"

using namespace dyadic;
namespace fs = std::filesystem;

namespace {

const fs::path kNodeTests = "/usr/share/libonnx-testdata/data/node";

struct NodeCase {
    onnx::NodeProto node;
    std::vector<Tensor> inputs;  // in the node's input order; an omitted optional input is absent
    std::vector<Tensor> expected_outputs;
};

NodeCase load_case(const std::string& name) {
    const fs::path dir = kNodeTests / name;
    INFO("ONNX test directory " << dir << " (package libonnx-testdata)");
    REQUIRE(fs::exists(dir / "model.onnx"));
    const onnx::ModelProto model = onnx_io::load_model((dir / "model.onnx").string());
    REQUIRE(model.graph().node_size() == 1);
    NodeCase result{model.graph().node(0), {}, {}};
    const fs::path data = dir / "test_data_set_0";
    for (int i = 0; fs::exists(data / ("input_" + std::to_string(i) + ".pb")); ++i) {
        result.inputs.push_back(
            onnx_io::integer_tensor(onnx_io::load_tensor((data / ("input_" + std::to_string(i) + ".pb")).string())));
    }
    for (int i = 0; fs::exists(data / ("output_" + std::to_string(i) + ".pb")); ++i) {
        result.expected_outputs.push_back(
            onnx_io::integer_tensor(onnx_io::load_tensor((data / ("output_" + std::to_string(i) + ".pb")).string())));
    }
    REQUIRE(static_cast<int>(result.inputs.size()) <= result.node.input_size());
    REQUIRE(result.expected_outputs.size() == 1);
    return result;
}

const Tensor* optional_input(const NodeCase& c, size_t index) {
    return index < c.inputs.size() ? &c.inputs[index] : nullptr;
}

void require_equal(const Tensor& actual, const Tensor& expected) {
    REQUIRE(actual.shape == expected.shape);
    for (size_t i = 0; i < expected.data.size(); ++i) {
        INFO("first differing element at " << to_string(unravel_index(static_cast<int64_t>(i), expected.shape)));
        REQUIRE(actual.data[i] == expected.data[i]);
    }
}

}  // namespace

TEST_CASE("ONNX ConvInteger conformance cases are reproduced bit-exactly", "[onnx][conformance]") {
    const std::string name = GENERATE(as<std::string>{}, "test_basic_convinteger", "test_convinteger_with_padding",
                                      "test_convinteger_without_padding");
    INFO(name);
    const NodeCase c = load_case(name);
    REQUIRE(c.node.op_type() == "ConvInteger");
    const Tensor actual = onnx_io::conv_integer(c.node, c.inputs.at(0), c.inputs.at(1), optional_input(c, 2),
                                                optional_input(c, 3));
    require_equal(actual, c.expected_outputs[0]);
}

TEST_CASE("ONNX MatMulInteger conformance case is reproduced bit-exactly", "[onnx][conformance]") {
    const NodeCase c = load_case("test_matmulinteger");
    REQUIRE(c.node.op_type() == "MatMulInteger");
    const Tensor actual =
        onnx_io::matmul_integer(c.inputs.at(0), c.inputs.at(1), optional_input(c, 2), optional_input(c, 3));
    require_equal(actual, c.expected_outputs[0]);
}
