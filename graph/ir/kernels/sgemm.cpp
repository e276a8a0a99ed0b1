#include "graph/ir/kernels/sgemm.h"

#include <algorithm>
#include <cstring>

#include "util/cpu_features.h"

namespace dyadic::ir::kernels {
namespace {

// Four floats in a vector register of the baseline target (SSE2 on x86-64), GCC/Clang vector
// extension: element-wise + and * round each element as the scalar operations would.
typedef float Float4 __attribute__((vector_size(16)));

// One 6 x 16 tile over k in [k0, k1): the same order of operations as the AVX2 kernel, each
// product and sum rounded separately. Done as two 6 x 8 halves, so that the 12 accumulators of a
// half stay in the 16 registers of the baseline target.
void portable_tile(const float* a, const float* const* b_rows, int64_t j0, int64_t k0, int64_t k1, float* c,
                   int64_t ldc) {
    for (int64_t half = 0; half < kPanelColumns; half += 8) {
        Float4 acc[kPanelRows][2];
        for (int64_t r = 0; r < kPanelRows; ++r)
            for (int64_t v = 0; v < 2; ++v) {
                if (k0 == 0) {
                    acc[r][v] = Float4{0.0f, 0.0f, 0.0f, 0.0f};
                } else {
                    std::memcpy(&acc[r][v], c + r * ldc + half + 4 * v, sizeof(Float4));
                }
            }
        for (int64_t kk = k0; kk < k1; ++kk) {
            const float* bk = b_rows[kk] + j0 + half;
            Float4 b0, b1;
            std::memcpy(&b0, bk, sizeof(Float4));
            std::memcpy(&b1, bk + 4, sizeof(Float4));
            const float* ak = a + kk * kPanelRows;
            for (int64_t r = 0; r < kPanelRows; ++r) {
                const Float4 av = Float4{ak[r], ak[r], ak[r], ak[r]};
                acc[r][0] += av * b0;
                acc[r][1] += av * b1;
            }
        }
        for (int64_t r = 0; r < kPanelRows; ++r)
            for (int64_t v = 0; v < 2; ++v) std::memcpy(c + r * ldc + half + 4 * v, &acc[r][v], sizeof(Float4));
    }
}

void sgemm_portable(const float* a, const float* const* b_rows, int64_t m_panels, int64_t n_panels, int64_t k,
                    float* c, int64_t ldc) {
    for (int64_t jp = 0; jp < n_panels; ++jp) {
        for (int64_t k0 = 0; k0 < k; k0 += kDepthBlock) {
            const int64_t k1 = std::min(k, k0 + kDepthBlock);
            for (int64_t ip = 0; ip < m_panels; ++ip)
                portable_tile(a + ip * kPanelRows * k, b_rows, jp * kPanelColumns, k0, k1, c + ip * kPanelRows * ldc + jp * kPanelColumns,
                              ldc);
        }
    }
}

}  // namespace

const char* sgemm_path_name(SgemmPath path) { return path == SgemmPath::kAvx2Fma ? "avx2_fma" : "portable"; }

bool sgemm_path_supported(SgemmPath path) {
    return path == SgemmPath::kPortable || (cpu_features().avx2 && cpu_features().fma);
}

SgemmPath best_sgemm_path() {
    return sgemm_path_supported(SgemmPath::kAvx2Fma) ? SgemmPath::kAvx2Fma : SgemmPath::kPortable;
}

void pack_panel_rows(const float* a, int64_t lda, int64_t m, int64_t k, float* packed) {
    const int64_t m_panels = panels(m, kPanelRows);
    for (int64_t ip = 0; ip < m_panels; ++ip) {
        float* panel = packed + ip * kPanelRows * k;
        for (int64_t r = 0; r < kPanelRows; ++r) {
            const int64_t row = ip * kPanelRows + r;
            for (int64_t kk = 0; kk < k; ++kk) panel[kk * kPanelRows + r] = row < m ? a[row * lda + kk] : 0.0f;
        }
    }
}

void sgemm(SgemmPath path, const float* a, const float* const* b_rows, int64_t m_panels, int64_t n_panels, int64_t k,
           float* c, int64_t ldc) {
    if (path == SgemmPath::kAvx2Fma) {
        sgemm_avx2_fma(a, b_rows, m_panels, n_panels, k, c, ldc);
    } else {
        sgemm_portable(a, b_rows, m_panels, n_panels, k, c, ldc);
    }
}

}  // namespace dyadic::ir::kernels
