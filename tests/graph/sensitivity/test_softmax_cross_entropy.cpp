// The loss and its curvature along logit directions against direct double-precision formulas.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "graph/sensitivity/softmax_cross_entropy.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

namespace {

std::vector<double> softmax(const std::vector<double>& z) {
    double total = 0.0;
    std::vector<double> p;
    for (const double v : z) total += std::exp(v);
    for (const double v : z) p.push_back(std::exp(v) / total);
    return p;
}

}  // namespace

TEST_CASE("mean cross-entropy equals -log softmax of the label, averaged", "[sensitivity][loss]") {
    const ir::FloatTensor logits(Shape{2, 3}, {1.0f, 2.0f, 0.5f, -1.0f, 0.0f, 3.0f});
    const std::vector<double> p0 = softmax({1.0, 2.0, 0.5}), p1 = softmax({-1.0, 0.0, 3.0});
    const double expected = (-std::log(p0[2]) - std::log(p1[0])) / 2.0;
    CHECK(mean_cross_entropy(logits, {2, 0}) == Approx(expected).epsilon(1e-12));

    // Large logits must not overflow (the max is subtracted first).
    const ir::FloatTensor large(Shape{1, 2}, {1000.0f, 0.0f});
    CHECK(mean_cross_entropy(large, {1}) == Approx(1000.0).epsilon(1e-12));
}

TEST_CASE("curvature along a logit direction equals u^T (diag p - p p^T) u", "[sensitivity][loss]") {
    const ir::FloatTensor logits(Shape{2, 3, 1, 1}, {0.3f, -1.2f, 2.0f, 0.0f, 0.0f, 0.0f});
    const ir::FloatTensor u(Shape{2, 3, 1, 1}, {1.0f, -2.0f, 0.5f, 0.25f, 4.0f, -1.0f});
    double expected = 0.0;
    for (int n = 0; n < 2; ++n) {
        const std::vector<double> p = softmax({logits.data[3 * n], logits.data[3 * n + 1], logits.data[3 * n + 2]});
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                const double h = (i == j ? p[i] : 0.0) - p[i] * p[j];
                expected += u.data[3 * n + i] * h * u.data[3 * n + j];
            }
    }
    CHECK(cross_entropy_curvature_sum(logits, u) == Approx(expected).epsilon(1e-12));

    // Shifting every logit of a row equally changes nothing: zero curvature along (1, 1, 1).
    const ir::FloatTensor constant(Shape{2, 3, 1, 1}, std::vector<float>(6, 2.5f));
    CHECK(cross_entropy_curvature_sum(logits, constant) == Approx(0.0).margin(1e-12));
}

TEST_CASE("cross-entropy rejects mismatched labels and shapes", "[sensitivity][loss]") {
    const ir::FloatTensor logits(Shape{2, 3}, std::vector<float>(6, 0.0f));
    CHECK_THROWS_WITH(mean_cross_entropy(logits, {0}), Catch::Contains("1 labels for 2 images"));
    CHECK_THROWS_WITH(mean_cross_entropy(logits, {0, 3}), Catch::Contains("label 3 outside [0, 3)"));
    CHECK_THROWS_AS(cross_entropy_curvature_sum(logits, ir::FloatTensor(Shape{2, 2})), Error);
    CHECK_THROWS_WITH(mean_cross_entropy(ir::FloatTensor(Shape{2, 1}), {0, 0}), Catch::Contains("two classes"));
}
