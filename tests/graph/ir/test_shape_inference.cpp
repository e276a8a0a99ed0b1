// Shape inference, against shapes derived by hand from the op definitions.
#include <catch2/catch.hpp>

#include "graph/ir/shape_inference.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::ir;

namespace {

Node conv_node(Shape weight, ConvAttributes a) {
    Node n;
    n.op = OpKind::Conv;
    n.name = "conv";
    n.inputs = {"x"};
    n.outputs = {"y"};
    a.kernel_h = int(weight[2]);
    a.kernel_w = int(weight[3]);
    n.conv = a;
    n.weight = FloatTensor(std::move(weight));
    return n;
}

Node simple(OpKind op, size_t inputs = 1) {
    Node n;
    n.op = op;
    n.name = std::string(1, 'n');  // not a const char* assignment: GCC 12 warns falsely there (-Wrestrict)
    n.inputs.assign(inputs, "x");
    n.outputs = {"y"};
    return n;
}

}  // namespace

TEST_CASE("shape inference: Conv with stride, asymmetric pads, dilation and groups", "[ir][shape]") {
    ConvAttributes a;
    a.stride_h = 2;
    a.stride_w = 3;
    a.pad_top = 1;
    a.pad_left = 2;
    a.pad_bottom = 0;
    a.pad_right = 1;
    a.dilation_h = 2;
    // OH = (10 + 1 + 0 - (2*(3-1)+1)) / 2 + 1 = 4;  OW = (12 + 2 + 1 - 5) / 3 + 1 = 4
    REQUIRE(infer_output_shape(conv_node({8, 3, 3, 5}, a), {{2, 3, 10, 12}}) == Shape{2, 8, 4, 4});

    ConvAttributes grouped;
    grouped.groups = 2;
    REQUIRE(infer_output_shape(conv_node({4, 3, 3, 3}, grouped), {{1, 6, 5, 5}}) == Shape{1, 4, 3, 3});
    REQUIRE_THROWS_WITH(infer_output_shape(conv_node({4, 3, 3, 3}, ConvAttributes{}), {{1, 6, 5, 5}}),
                        Catch::Contains("Conv node 'conv'") && Catch::Contains("does not fit"));
    REQUIRE_THROWS_WITH(infer_output_shape(conv_node({4, 6, 7, 7}, ConvAttributes{}), {{1, 6, 5, 5}}),
                        Catch::Contains("larger than the padded input"));
    Node with_identity = conv_node({4, 6, 1, 1}, ConvAttributes{});
    with_identity.inputs = {"x", "id"};
    REQUIRE(infer_output_shape(with_identity, {{1, 6, 5, 5}, {1, 4, 5, 5}}) == Shape{1, 4, 5, 5});
    REQUIRE_THROWS_WITH(infer_output_shape(with_identity, {{1, 6, 5, 5}, {1, 6, 5, 5}}),
                        Catch::Contains("residual identity"));
}

TEST_CASE("shape inference: pooling", "[ir][shape]") {
    Node pool = simple(OpKind::MaxPool);
    pool.pool = PoolAttributes{3, 3, 2, 2, 1, 1, 1, 1, false};
    REQUIRE(infer_output_shape(pool, {{1, 2, 7, 7}}) == Shape{1, 2, 4, 4});  // (7 + 2 - 3) / 2 + 1
    pool.pool = PoolAttributes{2, 3, 2, 1, 0, 0, 1, 0, false};
    REQUIRE(infer_output_shape(pool, {{1, 2, 7, 7}}) == Shape{1, 2, 4, 5});  // (7+1-2)/2+1, (7-3)/1+1
    pool.pool = PoolAttributes{9, 9, 1, 1, 0, 0, 0, 0, false};
    REQUIRE_THROWS_WITH(infer_output_shape(pool, {{1, 2, 7, 7}}), Catch::Contains("MaxPool node 'n'"));
    pool.pool = PoolAttributes{2, 2, 1, 1, 2, 0, 0, 0, false};
    REQUIRE_THROWS_WITH(infer_output_shape(pool, {{1, 2, 7, 7}}), Catch::Contains("smaller than the kernel"));
    REQUIRE(infer_output_shape(simple(OpKind::GlobalAveragePool), {{3, 5, 7, 6}}) == Shape{3, 5, 1, 1});
    REQUIRE_THROWS(infer_output_shape(simple(OpKind::GlobalAveragePool), {{3, 5}}));
}

TEST_CASE("shape inference: FullyConnected, Add, BatchNormalization", "[ir][shape]") {
    Node fc = simple(OpKind::FullyConnected);
    fc.weight = FloatTensor(Shape{6, 10});
    REQUIRE(infer_output_shape(fc, {{4, 10}}) == Shape{4, 6});
    REQUIRE_THROWS_WITH(infer_output_shape(fc, {{4, 9}}), Catch::Contains("does not fit"));
    fc.bias = FloatTensor(Shape{5});
    REQUIRE_THROWS_WITH(infer_output_shape(fc, {{4, 10}}), Catch::Contains("bias"));

    REQUIRE(infer_output_shape(simple(OpKind::Add, 2), {{2, 3, 4}, {2, 3, 4}}) == Shape{2, 3, 4});
    REQUIRE_THROWS_WITH(infer_output_shape(simple(OpKind::Add, 2), {{2, 3, 4}, {4}}), Catch::Contains("broadcasting"));

    Node bn = simple(OpKind::BatchNormalization);
    for (FloatTensor* t : {&bn.batch_norm.scale, &bn.batch_norm.bias, &bn.batch_norm.mean, &bn.batch_norm.variance})
        *t = FloatTensor(Shape{3});
    REQUIRE(infer_output_shape(bn, {{2, 3, 5, 5}}) == Shape{2, 3, 5, 5});
    REQUIRE_THROWS_WITH(infer_output_shape(bn, {{2, 4, 5, 5}}), Catch::Contains("[4]"));
}

TEST_CASE("shape inference: Flatten, Reshape, Concat", "[ir][shape]") {
    Node flatten = simple(OpKind::Flatten);
    flatten.axis = 0;
    REQUIRE(infer_output_shape(flatten, {{2, 3, 4, 5}}) == Shape{1, 120});
    flatten.axis = 2;
    REQUIRE(infer_output_shape(flatten, {{2, 3, 4, 5}}) == Shape{6, 20});
    flatten.axis = 4;
    REQUIRE(infer_output_shape(flatten, {{2, 3, 4, 5}}) == Shape{120, 1});
    flatten.axis = 5;
    REQUIRE_THROWS(infer_output_shape(flatten, {{2, 3, 4, 5}}));

    REQUIRE(resolve_reshape({2, 3, 4}, {0, -1}, "r") == Shape{2, 12});
    REQUIRE(resolve_reshape({2, 3, 4}, {4, 0, 2}, "r") == Shape{4, 3, 2});
    REQUIRE(resolve_reshape({2, 3, 4}, {-1}, "r") == Shape{24});
    // docs/semantics.md, section 9.8: ONNX shape [0, 3, -1, 2] on [1, 12].
    REQUIRE(resolve_reshape({1, 12}, {0, 3, -1, 2}, "r") == Shape{1, 3, 2, 2});
    REQUIRE_THROWS_WITH(resolve_reshape({2, 3, 4}, {-1, -1}, "r"), Catch::Contains("more than one -1"));
    REQUIRE_THROWS_WITH(resolve_reshape({2, 3, 4}, {5, -1}, "r"), Catch::Contains("Reshape node 'r'"));
    REQUIRE_THROWS(resolve_reshape({2, 3, 4}, {2, 3, 5}, "r"));
    REQUIRE_THROWS(resolve_reshape({2, 3}, {2, 3, 0}, "r"));

    Node concat = simple(OpKind::Concat, 3);
    concat.axis = 1;
    REQUIRE(infer_output_shape(concat, {{1, 2, 4, 4}, {1, 3, 4, 4}, {1, 1, 4, 4}}) == Shape{1, 6, 4, 4});
    REQUIRE_THROWS_WITH(infer_output_shape(concat, {{1, 2, 4, 4}, {1, 3, 4, 5}, {1, 1, 4, 4}}),
                        Catch::Contains("differ outside axis 1"));
}

TEST_CASE("shape inference: infer_shapes walks the graph in topological order", "[ir][shape]") {
    Graph g;
    g.add_input("x", Shape{2, 3, 8, 8});
    Node c = conv_node({5, 3, 3, 3}, ConvAttributes{});
    c.conv.pad_top = c.conv.pad_left = c.conv.pad_bottom = c.conv.pad_right = 1;
    c.weight = FloatTensor(Shape{5, 3, 3, 3});
    g.add_node(c);
    Node pool = simple(OpKind::MaxPool);
    pool.name = "pool";
    pool.inputs = {"y"};
    pool.outputs = {"p"};
    pool.pool = PoolAttributes{2, 2, 2, 2, 0, 0, 0, 0, false};
    g.add_node(pool);
    Node flat = simple(OpKind::Flatten);
    flat.name = "flat";
    flat.inputs = {"p"};
    flat.outputs = {"f"};
    g.add_node(flat);
    infer_shapes(g);
    REQUIRE(g.value("y").shape == Shape{2, 5, 8, 8});
    REQUIRE(g.value("p").shape == Shape{2, 5, 4, 4});
    REQUIRE(g.value("f").shape == Shape{2, 80});
}
