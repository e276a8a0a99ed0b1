// Exact directional derivatives of the logits w.r.t. one layer's weights, checked against
// central differences of the float executor (which the tangent code does not use), and the
// resulting v^T H v against the second difference of the loss.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "graph/ir/executor.h"
#include "graph/sensitivity/hutchinson.h"
#include "graph/sensitivity/loss_second_difference.h"
#include "graph/sensitivity/softmax_cross_entropy.h"
#include "graph/sensitivity/tangent_propagation.h"
#include "graph/sensitivity/weight_layers.h"
#include "util/error.h"
#include "test_models.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

double rms(const ir::FloatTensor& t) {
    double sum = 0.0;
    for (const float v : t.data) sum += double{v} * v;
    return std::sqrt(sum / static_cast<double>(t.size()));
}

// (f(W + h v) - f(W - h v)) / 2h for the graph output, on a perturbed copy of the graph.
ir::FloatTensor central_difference(const ir::Graph& graph, const std::string& layer, const ir::FloatTensor& v,
                                   double h, const ir::FloatTensor& images) {
    ir::Graph copy = graph;
    ir::Node& node = copy.node(*copy.find_node(layer));
    const ir::FloatTensor original = node.weight;
    const ir::FloatExecutor executor(copy);
    const auto run = [&](double t) {
        for (int64_t i = 0; i < original.size(); ++i)
            node.weight.data[i] = static_cast<float>(original.data[i] + t * v.data[i]);
        return executor.run(images);
    };
    const ir::FloatTensor plus = run(h), minus = run(-h);
    ir::FloatTensor result(plus.shape);
    for (int64_t i = 0; i < plus.size(); ++i)
        result.data[i] = static_cast<float>((double{plus.data[i]} - minus.data[i]) / (2.0 * h));
    return result;
}

double relative_difference(const ir::FloatTensor& a, const ir::FloatTensor& b) {
    double diff = 0.0, norm = 0.0;
    for (int64_t i = 0; i < a.size(); ++i) {
        diff += (double{a.data[i]} - b.data[i]) * (double{a.data[i]} - b.data[i]);
        norm += double{b.data[i]} * b.data[i];
    }
    return std::sqrt(diff / norm);
}

}  // namespace

TEST_CASE("tangent of the logits matches central differences for every layer of a residual CNN",
          "[sensitivity][tangent]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{6, 1, 8, 8}, 3);
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap activations = ir::FloatExecutor(graph).run({{"image", images}}, keep);
    const TangentPropagator propagator(graph);

    const std::vector<WeightLayer> layers = weight_layers(graph);
    REQUIRE(layers.size() == 6);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        INFO("layer " << layers[l].name);
        const ir::FloatTensor& weight = graph.node(layers[l].node).weight;
        const ir::FloatTensor v(weight.shape, rademacher_vector(weight.size(), 100 + l));
        const ir::FloatTensor exact = propagator.output_tangent(layers[l].node, v, activations);
        // Piecewise linear in the weight: the central difference is exact up to float round-off
        // (relative ~1e-7 / step) and kinks crossed within the step (their share grows with the
        // step). 1e-4 of the weights' RMS keeps both near 1e-3 (docs/sensitivity.md).
        const ir::FloatTensor numeric = central_difference(graph, layers[l].name, v, 1e-4 * rms(weight), images);
        CHECK(relative_difference(exact, numeric) < 5e-3);
    }
}

TEST_CASE("v^T H v from the tangent matches the second difference of the loss (smooth network)",
          "[sensitivity][tangent]") {
    // Without kinks the loss along v is CE(z + t u) exactly, so the second difference converges
    // with O(eps^2) truncation; with ReLUs it would also pick up the kinks' curvature, which the
    // Hessian (autograd's, ReLU'' = 0) does not contain.
    const ir::Graph graph = testing::small_residual_cnn(7, false);
    const ir::FloatTensor images = testing::random_tensor(Shape{6, 1, 8, 8}, 4);
    const std::vector<int> labels = {0, 3, 9, 1, 1, 7};
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap activations = ir::FloatExecutor(graph).run({{"image", images}}, keep);
    const ir::FloatTensor& logits = activations.at(graph.outputs()[0]);
    const TangentPropagator propagator(graph);

    for (const WeightLayer& layer : weight_layers(graph)) {
        INFO("layer " << layer.name);
        const ir::FloatTensor& weight = graph.node(layer.node).weight;
        const ir::FloatTensor v(weight.shape, rademacher_vector(weight.size(), 7));
        const double exact =
            cross_entropy_curvature_sum(logits, propagator.output_tangent(layer.node, v, activations)) / 6.0;
        CHECK(exact > 0.0);
        // Central difference at eps = 0.1 x the weights' RMS: truncation and round-off both ~1e-4.
        const auto relative_error = [&](double scale) {
            const double eps = scale * rms(weight);
            return loss_second_difference(graph, layer.node, v, eps, images, labels).curvature / exact - 1.0;
        };
        CHECK(std::fabs(relative_error(0.1)) < 5e-4);
        // Larger steps: the truncation error (eps^2 / 12) d^4L/dt^4 dominates and grows like eps^2,
        // (1 / 0.3)^2 = 11 from 0.3 to 1.0.
        const double fine = relative_error(0.3), coarse = relative_error(1.0);
        CHECK(std::fabs(fine) < 3e-3);
        CHECK(coarse / fine > 7.0);
        CHECK(coarse / fine < 16.0);
    }
}

TEST_CASE("tangent propagation rejects a node without weights and a direction of the wrong shape",
          "[sensitivity][tangent]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{1, 1, 8, 8}, 3);
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap activations = ir::FloatExecutor(graph).run({{"image", images}}, keep);
    const TangentPropagator propagator(graph);
    const ir::NodeId pool = *graph.find_node("pool");
    CHECK_THROWS_WITH(propagator.output_tangent(pool, ir::FloatTensor(Shape{1}), activations),
                      Catch::Contains("not a Conv or FullyConnected"));
    const ir::NodeId fc = *graph.find_node("fc");
    CHECK_THROWS_WITH(propagator.output_tangent(fc, ir::FloatTensor(Shape{10, 7}), activations),
                      Catch::Contains("direction of shape [10, 7]"));
}
