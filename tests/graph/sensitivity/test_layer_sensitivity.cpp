// The whole estimator on a residual CNN: every layer, the Omega table, batching, errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "graph/sensitivity/hutchinson.h"
#include "graph/sensitivity/layer_sensitivity.h"
#include "graph/sensitivity/loss_second_difference.h"
#include "graph/sensitivity/weight_layers.h"
#include "graph/sensitivity/weight_quantization.h"
#include "util/error.h"
#include "test_models.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

TEST_CASE("layer sensitivities of a residual CNN: positive traces, sane Omega ordering", "[sensitivity][layers]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{12, 1, 8, 8}, 5);
    SensitivityOptions options;
    options.samples = 8;
    options.batch_size = 5;
    int64_t last_done = 0, last_total = 0;
    const std::vector<LayerSensitivity> result =
        estimate_layer_sensitivities(graph, images, options, [&](int64_t done, int64_t total) {
            CHECK(done == last_done + 1);
            last_done = done;
            last_total = total;
        });
    CHECK(last_done == last_total);
    CHECK(last_total == 3 * 6 * 8 * 2);  // batches x layers x samples x (weights, activations)

    const std::vector<WeightLayer> layers = weight_layers(graph);
    REQUIRE(result.size() == layers.size());
    for (std::size_t l = 0; l < result.size(); ++l) {
        const LayerSensitivity& r = result[l];
        INFO("layer " << r.name);
        const ir::FloatTensor& weight = graph.node(layers[l].node).weight;
        CHECK(r.name == layers[l].name);
        CHECK(r.n_params == weight.size());
        CHECK(r.trace.samples == 8);
        CHECK(r.trace.trace > 0.0);
        CHECK(r.trace.standard_error > 0.0);
        for (const double q : r.quadratic_forms) CHECK(q >= 0.0);  // a Gauss-Newton form: never negative
        REQUIRE(r.per_bits.size() == options.bits.size());
        for (std::size_t b = 0; b < r.per_bits.size(); ++b) {
            const BitWidthSensitivity& s = r.per_bits[b];
            CHECK(s.bits == options.bits[b]);
            CHECK(s.weight_error == quantization_error_squared(weight, s.bits));
            CHECK(s.omega == Approx(r.trace.trace / static_cast<double>(r.n_params) * s.weight_error).epsilon(1e-12));
            if (b > 0) CHECK(s.omega < r.per_bits[b - 1].omega);  // more bits, less sensitivity
        }
    }
}

TEST_CASE("the quadratic forms are v^T H v for the documented vectors (against the loss's second difference)",
          "[sensitivity][layers]") {
    const ir::Graph graph = testing::small_residual_cnn(7, false);  // smooth: finite differences converge
    const ir::FloatTensor images = testing::random_tensor(Shape{8, 1, 8, 8}, 6);
    const std::vector<int> labels = {1, 2, 3, 4, 5, 6, 7, 8};
    SensitivityOptions options;
    options.samples = 2;
    options.seed = 77;
    const std::vector<LayerSensitivity> result = estimate_layer_sensitivities(graph, images, options);
    const std::vector<WeightLayer> layers = weight_layers(graph);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        INFO("layer " << layers[l].name);
        const ir::FloatTensor& weight = graph.node(layers[l].node).weight;
        double rms = 0.0;
        for (const float w : weight.data) rms += double{w} * w / static_cast<double>(weight.size());
        for (int s = 0; s < 2; ++s) {
            const ir::FloatTensor v(weight.shape, rademacher_vector(weight.size(), rademacher_seed(77, l, s)));
            const SecondDifference fd =
                loss_second_difference(graph, layers[l].node, v, 0.1 * std::sqrt(rms), images, labels);
            CHECK(result[l].quadratic_forms[s] == Approx(fd.curvature).epsilon(1e-3));
        }
    }
}

TEST_CASE("the estimate does not depend on the batch size", "[sensitivity][layers]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{10, 1, 8, 8}, 8);
    SensitivityOptions options;
    options.samples = 3;
    options.batch_size = 10;
    const std::vector<LayerSensitivity> whole = estimate_layer_sensitivities(graph, images, options);
    options.batch_size = 3;
    const std::vector<LayerSensitivity> pieces = estimate_layer_sensitivities(graph, images, options);
    for (std::size_t l = 0; l < whole.size(); ++l)
        for (int s = 0; s < 3; ++s) CHECK(pieces[l].quadratic_forms[s] == Approx(whole[l].quadratic_forms[s]).epsilon(1e-5));
}

TEST_CASE("the estimator rejects bad options", "[sensitivity][layers]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{2, 1, 8, 8}, 9);
    SensitivityOptions options;
    options.samples = 1;
    CHECK_THROWS_WITH(estimate_layer_sensitivities(graph, images, options), Catch::Contains("at least two"));
    options.samples = 2;
    options.bits = {4, 9};
    CHECK_THROWS_WITH(estimate_layer_sensitivities(graph, images, options), Catch::Contains("9 is outside 2..8"));
    options.bits = {4};
    CHECK_THROWS_WITH(estimate_layer_sensitivities(graph, ir::FloatTensor(Shape{0, 1, 8, 8}), options),
                      Catch::Contains("no calibration images"));
    CHECK_THROWS_AS(estimate_layer_sensitivities(graph, ir::FloatTensor(Shape{2, 1, 7, 8}), options), Error);
}
