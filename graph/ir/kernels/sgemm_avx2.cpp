// The AVX2+FMA micro-kernel of the float executor's GEMM (sgemm.h): a 6 x 16 tile of C in 12 ymm
// accumulators, two B vectors and one broadcast A value per k, one vfmadd231ps per product.
// Raw pointers and intrinsics only: this translation unit is compiled for a target the build's
// default lacks, so no inline library code may be instantiated here (the linker could pick that
// copy for callers on older CPUs).
#include <immintrin.h>

#include "graph/ir/kernels/sgemm.h"

#define DYADIC_AVX2_FMA __attribute__((target("avx2,fma")))

namespace dyadic::ir::kernels {
namespace {

DYADIC_AVX2_FMA void tile(const float* a, const float* const* b_rows, int64_t j0, int64_t k0, int64_t k1, float* c,
                          int64_t ldc) {
    __m256 acc[kPanelRows][2];
    if (k0 == 0) {
#pragma GCC unroll 6
        for (int r = 0; r < kPanelRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    } else {
#pragma GCC unroll 6
        for (int r = 0; r < kPanelRows; ++r) {
            acc[r][0] = _mm256_loadu_ps(c + r * ldc);
            acc[r][1] = _mm256_loadu_ps(c + r * ldc + 8);
        }
    }
    const float* ak = a + k0 * kPanelRows;
    for (int64_t kk = k0; kk < k1; ++kk, ak += kPanelRows) {
        const float* bk = b_rows[kk] + j0;
        const __m256 b0 = _mm256_loadu_ps(bk);
        const __m256 b1 = _mm256_loadu_ps(bk + 8);
#pragma GCC unroll 6
        for (int r = 0; r < kPanelRows; ++r) {
            const __m256 av = _mm256_broadcast_ss(ak + r);
            acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
        }
    }
#pragma GCC unroll 6
    for (int r = 0; r < kPanelRows; ++r) {
        _mm256_storeu_ps(c + r * ldc, acc[r][0]);
        _mm256_storeu_ps(c + r * ldc + 8, acc[r][1]);
    }
}

}  // namespace

DYADIC_AVX2_FMA void sgemm_avx2_fma(const float* a, const float* const* b_rows, int64_t m_panels, int64_t n_panels,
                                    int64_t k, float* c, int64_t ldc) {
    for (int64_t jp = 0; jp < n_panels; ++jp) {
        for (int64_t k0 = 0; k0 < k; k0 += kDepthBlock) {
            const int64_t k1 = k - k0 < kDepthBlock ? k : k0 + kDepthBlock;
            for (int64_t ip = 0; ip < m_panels; ++ip)
                tile(a + ip * kPanelRows * k, b_rows, jp * kPanelColumns, k0, k1, c + ip * kPanelRows * ldc + jp * kPanelColumns, ldc);
        }
    }
}

}  // namespace dyadic::ir::kernels
