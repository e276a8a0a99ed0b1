// AVX2 kernels.
// s16s16: vpmaddwd (two exact int16 x int16 products summed into int32) then vpaddd. The pair sum
// leaves int32 only for (-32768)^2 * 2 = 2^31, where it wraps, which is still the exact value
// modulo 2^32 (docs/semantics.md, section 6.1).
// u8s8: vpmaddubsw, whose u8 x s8 pair sums saturate to int16, then vpmaddwd by ones. Chosen only
// for layers where the conv engine has proven 2 * max(u8 operand) * max|w| <= 32767, so that no
// pair sum can reach the saturation bound (gemm_kernels.h, u8_pairs_fit_int16).
#include <immintrin.h>

#include "cpu/gemm_kernels.h"

#define DYADIC_AVX2 __attribute__((target("avx2")))

namespace dyadic::cpu {
namespace {

constexpr int kLanes = 8;

struct DotS16 {
    DYADIC_AVX2 static __m256i dot(__m256i acc, __m256i a, __m256i w) {
        return _mm256_add_epi32(acc, _mm256_madd_epi16(a, w));
    }
};
struct DotU8 {
    DYADIC_AVX2 static __m256i dot(__m256i acc, __m256i a, __m256i w) {
        return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w), _mm256_set1_epi16(1)));
    }
};

// kRowTile rows x R vectors of 8 channels: at most 12 accumulators of the 16 ymm registers.
template <typename Dot, int R, int kRowTile>
DYADIC_AVX2 void gemm(const GemmArgs& g) {
    constexpr int block = R * kLanes;
    // Output blocks outside, rows inside: one block's packed weights stay in cache while every
    // row tile of the task runs over them.
    for (int64_t ob = 0; ob < g.o_blocks; ++ob) {
        for (int64_t r0 = 0; r0 < g.rows; r0 += kRowTile) {
            const uint32_t* const* a = g.a + r0 * g.taps;
            const uint32_t* w = g.w + ob * g.taps * g.tap_words * block;
            __m256i acc[kRowTile][R];
#pragma GCC unroll 16
            for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                for (int r = 0; r < R; ++r) acc[i][r] = _mm256_setzero_si256();
            }
            for (int64_t t = 0; t < g.taps; ++t) {
                const uint32_t* row[kRowTile];
#pragma GCC unroll 16
                for (int i = 0; i < kRowTile; ++i) row[i] = a[i * g.taps + t];
                for (int64_t k = 0; k < g.tap_words; ++k, w += block) {
                    __m256i wv[R];
#pragma GCC unroll 4
                    for (int r = 0; r < R; ++r) wv[r] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + r * kLanes));
#pragma GCC unroll 16
                    for (int i = 0; i < kRowTile; ++i) {
                        const __m256i av = _mm256_set1_epi32(static_cast<int>(row[i][k]));
#pragma GCC unroll 4
                        for (int r = 0; r < R; ++r) acc[i][r] = Dot::dot(acc[i][r], av, wv[r]);
                    }
                }
            }
            // Channel-major, so that the epilogue reads and writes along pixels: a scalar
            // transpose, a small cost beside the tile's k_words * kRowTile * R multiplies.
            alignas(32) int32_t lanes[kLanes];
#pragma GCC unroll 16
            for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                for (int r = 0; r < R; ++r) {
                    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), acc[i][r]);
                    int32_t* dst = g.c + (ob * block + r * kLanes) * g.c_stride + r0 + i;
                    for (int lane = 0; lane < kLanes; ++lane) dst[lane * g.c_stride] = lanes[lane];
                }
            }
        }
    }
}

}  // namespace

GemmKernel avx2_kernel(Operand operand, int64_t channels, int64_t depth_words) {
    if (operand == Operand::kU8) {
        // Two registers more per step (the ones and the int16 products): 2 vectors x 5 rows.
        if (channels <= kLanes) return GemmKernel{gemm<DotU8, 1, 6>, Isa::kAvx2, operand, kLanes, 6};
        return GemmKernel{gemm<DotU8, 2, 5>, Isa::kAvx2, operand, 2 * kLanes, 5};
    }
    if (operand != Operand::kS16) return {};
    // The block of 8, 16, 24 or 32 channels that leaves the fewest padded channels, the wider on a
    // tie (fewer broadcasts per multiply); rows per step so that rows x vectors <= 12 accumulators.
    // Blocks wider than 16 only while one block's weights fit in 24 KiB: the kernel runs every
    // row tile of a task over one block's weights before the next, and from L1 that is faster
    // than the broadcasts a wider block saves (ResNet50's 3x3 64-channel layer: about 15%).
    constexpr int64_t kCachedWeightBytes = 24 << 10;
    const GemmKernel kernels[] = {
        {gemm<DotS16, 1, 6>, Isa::kAvx2, operand, kLanes, 6},
        {gemm<DotS16, 2, 6>, Isa::kAvx2, operand, 2 * kLanes, 6},
        {gemm<DotS16, 3, 4>, Isa::kAvx2, operand, 3 * kLanes, 4},
        {gemm<DotS16, 4, 3>, Isa::kAvx2, operand, 4 * kLanes, 3},
    };
    const auto padded = [&](const GemmKernel& k) { return (channels + k.block - 1) / k.block * k.block; };
    const GemmKernel* best = &kernels[0];
    for (const GemmKernel& k : kernels) {
        const bool cached = k.block <= 2 * kLanes || k.block * depth_words * 4 <= kCachedWeightBytes;
        if (cached && padded(k) <= padded(*best)) best = &k;
    }
    return *best;
}

}  // namespace dyadic::cpu
