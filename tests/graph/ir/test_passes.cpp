// Graph passes: each keeps the float function (checked against the unchanged graph through the
// executor) and changes the structure as documented.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "graph/ir/builders/graph_builder.h"
#include "graph/ir/executor.h"
#include "graph/ir/passes/passes.h"
#include "graph/ir/shape_inference.h"
#include "test_helpers.h"

using namespace dyadic;
using namespace dyadic::ir;
using dyadic::ir::testing::random_tensor;
using dyadic::ir::testing::require_close;

namespace {

int count_ops(const Graph& g, OpKind op) {
    int n = 0;
    for (const NodeId id : g.nodes()) n += g.node(id).op == op ? 1 : 0;
    return n;
}

// A residual block as PyTorch exports it: conv-bn-relu, conv-bn, add(identity), relu.
Graph residual_block(uint64_t seed, bool projection) {
    GraphBuilder b(seed);
    const std::string x = b.input("x", Shape{1, 4, 6, 6});
    std::string y = b.relu(b.batch_norm(b.conv(x, "c1", 8, 3, 3, 1, 1, 1, true), "bn1", 1e-5), "r1");
    y = b.batch_norm(b.conv(y, "c2", 8, 3, 3, 1, 1, 1), "bn2", 1e-5);
    const std::string identity =
        projection ? b.batch_norm(b.conv(x, "proj", 8, 1, 1, 1, 0, 0), "bnp", 1e-5) : b.conv(x, "widen", 8, 1, 1, 1, 0, 0);
    return b.finish(b.relu(b.add(y, identity, "add"), "out"));
}

FloatTensor run(const Graph& g, const FloatTensor& x) { return FloatExecutor(g).run(x); }

}  // namespace

TEST_CASE("fold_batch_norm: weights and bias folded in double, function unchanged", "[ir][passes]") {
    const Graph original = residual_block(1, true);
    Graph folded = original;
    REQUIRE(fold_batch_norm(folded) == 3);
    REQUIRE(count_ops(folded, OpKind::BatchNormalization) == 0);
    REQUIRE(folded.node_count() == original.node_count() - 3);
    // The conv now produces the tensor the BatchNorm produced.
    REQUIRE(folded.node(*folded.producer("bn1")).name == "c1");
    REQUIRE_FALSE(folded.has_value("c1"));

    // Folded parameters, recomputed here from the definition.
    const Node& conv = original.node(*original.find_node("c1"));
    const BatchNormParameters& bn = original.node(*original.find_node("bn1")).batch_norm;
    const Node& result = folded.node(*folded.find_node("c1"));
    const int64_t per_channel = conv.weight.size() / 8;
    for (int64_t o = 0; o < 8; ++o) {
        const double m = double(bn.scale.data[o]) / std::sqrt(double(bn.variance.data[o]) + bn.epsilon);
        for (int64_t i = 0; i < per_channel; ++i)
            REQUIRE(result.weight.data[o * per_channel + i] == float(double(conv.weight.data[o * per_channel + i]) * m));
        REQUIRE(result.bias.data[o] ==
                float((double(conv.bias.data[o]) - double(bn.mean.data[o])) * m + double(bn.bias.data[o])));
    }
    // c2 had no bias: folding creates one.
    REQUIRE(folded.node(*folded.find_node("c2")).bias.shape == Shape{8});

    const FloatTensor x = random_tensor(Shape{3, 4, 6, 6}, 5);
    require_close(run(folded, x), run(original, x));
}

TEST_CASE("fold_batch_norm: a conv output read twice is not folded; FullyConnected is", "[ir][passes]") {
    GraphBuilder b(2);
    const std::string x = b.input("x", Shape{1, 3, 4, 4});
    const std::string c = b.conv(x, "c", 3, 1, 1, 1, 0, 0);
    const std::string sum = b.add(b.batch_norm(c, "bn", 1e-5), c, "sum");
    const std::string f = b.fully_connected(b.flatten(sum, "flat"), "fc", 5);
    const Graph original = b.finish(b.batch_norm(f, "bnfc", 1e-3));
    Graph g = original;
    REQUIRE(fold_batch_norm(g) == 1);
    REQUIRE(g.find_node("bn").has_value());
    REQUIRE_FALSE(g.find_node("bnfc").has_value());
    const FloatTensor input = random_tensor(Shape{2, 3, 4, 4}, 6);
    require_close(run(g, input), run(original, input));
}

TEST_CASE("fuse_activation: Relu and Clip(0, 6) move into the producer", "[ir][passes]") {
    GraphBuilder b(3);
    const std::string x = b.input("x", Shape{1, 2, 5, 5});
    const std::string r = b.relu(b.conv(x, "c1", 4, 3, 3, 1, 1, 1, true), "r1");
    const std::string r6 = b.relu(b.conv(r, "c2", 4, 3, 3, 1, 1, 1, true), "r6");
    Graph original = b.finish(r6);
    original.node(*original.find_node("r6")).activation.upper_bound = 6.0;
    Graph g = original;
    REQUIRE(fuse_activation(g) == 2);
    REQUIRE(g.node_count() == 2);
    const Node& c2 = g.node(*g.producer("r6"));
    REQUIRE(c2.name == "c2");
    REQUIRE(c2.activation.relu);
    REQUIRE(c2.activation.upper_bound == 6.0);
    const FloatTensor input = random_tensor(Shape{2, 2, 5, 5}, 7, -4.0f, 4.0f);
    const FloatTensor out = run(g, input);
    require_close(out, run(original, input));
    REQUIRE(*std::max_element(out.data.begin(), out.data.end()) <= 6.0f);
}

TEST_CASE("standard passes on a residual block: one conv absorbs BN, add and ReLU", "[ir][passes]") {
    for (const bool projection : {false, true}) {
        INFO("projection shortcut " << projection);
        const Graph original = residual_block(4, projection);
        Graph g = original;
        const PassReport report = run_standard_passes(g);
        REQUIRE(report.residual_adds_fused == 1);
        REQUIRE(count_ops(g, OpKind::Add) == 0);
        REQUIRE(count_ops(g, OpKind::Relu) == 0);
        REQUIRE(count_ops(g, OpKind::BatchNormalization) == 0);
        REQUIRE(g.node_count() == 3);
        // The main branch (first Add input, from c2) takes the residual; the shortcut stays a plain conv.
        const Node& main = g.node(*g.producer("out"));
        REQUIRE(main.name == "c2");
        REQUIRE(main.has_residual());
        REQUIRE(main.inputs[1] == (projection ? "bnp" : "widen"));
        REQUIRE(main.activation.relu);
        REQUIRE(g.outputs() == std::vector<std::string>{"out"});
        const FloatTensor x = random_tensor(Shape{2, 4, 6, 6}, 8);
        require_close(run(g, x), run(original, x));
    }
}

TEST_CASE("mark_non_negative: ReLU outputs and what pools, flatten, reshape, concat keep", "[ir][passes]") {
    GraphBuilder b(5);
    const std::string x = b.input("x", Shape{1, 2, 8, 8});
    const std::string r = b.relu(b.conv(x, "c1", 3, 3, 3, 1, 1, 1), "r");
    const std::string signed_conv = b.conv(x, "c2", 3, 3, 3, 1, 1, 1);
    const std::string mp = b.max_pool(r, "mp", 2, 2, 0);
    const std::string ap = b.average_pool(r, "ap", 2, 2, 0, false);
    const std::string both = b.concat({mp, ap}, "both");
    const std::string mixed = b.concat({r, signed_conv}, "mixed");
    const std::string sum = b.add(mp, ap, "sum");
    const std::string r6 = b.relu(signed_conv, "r6");
    const std::string gap = b.global_average_pool(r6, "gap");
    Graph g = b.finish(b.flatten(gap, "flat"));
    g.node(*g.find_node("r6")).activation.upper_bound = 6.0;
    mark_non_negative(g);
    for (const char* t : {"r", "mp", "ap", "both", "sum", "r6", "gap", "flat"}) {
        INFO(t);
        REQUIRE(g.value(t).non_negative);
    }
    for (const char* t : {"x", "c1", "c2", "mixed"}) {
        INFO(t);
        REQUIRE_FALSE(g.value(t).non_negative);
    }
    REQUIRE(g.value("flat").upper_bound == 6.0);
    REQUIRE_FALSE(std::isfinite(g.value("r").upper_bound));

    // After fusion the conv itself is the ReLU: its output tensor stays non-negative.
    run_standard_passes(g);
    REQUIRE(g.node(*g.producer("r")).op == OpKind::Conv);
    REQUIRE(g.value("r").non_negative);
    REQUIRE(g.value("r6").upper_bound == 6.0);
}
