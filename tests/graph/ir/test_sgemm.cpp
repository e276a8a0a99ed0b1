// The float executor's GEMM (graph/ir/kernels/sgemm.h) on every path this CPU runs, against a
// naive double-precision product; and the same order of summation on every tiling.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "graph/ir/kernels/sgemm.h"

using namespace dyadic::ir::kernels;

namespace {

std::vector<SgemmPath> supported_paths() {
    std::vector<SgemmPath> paths;
    for (const SgemmPath path : {SgemmPath::kPortable, SgemmPath::kAvx2Fma})
        if (sgemm_path_supported(path)) paths.push_back(path);
    return paths;
}

std::vector<float> random_values(int64_t count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> values(static_cast<size_t>(count));
    for (float& v : values) v = dist(rng);
    return values;
}

struct Product {
    std::vector<float> c;
    int64_t ldc;
};

// C = A [m x k] * B [k x n] through pack_panel_rows and sgemm, B rows at `ldb` apart.
Product multiply(SgemmPath path, const std::vector<float>& a, const std::vector<float>& b, int64_t m, int64_t n,
                 int64_t k, int64_t ldb) {
    const int64_t m_panels = panels(m, kPanelRows), n_panels = panels(n, kPanelColumns);
    std::vector<float> packed(static_cast<size_t>(m_panels * kPanelRows * k));
    pack_panel_rows(a.data(), k, m, k, packed.data());
    std::vector<const float*> rows(static_cast<size_t>(k));
    for (int64_t row = 0; row < k; ++row) rows[static_cast<size_t>(row)] = b.data() + row * ldb;
    Product product{std::vector<float>(static_cast<size_t>(m_panels * kPanelRows * n_panels * kPanelColumns), -7.0f),
                    n_panels * kPanelColumns};
    sgemm(path, packed.data(), rows.data(), m_panels, n_panels, k, product.c.data(), product.ldc);
    return product;
}

}  // namespace

TEST_CASE("sgemm: every path equals the naive double product within float rounding", "[ir][sgemm]") {
    // Edges of the 6 x 16 tile in both directions, one and several depth blocks of 256.
    struct Size {
        int64_t m, n, k;
    };
    for (const Size s : {Size{1, 1, 1}, Size{6, 16, 9}, Size{7, 17, 27}, Size{24, 100, 216}, Size{13, 33, 600}}) {
        const int64_t ldb = (s.n + kPanelColumns - 1) / kPanelColumns * kPanelColumns + 5;  // rows readable past n
        const std::vector<float> a = random_values(s.m * s.k, 1), b = random_values(s.k * ldb, 2);
        for (const SgemmPath path : supported_paths()) {
            INFO(sgemm_path_name(path) << " m " << s.m << " n " << s.n << " k " << s.k);
            const Product p = multiply(path, a, b, s.m, s.n, s.k, ldb);
            for (int64_t i = 0; i < s.m; ++i)
                for (int64_t j = 0; j < s.n; ++j) {
                    double exact = 0.0, magnitude = 0.0;
                    for (int64_t kk = 0; kk < s.k; ++kk) {
                        const double term = double(a[static_cast<size_t>(i * s.k + kk)]) * b[static_cast<size_t>(kk * ldb + j)];
                        exact += term;
                        magnitude += std::fabs(term);
                    }
                    // k roundings of at most 2^-24 of the running magnitude each.
                    REQUIRE(std::fabs(p.c[static_cast<size_t>(i * p.ldc + j)] - exact) <=
                            double(s.k) * magnitude * 0x1p-24 + 1e-30);
                }
        }
    }
}

TEST_CASE("sgemm: a column's result does not depend on the other columns or rows computed with it",
          "[ir][sgemm]") {
    // The executor splits a batch into tasks of any width; results must not change with the split.
    const int64_t m = 11, k = 300, n = 70, ldb = 80;
    const std::vector<float> a = random_values(m * k, 3), b = random_values(k * ldb, 4);
    for (const SgemmPath path : supported_paths()) {
        INFO(sgemm_path_name(path));
        const Product whole = multiply(path, a, b, m, n, k, ldb);
        for (const int64_t first : {int64_t{1}, int64_t{16}, int64_t{37}}) {
            std::vector<float> shifted(static_cast<size_t>(k * ldb), 0.0f);
            for (int64_t row = 0; row < k; ++row)
                for (int64_t j = first; j < ldb; ++j)
                    shifted[static_cast<size_t>(row * ldb + j - first)] = b[static_cast<size_t>(row * ldb + j)];
            const Product part = multiply(path, std::vector<float>(a.begin(), a.begin() + 5 * k), shifted, 5, n - first,
                                          k, ldb);
            for (int64_t i = 0; i < 5; ++i)
                for (int64_t j = first; j < n; ++j)
                    REQUIRE(part.c[static_cast<size_t>(i * part.ldc + j - first)] ==
                            whole.c[static_cast<size_t>(i * whole.ldc + j)]);
        }
    }
}
