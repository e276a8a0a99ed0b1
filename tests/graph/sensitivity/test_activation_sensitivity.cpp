// Activation sensitivity: the tangent of the logits w.r.t. a layer's data input against central
// differences of the float executor (perturbing the tensor through the executor's transform hook,
// which the tangent code does not use), the input Hessian's trace of a linear classifier against
// its closed form, and Q_a against a hand-written quantizer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "graph/ir/executor.h"
#include "graph/quant/calibration.h"
#include "graph/sensitivity/activation_quantization.h"
#include "graph/sensitivity/hutchinson.h"
#include "graph/sensitivity/layer_sensitivity.h"
#include "graph/sensitivity/softmax_cross_entropy.h"
#include "graph/sensitivity/tangent_propagation.h"
#include "graph/sensitivity/weight_layers.h"
#include "util/error.h"
#include "test_models.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

// (f(x + h d) - f(x - h d)) / 2h for the graph output, with tensor `tensor` moved for every reader.
ir::FloatTensor central_difference_of_tensor(const ir::Graph& graph, const std::string& tensor,
                                             const ir::FloatTensor& d, double h, const ir::FloatTensor& images) {
    const ir::FloatExecutor executor(graph);
    const auto run = [&](double t) {
        ir::RunOptions options;
        options.transform = [&](const std::string& name, ir::FloatTensor& value) {
            if (name != tensor) return;
            for (int64_t i = 0; i < value.size(); ++i) value.data[i] = static_cast<float>(value.data[i] + t * d.data[i]);
        };
        return executor.run(ir::TensorMap{{graph.inputs()[0], images}}, options).at(graph.outputs()[0]);
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

double rms(const ir::FloatTensor& t) {
    double sum = 0.0;
    for (const float v : t.data) sum += double{v} * v;
    return std::sqrt(sum / static_cast<double>(t.size()));
}

}  // namespace

TEST_CASE("input tangent matches central differences for every layer; readers of a shared tensor add up",
          "[sensitivity][activation]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{6, 1, 8, 8}, 13);
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap activations = ir::FloatExecutor(graph).run({{"image", images}}, keep);
    const TangentPropagator propagator(graph);

    // Every layer's tangent, summed per input tensor: perturbing a tensor moves all its readers,
    // and the logits' derivative is the sum of the readers' (the network is linear in each).
    std::map<std::string, ir::FloatTensor> by_tensor;
    std::map<std::string, int> readers;
    std::map<std::string, ir::FloatTensor> directions;
    for (const WeightLayer& layer : weight_layers(graph)) {
        const std::string& input = graph.node(layer.node).inputs.at(0);
        const ir::FloatTensor& x = activations.at(input);
        if (!directions.count(input))
            directions.emplace(input, ir::FloatTensor(x.shape, rademacher_vector(x.size(), 300 + directions.size())));
        const ir::FloatTensor u = propagator.output_tangent_from_input(layer.node, directions.at(input), activations);
        auto [it, fresh] = by_tensor.emplace(input, u);
        if (!fresh)
            for (int64_t i = 0; i < u.size(); ++i) it->second.data[i] += u.data[i];
        ++readers[input];
    }
    CHECK(readers.size() == 5);  // unit.conv1 and unit.downsample share the pooled tensor
    CHECK(std::count_if(readers.begin(), readers.end(), [](const auto& r) { return r.second == 2; }) == 1);
    // A tensor also read by another kind of node (the concat reads unit.relu2 beside branch.conv)
    // moves more than its weight-layer readers: the activation bits quantize only the layer's copy.
    const auto read_by_other_nodes = [&](const std::string& tensor) {
        for (const ir::NodeId id : graph.nodes()) {
            const ir::Node& node = graph.node(id);
            if (node.op == ir::OpKind::Conv || node.op == ir::OpKind::FullyConnected) continue;
            if (std::find(node.inputs.begin(), node.inputs.end(), tensor) != node.inputs.end()) return true;
        }
        return false;
    };
    int compared = 0;
    for (const auto& [tensor, exact] : by_tensor) {
        if (read_by_other_nodes(tensor)) continue;
        ++compared;
        INFO("tensor " << tensor << " (" << readers.at(tensor) << " readers)");
        const ir::FloatTensor numeric = central_difference_of_tensor(
            graph, tensor, directions.at(tensor), 1e-4 * rms(activations.at(tensor)), images);
        CHECK(relative_difference(exact, numeric) < 5e-3);
    }
    CHECK(compared == 4);
    // A direction of the wrong shape is refused.
    CHECK_THROWS_WITH(propagator.output_tangent_from_input(*graph.find_node("fc"), ir::FloatTensor(Shape{6, 3}), activations),
                      Catch::Contains("input direction of shape"));
}

namespace {

constexpr int64_t kClasses = 4, kRows = 3, kCols = 5, kFeatures = kRows * kCols, kImages = 30;

// z = W x + b on the flattened image: d^2 L_n / dx_n^2 = W^T (diag p_n - p_n p_n^T) W.
struct LinearInputCase {
    testing::TemporaryDirectory dir{"dyadic-activation-linear"};
    ir::FloatTensor weight = testing::random_tensor(Shape{kClasses, kFeatures}, 31, 0.7);
    ir::FloatTensor bias = testing::random_tensor(Shape{kClasses}, 32, 0.2);
    ir::FloatTensor images = testing::random_tensor(Shape{kImages, 1, kRows, kCols}, 33);
    ir::Graph graph;

    LinearInputCase() {
        graph = load_float_model(testing::write_linear_onnx(dir.path() / "linear.onnx", weight, bias, kRows, kCols));
    }
    double w(int64_t m, int64_t k) const { return weight.data[m * kFeatures + k]; }
    double x(int64_t n, int64_t k) const { return images.data[n * kFeatures + k]; }

    // The image's input Hessian, row-major kFeatures x kFeatures, in double from W, b and x.
    std::vector<double> input_hessian(int64_t n) const {
        std::vector<double> z(kClasses), p(kClasses);
        double top = -1e300, total = 0.0;
        for (int64_t m = 0; m < kClasses; ++m) {
            z[m] = bias.data[m];
            for (int64_t k = 0; k < kFeatures; ++k) z[m] += w(m, k) * x(n, k);
            top = std::max(top, z[m]);
        }
        for (int64_t m = 0; m < kClasses; ++m) total += p[m] = std::exp(z[m] - top);
        for (double& v : p) v /= total;
        std::vector<double> h(kFeatures * kFeatures, 0.0);
        for (int64_t m = 0; m < kClasses; ++m)
            for (int64_t mm = 0; mm < kClasses; ++mm) {
                const double a = (m == mm ? p[m] : 0.0) - p[m] * p[mm];
                for (int64_t k = 0; k < kFeatures; ++k)
                    for (int64_t kk = 0; kk < kFeatures; ++kk) h[k * kFeatures + kk] += w(m, k) * a * w(mm, kk);
            }
        return h;
    }
};

}  // namespace

TEST_CASE("linear model: activation quadratic forms and trace against the closed-form input Hessian",
          "[sensitivity][activation][closed-form]") {
    const LinearInputCase c;
    std::vector<std::vector<double>> hessians;
    double exact_trace = 0.0;
    for (int64_t n = 0; n < kImages; ++n) {
        hessians.push_back(c.input_hessian(n));
        for (int64_t k = 0; k < kFeatures; ++k) exact_trace += hessians.back()[k * kFeatures + k] / kImages;
    }

    SensitivityOptions options;
    options.batch_size = 7;  // several batches: the per-image vectors must not depend on them
    options.bits = {4, 8};
    options.samples = 256;
    const std::vector<LayerSensitivity> result = estimate_layer_sensitivities(c.graph, c.images, options);
    REQUIRE(result.size() == 1);
    REQUIRE(result[0].activation.has_value());
    const ActivationSensitivity& input = *result[0].activation;
    CHECK(input.n_elements == kFeatures);

    // Each quadratic form is mean_n v_n^T H_n v_n for the documented per-image vectors.
    for (int s = 0; s < 4; ++s) {
        double expected = 0.0;
        for (int64_t n = 0; n < kImages; ++n) {
            const std::vector<float> v = rademacher_vector(kFeatures, activation_rademacher_seed(1, 0, s, n));
            for (int64_t k = 0; k < kFeatures; ++k)
                for (int64_t kk = 0; kk < kFeatures; ++kk)
                    expected += v[k] * hessians[n][k * kFeatures + kk] * v[kk] / kImages;
        }
        CHECK(input.quadratic_forms[s] == Approx(expected).epsilon(1e-5));
    }
    INFO("estimate " << input.trace.trace << " +- " << input.trace.standard_error << ", exact " << exact_trace);
    CHECK(input.trace.samples == 256);
    CHECK(std::fabs(input.trace.trace - exact_trace) < 4.0 * input.trace.standard_error);

    // Q_a of the flattened input (signed: normal images) at 8 bits, by hand: min/max clip over the
    // calibration images, scale clip / 127, round to nearest, clamp to [-127, 127].
    double abs_max = 0.0;
    for (const float v : c.images.data) abs_max = std::max(abs_max, std::fabs(double{v}));
    const double scale = abs_max / 127.0;
    double error8 = 0.0;
    for (const float v : c.images.data) {
        const double q = std::clamp(std::round(v / scale), -127.0, 127.0) * scale;
        error8 += (q - v) * (q - v) / kImages;
    }
    REQUIRE(input.per_bits.size() == 2);
    CHECK(input.per_bits[1].bits == 8);
    CHECK(input.per_bits[1].error == Approx(error8).epsilon(1e-9));
    CHECK(input.per_bits[1].omega == Approx(input.trace.trace / kFeatures * error8).epsilon(1e-12));
    // 4 bits: the MSE clip, never worse than min/max's error at 4 bits, far above 8 bits'.
    const double scale4 = abs_max / 7.0;
    double minmax_error4 = 0.0;
    for (const float v : c.images.data) {
        const double q = std::clamp(std::round(v / scale4), -7.0, 7.0) * scale4;
        minmax_error4 += (q - v) * (q - v) / kImages;
    }
    CHECK(input.per_bits[0].error <= minmax_error4 * 1.02);  // histogram-searched clip: close to optimal
    CHECK(input.per_bits[0].error > 50.0 * error8);
}

TEST_CASE("activation quantizer: signedness, ReLU6 cap, all-zero tensors and bit range", "[sensitivity][activation]") {
    quant::TensorStatistics stats;
    const std::vector<float> values = {0.0f, 1.0f, 2.5f, 7.0f};
    stats.add_range(values.data(), 4);
    ir::Value unsigned_value;
    unsigned_value.non_negative = true;
    const ActivationQuantizer u8 = activation_quantizer(unsigned_value, stats, 8);
    CHECK(u8.lowest == 0);
    CHECK(u8.highest == 255);
    CHECK(u8.scale == Approx(7.0 / 255.0));
    ir::Value capped = unsigned_value;
    capped.upper_bound = 6.0;  // ReLU6: the clip never exceeds the known bound
    CHECK(activation_quantizer(capped, stats, 8).scale == Approx(6.0 / 255.0));
    const ActivationQuantizer s8 = activation_quantizer(ir::Value{}, stats, 8);
    CHECK(s8.lowest == -127);
    CHECK(s8.highest == 127);
    CHECK(s8.scale == Approx(7.0 / 127.0));
    // Error of {0, 1, 2.5, 7} at the unsigned 8-bit grid, by hand.
    const double step = 7.0 / 255.0;
    double expected = 0.0;
    for (const float v : values) expected += std::pow(std::round(v / step) * step - v, 2);
    CHECK(activation_error_squared(ir::FloatTensor(Shape{4}, values), u8) == Approx(expected).epsilon(1e-12));
    // Values above the clip are clamped.
    CHECK(activation_error_squared(ir::FloatTensor(Shape{1}, {7.5f}), activation_quantizer(capped, stats, 8)) ==
          Approx(1.5 * 1.5).epsilon(1e-6));

    quant::TensorStatistics zeros;
    const float zero = 0.0f;
    zeros.add_range(&zero, 1);
    CHECK(activation_quantizer(unsigned_value, zeros, 8).scale == 1.0);
    CHECK_THROWS_WITH(activation_quantizer(unsigned_value, stats, 9), Catch::Contains("outside 2..8"));
}

TEST_CASE("activation sensitivities of a residual CNN: every layer, batching, weights-only option",
          "[sensitivity][activation]") {
    const ir::Graph graph = testing::small_residual_cnn();
    const ir::FloatTensor images = testing::random_tensor(Shape{10, 1, 8, 8}, 18);
    SensitivityOptions options;
    options.samples = 3;
    options.bits = {2, 4, 8};
    options.batch_size = 10;
    const std::vector<LayerSensitivity> whole = estimate_layer_sensitivities(graph, images, options);
    options.batch_size = 3;
    const std::vector<LayerSensitivity> pieces = estimate_layer_sensitivities(graph, images, options);
    const std::vector<WeightLayer> layers = weight_layers(graph);
    for (std::size_t l = 0; l < whole.size(); ++l) {
        INFO("layer " << whole[l].name);
        REQUIRE(whole[l].activation.has_value());
        const ActivationSensitivity& input = *whole[l].activation;
        const Shape& shape = graph.value(graph.node(layers[l].node).inputs.at(0)).shape;
        int64_t per_image = 1;
        for (std::size_t d = 1; d < shape.size(); ++d) per_image *= shape[d];
        CHECK(input.n_elements == per_image);
        CHECK(input.trace.trace > 0.0);
        for (const double q : input.quadratic_forms) CHECK(q >= 0.0);
        for (int s = 0; s < 3; ++s)
            CHECK(pieces[l].activation->quadratic_forms[s] == Approx(input.quadratic_forms[s]).epsilon(1e-5));
        REQUIRE(input.per_bits.size() == 3);
        for (std::size_t b = 1; b < 3; ++b) CHECK(input.per_bits[b].omega < input.per_bits[b - 1].omega);
        for (std::size_t b = 0; b < 3; ++b)
            CHECK(pieces[l].activation->per_bits[b].error == Approx(input.per_bits[b].error).epsilon(1e-5));
    }
    options.activations = false;
    for (const LayerSensitivity& layer : estimate_layer_sensitivities(graph, images, options))
        CHECK_FALSE(layer.activation.has_value());
}
