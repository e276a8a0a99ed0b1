// AVX-512 VNNI kernels. vpdpbusd multiplies u8 by s8 into exact int16 products and adds groups
// of four to an int32 lane with a wrapping add (its saturating twin vpdpbusds is never used);
// vpdpwssd does the same for pairs of int16. Wrapping is exact modulo 2^32, which is all that
// docs/semantics.md, section 6.1 asks of an accumulator whose final value fits int32.
#include <immintrin.h>

#include "cpu/gemm_kernels.h"

#define DYADIC_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

namespace dyadic::cpu {
namespace {

constexpr int kLanes = 16;
constexpr int kRowTile = 12;  // 12 rows x 2 vectors = 24 accumulators of the 32 zmm registers

struct DotU8 {
    DYADIC_AVX512 static __m512i dot(__m512i acc, __m512i a, __m512i w) { return _mm512_dpbusd_epi32(acc, a, w); }
};
struct DotS16 {
    DYADIC_AVX512 static __m512i dot(__m512i acc, __m512i a, __m512i w) { return _mm512_dpwssd_epi32(acc, a, w); }
};

template <typename Dot, int R>
DYADIC_AVX512 void gemm(const GemmArgs& g) {
    constexpr int block = R * kLanes;
    for (int64_t r0 = 0; r0 < g.rows; r0 += kRowTile) {
        const uint32_t* const* a = g.a + r0 * g.taps;
        for (int64_t ob = 0; ob < g.o_blocks; ++ob) {
            const uint32_t* w = g.w + ob * g.taps * g.tap_words * block;
            __m512i acc[kRowTile][R];
#pragma GCC unroll 16
            for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                for (int r = 0; r < R; ++r) acc[i][r] = _mm512_setzero_si512();
            }
            for (int64_t t = 0; t < g.taps; ++t) {
                const uint32_t* row[kRowTile];
#pragma GCC unroll 16
                for (int i = 0; i < kRowTile; ++i) row[i] = a[i * g.taps + t];
                for (int64_t k = 0; k < g.tap_words; ++k, w += block) {
                    __m512i wv[R];
#pragma GCC unroll 4
                    for (int r = 0; r < R; ++r) wv[r] = _mm512_loadu_si512(w + r * kLanes);
#pragma GCC unroll 16
                    for (int i = 0; i < kRowTile; ++i) {
                        const __m512i av = _mm512_set1_epi32(static_cast<int>(row[i][k]));
#pragma GCC unroll 4
                        for (int r = 0; r < R; ++r) acc[i][r] = Dot::dot(acc[i][r], av, wv[r]);
                    }
                }
            }
            // Channel-major (see gemm_avx2.cpp): scatter each lane to its channel's row.
            const __m512i lane_offsets =
                _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                   _mm512_set1_epi32(static_cast<int>(g.c_stride)));
#pragma GCC unroll 16
            for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                for (int r = 0; r < R; ++r) {
                    if (g.c_pixel_major) {
                        _mm512_storeu_si512(g.c + (r0 + i) * g.c_stride + ob * block + r * kLanes, acc[i][r]);
                        continue;
                    }
                    _mm512_i32scatter_epi32(g.c + (ob * block + r * kLanes) * g.c_stride + r0 + i, lane_offsets,
                                            acc[i][r], 4);
                }
            }
        }
    }
}

}  // namespace

GemmKernel avx512_kernel(Operand operand, int64_t channels) {
    const bool narrow = channels <= kLanes;
    switch (operand) {
        case Operand::kU8:
            return narrow ? GemmKernel{gemm<DotU8, 1>, Isa::kAvx512Vnni, operand, kLanes, kRowTile}
                          : GemmKernel{gemm<DotU8, 2>, Isa::kAvx512Vnni, operand, 2 * kLanes, kRowTile};
        case Operand::kS16:
            return narrow ? GemmKernel{gemm<DotS16, 1>, Isa::kAvx512Vnni, operand, kLanes, kRowTile}
                          : GemmKernel{gemm<DotS16, 2>, Isa::kAvx512Vnni, operand, 2 * kLanes, kRowTile};
        case Operand::kS32: return {};
    }
    return {};
}

}  // namespace dyadic::cpu
