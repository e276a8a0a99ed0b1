#pragma once
// The float executor's GEMM: C = A * B with A [M x K] (a layer's weights, packed into panels of
// 6 rows) and B [K x N] given as K row pointers, so that a convolution can point them into its
// zero-padded input planes (an implicit im2col) or into an explicit im2col buffer. The
// micro-kernel keeps a 6 x 16 tile of C in registers and reads 16 consecutive floats of a B row
// per step.
//
// Every element of C is summed over k in ascending order, one product at a time, whatever the
// sizes, the tiling or the thread that runs it: results are the same for any batch split and any
// number of threads on a given path. The paths differ in rounding only: avx2_fma rounds each
// multiply-add once (FMA), portable rounds product and sum separately. Header is C++17.
#include <cstdint>

namespace dyadic::ir::kernels {

constexpr int64_t kPanelRows = 6;      // rows of A per packed panel
constexpr int64_t kPanelColumns = 16;  // columns of C per tile
// k per pass over 16 columns of B: 256 x 16 floats (16 KiB) stay in L1 while every A panel runs by.
constexpr int64_t kDepthBlock = 256;

enum class SgemmPath { kPortable, kAvx2Fma };

const char* sgemm_path_name(SgemmPath path);  // "portable", "avx2_fma"
SgemmPath best_sgemm_path();                   // avx2_fma where the CPU and OS run AVX2 and FMA
bool sgemm_path_supported(SgemmPath path);

inline int64_t panels(int64_t count, int64_t per_panel) { return (count + per_panel - 1) / per_panel; }

// Packs rows [0, m) of row-major A (leading dimension lda) as panels of kPanelRows rows, each
// [k][kPanelRows]; rows past m are zero. `packed` holds panels(m, kPanelRows) * kPanelRows * k floats.
void pack_panel_rows(const float* a, int64_t lda, int64_t m, int64_t k, float* packed);

// C[i][j] = sum_k A[i][k] * B[k][j] for i < m_panels * kPanelRows, j < n_panels * kPanelColumns,
// with A packed by pack_panel_rows and B[k][j] = b_rows[k][j] (each row readable for
// n_panels * kPanelColumns floats), written row-major with leading dimension ldc (C is
// overwritten, not accumulated into).
void sgemm(SgemmPath path, const float* a, const float* const* b_rows, int64_t m_panels, int64_t n_panels, int64_t k,
           float* c, int64_t ldc);

// The AVX2+FMA kernel (its own translation unit, compiled for that target): the same contract.
void sgemm_avx2_fma(const float* a, const float* const* b_rows, int64_t m_panels, int64_t n_panels, int64_t k,
                    float* c, int64_t ldc);

}  // namespace dyadic::ir::kernels
