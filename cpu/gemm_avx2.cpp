// AVX2 kernels.
// s16s16: vpmaddwd (two exact int16 x int16 products summed into int32) then vpaddd. The pair sum
// leaves int32 only for (-32768)^2 * 2 = 2^31, where it wraps, which is still the exact value
// modulo 2^32 (docs/semantics.md, section 6.1).
// u8s8: vpmaddubsw, whose u8 x s8 pair sums saturate to int16, then vpaddw of up to
// pair_sum_words such sums, then vpmaddwd by ones into int32. Chosen only for layers where the
// conv engine has proven that no pair sum, and no int16 sum of pair_sum_words of them, can leave
// int16 (gemm_kernels.h, u8_pair_sums_in_int16): the int16 sums are then exact.
#include <immintrin.h>

#include "cpu/gemm_kernels.h"

#define DYADIC_AVX2 __attribute__((target("avx2")))

namespace dyadic::cpu {
namespace {

constexpr int kLanes = 8;

// The tile's accumulators (row i, vector r, lane) into c, channel-major, so that the epilogue
// reads and writes along pixels: a scalar transpose (a vector one for 4-row tiles), a small cost
// beside the tile's k_words * kRowTile * R multiplies when k is long (9 taps); or pixel-major,
// whole vectors.
template <int R, int kRowTile>
DYADIC_AVX2 inline __attribute__((always_inline)) void store_tile(const int32_t (&acc)[kRowTile][R][kLanes],
                                                                  const GemmArgs& g, int64_t ob, int64_t r0) {
    constexpr int block = R * kLanes;
    if (g.c_pixel_major) {
#pragma GCC unroll 16
        for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
            for (int r = 0; r < R; ++r) {
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(g.c + (r0 + i) * g.c_stride + ob * block + r * kLanes),
                                    _mm256_load_si256(reinterpret_cast<const __m256i*>(acc[i][r])));
            }
        }
        return;
    }
    if constexpr (kRowTile == 4) {
        // A 4 x 8 transpose per vector: each channel's 4 rows are one 128-bit store.
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r) {
            __m256i row[4];
            for (int i = 0; i < 4; ++i) row[i] = _mm256_load_si256(reinterpret_cast<const __m256i*>(acc[i][r]));
            const __m256i t0 = _mm256_unpacklo_epi32(row[0], row[1]), t1 = _mm256_unpackhi_epi32(row[0], row[1]);
            const __m256i t2 = _mm256_unpacklo_epi32(row[2], row[3]), t3 = _mm256_unpackhi_epi32(row[2], row[3]);
            // Channel j in the low half of u[j], channel j + 4 in its high half.
            const __m256i u[4] = {_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2),
                                  _mm256_unpacklo_epi64(t1, t3), _mm256_unpackhi_epi64(t1, t3)};
            int32_t* dst = g.c + (ob * block + r * kLanes) * g.c_stride + r0;
            for (int j = 0; j < 4; ++j) {
                _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + j * g.c_stride), _mm256_castsi256_si128(u[j]));
                _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + (j + 4) * g.c_stride), _mm256_extracti128_si256(u[j], 1));
            }
        }
        return;
    }
#pragma GCC unroll 16
    for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r) {
            int32_t* dst = g.c + (ob * block + r * kLanes) * g.c_stride + r0 + i;
            for (int lane = 0; lane < kLanes; ++lane) dst[lane * g.c_stride] = acc[i][r][lane];
        }
    }
}

// s16s16: kRowTile rows x R vectors of 8 channels, at most 12 accumulators of the 16 ymm registers.
template <int R, int kRowTile>
DYADIC_AVX2 void gemm_s16(const GemmArgs& g) {
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
                        for (int r = 0; r < R; ++r) acc[i][r] = _mm256_add_epi32(acc[i][r], _mm256_madd_epi16(av, wv[r]));
                    }
                }
            }
            alignas(32) int32_t lanes[kRowTile][R][kLanes];
#pragma GCC unroll 16
            for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                for (int r = 0; r < R; ++r) _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[i][r]), acc[i][r]);
            }
            store_tile<R, kRowTile>(lanes, g, ob, r0);
        }
    }
}

// Adds a u8s8 tile's int16 sums (exact, see gemm_u8) into its int32 accumulators with vpmaddwd
// by ones, and starts new sums.
template <int R, int kRowTile>
DYADIC_AVX2 inline __attribute__((always_inline)) void widen_sums(__m256i (&sum)[kRowTile][R],
                                                                  int32_t (&acc)[kRowTile][R][kLanes]) {
    const __m256i ones = _mm256_set1_epi16(1);
#pragma GCC unroll 16
    for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
        for (int r = 0; r < R; ++r) {
            auto* a = reinterpret_cast<__m256i*>(acc[i][r]);
            _mm256_store_si256(a, _mm256_add_epi32(_mm256_load_si256(a), _mm256_madd_epi16(sum[i][r], ones)));
            sum[i][r] = _mm256_setzero_si256();
        }
    }
}

// u8s8: kRowTile rows x R vectors of int16 sums, at most 12 registers. Per word and vector:
// vpmaddubsw and vpaddw; once per run of pair_sum_words words (runs go on across taps): vpmaddwd
// by ones and a vpaddd into the tile's int32 accumulators, which stay in memory (L1): touched
// once per run, they would otherwise take the registers that let the tile be this tall.
template <int R, int kRowTile>
DYADIC_AVX2 void gemm_u8(const GemmArgs& g) {
    constexpr int block = R * kLanes;
    alignas(32) int32_t acc_memory[kRowTile][R][kLanes];
    for (int64_t ob = 0; ob < g.o_blocks; ++ob) {
        for (int64_t r0 = 0; r0 < g.rows; r0 += kRowTile) {
            const uint32_t* const* a = g.a + r0 * g.taps;
            const uint32_t* w = g.w + ob * g.taps * g.tap_words * block;
            __m256i sum[kRowTile][R];
#pragma GCC unroll 16
            for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                for (int r = 0; r < R; ++r) {
                    _mm256_store_si256(reinterpret_cast<__m256i*>(acc_memory[i][r]), _mm256_setzero_si256());
                    sum[i][r] = _mm256_setzero_si256();
                }
            }
            int64_t run_left = g.pair_sum_words;  // words the int16 sums may still take
            for (int64_t t = 0; t < g.taps; ++t) {
                const uint32_t* row[kRowTile];
#pragma GCC unroll 16
                for (int i = 0; i < kRowTile; ++i) row[i] = a[i * g.taps + t];
                for (int64_t k = 0; k < g.tap_words;) {
                    if (run_left == 0) {
                        widen_sums(sum, acc_memory);
                        run_left = g.pair_sum_words;
                    }
                    const int64_t k1 = g.tap_words - k > run_left ? k + run_left : g.tap_words;
                    run_left -= k1 - k;
                    do {  // at least one word
#pragma GCC unroll 16
                        for (int i = 0; i < kRowTile; ++i) {
                            const __m256i av = _mm256_set1_epi32(static_cast<int>(row[i][k]));
#pragma GCC unroll 4
                            for (int r = 0; r < R; ++r) {
                                const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + r * kLanes));
                                sum[i][r] = _mm256_add_epi16(sum[i][r], _mm256_maddubs_epi16(av, wv));
                            }
                        }
                        w += block;
                        // Keeps each sum in one register across the loop: without it GCC 12 adds
                        // into the product's register and copies it back (a move per product).
#pragma GCC unroll 16
                        for (int i = 0; i < kRowTile; ++i) {
#pragma GCC unroll 4
                            for (int r = 0; r < R; ++r) asm("" : "+x"(sum[i][r]));
                        }
                    } while (++k < k1);
                }
            }
            widen_sums(sum, acc_memory);
            store_tile<R, kRowTile>(acc_memory, g, ob, r0);
        }
    }
}

// The block of 8, 16, 24 or 32 channels that leaves the fewest padded channels, the wider on a
// tie (fewer broadcasts per multiply). Blocks wider than 16 only while one block's weights fit
// in 24 KiB: the kernel runs every row tile of a task over one block's weights before the next,
// and from L1 that is faster than the broadcasts a wider block saves (ResNet50's 3x3 64-channel
// layer: about 15%).
template <size_t N>
GemmKernel widest_unpadded(const GemmKernel (&kernels)[N], int64_t channels, int64_t depth_words) {
    constexpr int64_t kCachedWeightBytes = 24 << 10;
    const auto padded = [&](const GemmKernel& k) { return (channels + k.block - 1) / k.block * k.block; };
    const GemmKernel* best = &kernels[0];
    for (const GemmKernel& k : kernels) {
        const bool cached = k.block <= 2 * kLanes || k.block * depth_words * 4 <= kCachedWeightBytes;
        if (cached && padded(k) <= padded(*best)) best = &k;
    }
    return *best;
}

}  // namespace

GemmKernel avx2_kernel(Operand operand, int64_t channels, int64_t depth_words) {
    // Rows per step so that the accumulators (u8s8: the int16 sums) take at most 12 registers.
    if (operand == Operand::kU8) {
        const GemmKernel kernels[] = {
            {gemm_u8<1, 8>, Isa::kAvx2, operand, kLanes, 8},
            {gemm_u8<2, 6>, Isa::kAvx2, operand, 2 * kLanes, 6},
            {gemm_u8<3, 4>, Isa::kAvx2, operand, 3 * kLanes, 4},
        };
        return widest_unpadded(kernels, channels, depth_words);
    }
    if (operand != Operand::kS16) return {};
    const GemmKernel kernels[] = {
        {gemm_s16<1, 6>, Isa::kAvx2, operand, kLanes, 6},
        {gemm_s16<2, 6>, Isa::kAvx2, operand, 2 * kLanes, 6},
        {gemm_s16<3, 4>, Isa::kAvx2, operand, 3 * kLanes, 4},
        {gemm_s16<4, 3>, Isa::kAvx2, operand, 4 * kLanes, 3},
    };
    return widest_unpadded(kernels, channels, depth_words);
}

}  // namespace dyadic::cpu
