#include "cpu/encode_avx2.h"

#include <immintrin.h>

#include "cpu/transpose_avx2.h"

namespace dyadic::cpu {
namespace {

// int16 elements: the saturating pack is the identity on every element in int16.
struct ToS16 {
    using Element = int16_t;
    // r[i]: channels 0..7 of pixel i; row i of `out` (rows `channels` elements apart) gets them.
    DYADIC_AVX2 static void store(const __m256i r[8], int64_t channels, int16_t* out) {
        for (int i = 0; i < 8; i += 2) {
            // Pixels i and i+1, 8 int16 each (the pack interleaves 128-bit lanes; the permute
            // puts each pixel's 8 channels together).
            const __m256i pair = _mm256_permute4x64_epi64(_mm256_packs_epi32(r[i], r[i + 1]), 0xd8);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i * channels), _mm256_castsi256_si128(pair));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + (i + 1) * channels), _mm256_extracti128_si256(pair, 1));
        }
    }
    static int16_t scalar(int32_t value) { return static_cast<int16_t>(value); }
};

// uint8 elements, signed ones (kOffset) as x + 128. Both packs are the identity on elements in
// int8 (kOffset: then the byte is x mod 256, and flipping its top bit adds 128 mod 256, which
// is x + 128 itself, in [0, 255]) or in uint8 (the unsigned pack keeps [0, 255]).
template <bool kOffset>
struct ToU8 {
    using Element = uint8_t;
    DYADIC_AVX2 static void store(const __m256i r[8], int64_t channels, uint8_t* out) {
        for (int i = 0; i < 8; i += 4) {
            const __m256i lo = _mm256_packs_epi32(r[i], r[i + 1]), hi = _mm256_packs_epi32(r[i + 2], r[i + 3]);
            // Dwords: pixels i .. i+3, channels 0..3 in the low lane, 4..7 in the high one.
            const __m256i bytes = kOffset ? _mm256_xor_si256(_mm256_packs_epi16(lo, hi), _mm256_set1_epi8(-128))
                                          : _mm256_packus_epi16(lo, hi);
            // Quadwords: pixels i .. i+3, channels 0..7 each.
            const __m256i quads = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            const __m128i first = _mm256_castsi256_si128(quads), second = _mm256_extracti128_si256(quads, 1);
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i * channels), first);
            _mm_storeh_pd(reinterpret_cast<double*>(out + (i + 1) * channels), _mm_castsi128_pd(first));
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out + (i + 2) * channels), second);
            _mm_storeh_pd(reinterpret_cast<double*>(out + (i + 3) * channels), _mm_castsi128_pd(second));
        }
    }
    // In uint32: the range is checked after this pass, so `value` may be any int32.
    static uint8_t scalar(int32_t value) { return static_cast<uint8_t>(static_cast<uint32_t>(value) + (kOffset ? 128u : 0u)); }
};

// The transpose of 8 x 8 blocks with Narrow's encoding, then the last pixels % 8 one by one.
template <typename Narrow>
DYADIC_AVX2 ValueRange transpose_narrowed(const int32_t* in, int64_t channels, int64_t channel_stride, int64_t pixels,
                                          typename Narrow::Element* out) {
    __m256i lo = _mm256_set1_epi32(INT32_MAX), hi = _mm256_set1_epi32(INT32_MIN);
    int64_t p = 0;
    for (; p + 8 <= pixels; p += 8) {
        for (int64_t c = 0; c < channels; c += 8) {
            __m256i r[8];
            for (int j = 0; j < 8; ++j) {
                r[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + (c + j) * channel_stride + p));
                lo = _mm256_min_epi32(lo, r[j]);
                hi = _mm256_max_epi32(hi, r[j]);
            }
            transpose8(r);
            Narrow::store(r, channels, out + p * channels + c);
        }
    }
    // Plain code from here on: no library call may be instantiated in this target (gemm_kernels.h).
    alignas(32) int32_t lanes[8];
    int32_t range_lo = INT32_MAX, range_hi = INT32_MIN;
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), lo);
    for (const int32_t v : lanes) range_lo = v < range_lo ? v : range_lo;
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), hi);
    for (const int32_t v : lanes) range_hi = v > range_hi ? v : range_hi;
    for (; p < pixels; ++p) {
        for (int64_t c = 0; c < channels; ++c) {
            const int32_t v = in[c * channel_stride + p];
            range_lo = v < range_lo ? v : range_lo;
            range_hi = v > range_hi ? v : range_hi;
            out[p * channels + c] = Narrow::scalar(v);
        }
    }
    return ValueRange{range_lo, range_hi};
}

}  // namespace

DYADIC_AVX2 void stem_rows_s16_avx2(const int32_t* padded, const StemRows& shape, int64_t p0, int64_t end,
                                    int16_t* out) {
    constexpr int64_t kRow = kStemRowElements;
    const int64_t first_y = p0 / shape.out_w;
    for (int64_t p = p0; p < end;) {
        const int64_t y = p / shape.out_w, x = p % shape.out_w;
        const int64_t in_row = shape.out_w - x < 8 ? shape.out_w - x : 8;
        const int64_t count = end - p < in_row ? end - p : in_row;
        // Tap t of pixels x .. x + 7: 8 consecutive elements of the tap's padded row.
        __m256i taps[9];
        const int32_t* rows = padded + (y - first_y) * shape.stride_h * shape.width + x;
        for (int t = 0; t < 9; ++t) {
            const int32_t* from = rows + (t / 3) * shape.dilation_h * shape.width + (t % 3) * shape.dilation_w;
            taps[t] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from));
        }
        transpose8(taps);  // taps[i]: taps 0..7 of pixel x + i
        alignas(32) uint32_t last[8];  // tap 8 and the zero of each pixel, as one word
        _mm256_store_si256(reinterpret_cast<__m256i*>(last), _mm256_and_si256(taps[8], _mm256_set1_epi32(0xffff)));
        int16_t* row = out + (p - p0) * kRow;
        for (int64_t i = 0; i < count; i += 2) {
            const __m256i pair = _mm256_permute4x64_epi64(_mm256_packs_epi32(taps[i], taps[i + 1]), 0xd8);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(row + i * kRow), _mm256_castsi256_si128(pair));
            __builtin_memcpy(row + i * kRow + 8, &last[i], 4);
            if (i + 1 == count) break;
            _mm_storeu_si128(reinterpret_cast<__m128i*>(row + (i + 1) * kRow), _mm256_extracti128_si256(pair, 1));
            __builtin_memcpy(row + (i + 1) * kRow + 8, &last[i + 1], 4);
        }
        p += count;
    }
}

ValueRange transpose_to_s16_avx2(const int32_t* in, int64_t channels, int64_t channel_stride, int64_t pixels,
                                 int16_t* out) {
    return transpose_narrowed<ToS16>(in, channels, channel_stride, pixels, out);
}

ValueRange transpose_to_u8_avx2(const int32_t* in, int64_t channels, int64_t channel_stride, int64_t pixels,
                                bool offset, uint8_t* out) {
    return offset ? transpose_narrowed<ToU8<true>>(in, channels, channel_stride, pixels, out)
                  : transpose_narrowed<ToU8<false>>(in, channels, channel_stride, pixels, out);
}

}  // namespace dyadic::cpu
