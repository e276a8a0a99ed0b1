// The float executor's kernels against naive double-precision definitions, and its hooks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "graph/ir/executor.h"
#include "graph/ir/shape_inference.h"
#include "util/error.h"
#include "test_helpers.h"

using namespace dyadic;
using namespace dyadic::ir;
using dyadic::ir::testing::naive_conv;
using dyadic::ir::testing::random_tensor;
using dyadic::ir::testing::require_close;

namespace {

struct ConvCase {
    Shape input, weight;
    ConvAttributes attrs;
    bool bias;
};

Graph conv_graph(const ConvCase& c, uint32_t seed, bool residual, Activation activation) {
    Graph g;
    g.add_input("x", c.input);
    Node n;
    n.op = OpKind::Conv;
    n.name = "conv";
    n.inputs = {"x"};
    n.outputs = {"y"};
    n.conv = c.attrs;
    n.conv.kernel_h = int(c.weight[2]);
    n.conv.kernel_w = int(c.weight[3]);
    n.weight = random_tensor(c.weight, seed);
    if (c.bias) n.bias = random_tensor(Shape{c.weight[0]}, seed + 1);
    n.activation = activation;
    const Shape out = infer_output_shape(n, {c.input});
    if (residual) {
        g.add_input("identity", out);
        n.inputs.push_back("identity");
    }
    g.add_node(n);
    g.add_output("y");
    infer_shapes(g);
    return g;
}

ConvAttributes attrs(int stride_h, int stride_w, int pt, int pl, int pb, int pr, int dh, int dw, int groups) {
    ConvAttributes a;
    a.stride_h = stride_h;
    a.stride_w = stride_w;
    a.pad_top = pt;
    a.pad_left = pl;
    a.pad_bottom = pb;
    a.pad_right = pr;
    a.dilation_h = dh;
    a.dilation_w = dw;
    a.groups = groups;
    return a;
}

}  // namespace

TEST_CASE("executor: Conv (im2col + GEMM) equals the naive double convolution", "[ir][executor]") {
    const std::vector<ConvCase> cases = {
        {{2, 3, 9, 8}, {4, 3, 3, 3}, attrs(1, 1, 1, 1, 1, 1, 1, 1, 1), true},
        {{3, 4, 11, 10}, {6, 2, 3, 2}, attrs(2, 3, 1, 0, 2, 1, 1, 1, 2), false},  // groups, asymmetric pads
        {{1, 2, 12, 12}, {3, 2, 3, 3}, attrs(1, 2, 2, 2, 2, 2, 2, 3, 1), true},   // dilation
        {{2, 5, 6, 6}, {5, 1, 3, 3}, attrs(1, 1, 1, 1, 1, 1, 1, 1, 5), true},     // depthwise
        {{1, 8, 5, 5}, {16, 8, 1, 1}, attrs(1, 1, 0, 0, 0, 0, 1, 1, 1), true},    // 1x1
        // 2x2 output pixels: the executor puts many images into one GEMM (several chunks of 512).
        {{1100, 3, 5, 5}, {4, 3, 3, 3}, attrs(2, 2, 0, 0, 0, 0, 1, 1, 1), true},
        // Unit stride (the padded-plane GEMM): groups, dilation and asymmetric pads together.
        {{2, 6, 9, 11}, {4, 3, 3, 2}, attrs(1, 1, 2, 0, 1, 3, 2, 3, 2), true},
        // A 40x40 image is split into several row tasks; depth 7 * 49 > one block of 256.
        {{1, 7, 40, 40}, {9, 7, 7, 7}, attrs(1, 1, 3, 3, 3, 3, 1, 1, 1), true},
    };
    uint32_t seed = 100;
    for (const ConvCase& c : cases) {
        INFO("input " << to_string(c.input) << " weight " << to_string(c.weight) << " groups " << c.attrs.groups);
        const Graph g = conv_graph(c, seed, false, Activation{});
        const Node& node = g.node(g.nodes()[0]);
        const FloatTensor x = random_tensor(c.input, seed + 2);
        const FloatTensor y = FloatExecutor(g).run(x);
        require_close(y, naive_conv(x, node.weight, node.bias, node.conv));
        // The same bits however the batch is split into GEMM tasks.
        REQUIRE(FloatExecutor(g).run_in_batches(x, 3).data == y.data);
        seed += 10;
    }
}

TEST_CASE("executor: fused residual add and ReLU6 follow conv, then add, then clamp", "[ir][executor]") {
    const ConvCase c{{2, 3, 6, 6}, {3, 3, 3, 3}, attrs(1, 1, 1, 1, 1, 1, 1, 1, 1), true};
    const Graph g = conv_graph(c, 7, true, Activation{true, 6.0});
    const Node& node = g.node(g.nodes()[0]);
    const FloatTensor x = random_tensor(c.input, 8, -3.0f, 3.0f);
    const FloatTensor identity = random_tensor(g.value("identity").shape, 9, -3.0f, 3.0f);
    FloatTensor expected = naive_conv(x, node.weight, node.bias, node.conv);
    bool clipped_low = false, clipped_high = false;
    for (int64_t i = 0; i < expected.size(); ++i) {
        const float sum = expected.data[i] + identity.data[i];
        clipped_low |= sum < 0;
        clipped_high |= sum > 6;
        expected.data[i] = std::min(std::max(sum, 0.0f), 6.0f);
    }
    REQUIRE(clipped_low);
    REQUIRE(clipped_high);
    const TensorMap out = FloatExecutor(g).run({{"x", x}, {"identity", identity}});
    require_close(out.at("y"), expected);
}

TEST_CASE("executor: FullyConnected equals the naive double product", "[ir][executor]") {
    Graph g;
    g.add_input("x", Shape{1, 37});
    Node fc;
    fc.op = OpKind::FullyConnected;
    fc.name = "fc";
    fc.inputs = {"x"};
    fc.outputs = {"y"};
    fc.weight = random_tensor(Shape{11, 37}, 1);
    fc.bias = random_tensor(Shape{11}, 2);
    g.add_node(fc);
    g.add_output("y");
    infer_shapes(g);
    const FloatTensor x = random_tensor(Shape{5, 37}, 3);
    FloatTensor expected(Shape{5, 11});
    for (int n = 0; n < 5; ++n)
        for (int m = 0; m < 11; ++m) {
            double acc = fc.bias.data[m];
            for (int k = 0; k < 37; ++k) acc += double(x.data[n * 37 + k]) * fc.weight.data[m * 37 + k];
            expected.data[n * 11 + m] = float(acc);
        }
    require_close(FloatExecutor(g).run(x), expected);
}

namespace {

// x -> conv (no bias) -> relu -> global average pool, output "gap".
Graph small_chain() {
    Graph g;
    g.add_input("x", Shape{1, 2, 5, 5});
    Node conv;
    conv.op = OpKind::Conv;
    conv.name = "conv";
    conv.inputs = {"x"};
    conv.outputs = {"c"};
    conv.conv.kernel_h = conv.conv.kernel_w = 3;
    conv.weight = random_tensor(Shape{3, 2, 3, 3}, 11);
    g.add_node(conv);
    Node relu;
    relu.op = OpKind::Relu;
    relu.name = "relu";
    relu.activation.relu = true;
    relu.inputs = {"c"};
    relu.outputs = {"r"};
    g.add_node(relu);
    Node gap;
    gap.op = OpKind::GlobalAveragePool;
    gap.name = "gap";
    gap.inputs = {"r"};
    gap.outputs = {"gap"};
    g.add_node(gap);
    g.add_output("gap");
    infer_shapes(g);
    return g;
}

}  // namespace

TEST_CASE("executor: transform hook runs on every tensor before any reader", "[ir][executor]") {
    const Graph g = small_chain();
    const FloatExecutor executor(g);
    const FloatTensor x = random_tensor(Shape{4, 2, 5, 5}, 12);

    std::vector<std::string> seen;
    RunOptions options;
    options.keep = {"c"};
    // Doubling the input doubles the bias-free conv; zeroing negatives of c is what relu does anyway.
    options.transform = [&](const std::string& name, FloatTensor& t) {
        seen.push_back(name);
        if (name == "x")
            for (float& v : t.data) v *= 2.0f;
    };
    std::vector<std::string> observed;
    options.observe = [&](const std::string& name, const FloatTensor& t) {
        observed.push_back(name);
        if (name == "x") REQUIRE(t.data[0] == 2.0f * x.data[0]);  // observe sees the transformed tensor
    };
    const TensorMap out = executor.run({{"x", x}}, options);
    REQUIRE(seen == std::vector<std::string>{"x", "c", "r", "gap"});
    REQUIRE(observed == seen);
    REQUIRE(out.size() == 2);  // the graph output and the kept tensor

    FloatTensor doubled = x;
    for (float& v : doubled.data) v *= 2.0f;
    const Node& conv = g.node(*g.find_node("conv"));
    require_close(out.at("c"), naive_conv(doubled, conv.weight, conv.bias, conv.conv));

    RunOptions all;
    all.keep_all = true;
    REQUIRE(executor.run({{"x", x}}, all).size() == 4);
}

TEST_CASE("executor: any batch size, batches equal one run, bad inputs rejected", "[ir][executor]") {
    const Graph g = small_chain();
    const FloatExecutor executor(g);
    const FloatTensor x = random_tensor(Shape{7, 2, 5, 5}, 13);
    const FloatTensor whole = executor.run(x);
    REQUIRE(whole.shape == Shape{7, 3, 1, 1});
    const FloatTensor batched = executor.run_in_batches(x, 3);
    REQUIRE(batched.shape == whole.shape);
    // Each output element is summed in one order however the batch is split into GEMM tasks.
    REQUIRE(batched.data == whole.data);

    REQUIRE_THROWS_WITH(executor.run(random_tensor(Shape{7, 2, 5, 6}, 1)), Catch::Contains("'x'"));
    REQUIRE_THROWS_WITH(executor.run(TensorMap{}), Catch::Contains("missing"));
    RunOptions bad;
    bad.keep = {"nope"};
    REQUIRE_THROWS_WITH(executor.run(x, bad), Catch::Contains("'nope'"));
}
