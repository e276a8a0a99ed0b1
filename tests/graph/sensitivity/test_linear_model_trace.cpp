// Closed form: softmax cross-entropy of a linear layer z = W x + b. The Hessian w.r.t. W is
//   H = mean_n (diag(p_n) - p_n p_n^T) kron (x_n x_n^T),
// so Tr(H) = mean_n (sum_k p_nk (1 - p_nk)) ||x_n||^2, and for Rademacher v
//   Var(v^T H v) = 2 (||H||_F^2 - sum_i H_ii^2).
// The model goes through the CLI's path: an ONNX file (Flatten + Gemm), load_float_model, and
// estimate_layer_sensitivities.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "graph/ir/executor.h"
#include "graph/sensitivity/hutchinson.h"
#include "graph/sensitivity/layer_sensitivity.h"
#include "graph/sensitivity/softmax_cross_entropy.h"
#include "graph/sensitivity/tangent_propagation.h"
#include "test_models.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

constexpr int64_t kClasses = 5, kRows = 3, kCols = 4, kFeatures = kRows * kCols, kImages = 40;

struct LinearCase {
    testing::TemporaryDirectory dir{"dyadic-sensitivity-linear"};
    ir::FloatTensor weight = testing::random_tensor(Shape{kClasses, kFeatures}, 21, 0.5);
    ir::FloatTensor bias = testing::random_tensor(Shape{kClasses}, 22, 0.2);
    ir::FloatTensor images = testing::random_tensor(Shape{kImages, 1, kRows, kCols}, 23);
    ir::Graph graph;

    LinearCase() {
        graph = load_float_model(testing::write_linear_onnx(dir.path() / "linear.onnx", weight, bias, kRows, kCols));
    }

    // p_n in double, straight from W, b and x.
    std::vector<double> probabilities(int64_t n) const {
        std::vector<double> z(kClasses), p(kClasses);
        double top = -1e300, total = 0.0;
        for (int64_t m = 0; m < kClasses; ++m) {
            z[m] = bias.data[m];
            for (int64_t k = 0; k < kFeatures; ++k) z[m] += double{weight.data[m * kFeatures + k]} * x(n, k);
            top = std::max(top, z[m]);
        }
        for (int64_t m = 0; m < kClasses; ++m) total += p[m] = std::exp(z[m] - top);
        for (double& v : p) v /= total;
        return p;
    }
    double x(int64_t n, int64_t k) const { return images.data[n * kFeatures + k]; }

    // The full Hessian, index (m, k) -> m * kFeatures + k like the weight's storage.
    std::vector<double> hessian() const {
        const int64_t size = kClasses * kFeatures;
        std::vector<double> h(size * size, 0.0);
        for (int64_t n = 0; n < kImages; ++n) {
            const std::vector<double> p = probabilities(n);
            for (int64_t m = 0; m < kClasses; ++m)
                for (int64_t mm = 0; mm < kClasses; ++mm) {
                    const double a = (m == mm ? p[m] : 0.0) - p[m] * p[mm];
                    for (int64_t k = 0; k < kFeatures; ++k)
                        for (int64_t kk = 0; kk < kFeatures; ++kk)
                            h[(m * kFeatures + k) * size + mm * kFeatures + kk] += a * x(n, k) * x(n, kk) / kImages;
                }
        }
        return h;
    }
};

}  // namespace

TEST_CASE("linear model: each v^T H v equals the closed-form Hessian's quadratic form", "[sensitivity][closed-form]") {
    const LinearCase c;
    const std::vector<double> h = c.hessian();
    const int64_t size = kClasses * kFeatures;
    ir::RunOptions keep;
    keep.keep_all = true;
    const ir::TensorMap activations = ir::FloatExecutor(c.graph).run({{c.graph.inputs()[0], c.images}}, keep);
    const TangentPropagator propagator(c.graph);
    const ir::NodeId fc = *c.graph.find_node("fc");
    for (uint64_t s = 0; s < 5; ++s) {
        const std::vector<float> v = rademacher_vector(size, s);
        double expected = 0.0;
        for (int64_t i = 0; i < size; ++i)
            for (int64_t j = 0; j < size; ++j) expected += v[i] * h[i * size + j] * v[j];
        const ir::FloatTensor u = propagator.output_tangent(fc, ir::FloatTensor(Shape{kClasses, kFeatures}, v), activations);
        const double got = cross_entropy_curvature_sum(activations.at(c.graph.outputs()[0]), u) / kImages;
        CHECK(got == Approx(expected).epsilon(1e-5));
    }
}

TEST_CASE("linear model: Hutchinson's trace converges to the closed form, error ~ 1/sqrt(samples)",
          "[sensitivity][closed-form]") {
    const LinearCase c;
    double exact_trace = 0.0;
    for (int64_t n = 0; n < kImages; ++n) {
        const std::vector<double> p = c.probabilities(n);
        double spread = 0.0, norm = 0.0;
        for (const double pk : p) spread += pk * (1.0 - pk);
        for (int64_t k = 0; k < kFeatures; ++k) norm += c.x(n, k) * c.x(n, k);
        exact_trace += spread * norm / kImages;
    }
    const std::vector<double> h = c.hessian();
    const int64_t size = kClasses * kFeatures;
    double frobenius = 0.0, diagonal = 0.0, trace_of_h = 0.0;
    for (int64_t i = 0; i < size; ++i) {
        trace_of_h += h[i * size + i];
        diagonal += h[i * size + i] * h[i * size + i];
        for (int64_t j = 0; j < size; ++j) frobenius += h[i * size + j] * h[i * size + j];
    }
    REQUIRE(trace_of_h == Approx(exact_trace).epsilon(1e-12));  // the two closed forms agree
    const double sample_deviation = std::sqrt(2.0 * (frobenius - diagonal));

    SensitivityOptions options;
    options.batch_size = 16;  // several batches, so the per-vector sums across batches are exercised
    double previous_error = 0.0;
    for (const int samples : {16, 64, 256}) {
        options.samples = samples;
        const std::vector<LayerSensitivity> result = estimate_layer_sensitivities(c.graph, c.images, options);
        REQUIRE(result.size() == 1);
        const TraceEstimate& e = result[0].trace;
        INFO(samples << " samples: " << e.trace << " +- " << e.standard_error << ", exact " << exact_trace);
        CHECK(e.samples == samples);
        CHECK(result[0].n_params == size);
        CHECK(std::fabs(e.trace - exact_trace) < 4.0 * e.standard_error);
        // The reported standard error estimates sigma / sqrt(S), with sigma known in closed form.
        CHECK(e.standard_error == Approx(sample_deviation / std::sqrt(samples)).epsilon(0.5));
        if (previous_error > 0.0) CHECK(previous_error / e.standard_error == Approx(2.0).epsilon(0.5));
        previous_error = e.standard_error;
    }
}
