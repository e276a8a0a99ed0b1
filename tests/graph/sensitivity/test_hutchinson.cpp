// Hutchinson's estimator pieces: the summary statistics and the Rademacher vectors.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "graph/sensitivity/hutchinson.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::sensitivity;

TEST_CASE("summary of quadratic forms: mean and standard error", "[sensitivity][hutchinson]") {
    const TraceEstimate e = summarize_quadratic_forms({1.0, 2.0, 3.0, 4.0});
    CHECK(e.trace == 2.5);
    // Sample variance 5/3, standard error sqrt(5/3 / 4).
    CHECK(e.standard_error == Approx(std::sqrt(5.0 / 12.0)).epsilon(1e-14));
    CHECK(e.samples == 4);
    CHECK_THROWS_WITH(summarize_quadratic_forms({1.0}), Catch::Contains("at least two samples"));
    CHECK_THROWS_AS(summarize_quadratic_forms({1.0, std::nan("")}), Error);
}

TEST_CASE("Rademacher vectors: +-1 entries, balanced, reproducible, distinct per seed", "[sensitivity][hutchinson]") {
    const std::vector<float> a = rademacher_vector(10000, 42);
    int plus = 0;
    for (const float v : a) {
        REQUIRE((v == 1.0f || v == -1.0f));
        plus += v > 0;
    }
    // Binomial(10000, 1/2): standard deviation 50.
    CHECK(std::abs(plus - 5000) < 250);
    CHECK(rademacher_vector(10000, 42) == a);
    CHECK(rademacher_vector(10000, 43) != a);
    CHECK(rademacher_seed(1, 0, 1) != rademacher_seed(1, 1, 0));
    CHECK(rademacher_seed(1, 2, 3) == rademacher_seed(1, 2, 3));
    CHECK(rademacher_seed(2, 2, 3) != rademacher_seed(1, 2, 3));
}

TEST_CASE("Hutchinson on an explicit matrix converges to its trace", "[sensitivity][hutchinson]") {
    // A fixed symmetric 6x6 matrix; Var(v^T A v) = 2 * sum_{i != j} A_ij^2 for Rademacher v.
    const int n = 6;
    std::vector<double> a(n * n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) a[i * n + j] = a[j * n + i] = i == j ? 1.0 + i : 0.3 * std::sin(i + 2.0 * j + i * j);
    double trace = 0.0, off_diagonal = 0.0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            if (i == j)
                trace += a[i * n + j];
            else
                off_diagonal += a[i * n + j] * a[i * n + j];
        }
    std::vector<double> forms;
    for (int s = 0; s < 4000; ++s) {
        const std::vector<float> v = rademacher_vector(n, rademacher_seed(9, 0, s));
        double q = 0.0;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) q += v[i] * a[i * n + j] * v[j];
        forms.push_back(q);
    }
    const TraceEstimate e = summarize_quadratic_forms(forms);
    CHECK(std::fabs(e.trace - trace) < 4.0 * e.standard_error);
    const double expected_error = std::sqrt(2.0 * off_diagonal / 4000.0);
    CHECK(e.standard_error == Approx(expected_error).epsilon(0.1));
}
