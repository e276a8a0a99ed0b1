#pragma once
// The 8 x 8 transpose of int32 lanes in eight AVX2 registers, shared by the input encoding
// (channel planes into pixel rows) and the Winograd output transform (pixel vectors into
// channel planes). Inlined into callers compiled for AVX2 only.
#include <immintrin.h>

#define DYADIC_AVX2 __attribute__((target("avx2")))

namespace dyadic::cpu {

// r[j] holds elements 0..7 of row j; afterwards r[i] holds element i of rows 0..7.
DYADIC_AVX2 inline __attribute__((always_inline)) void transpose8(__m256i r[8]) {
    __m256i t[8], u[8];
    for (int j = 0; j < 8; j += 2) {
        t[j] = _mm256_unpacklo_epi32(r[j], r[j + 1]);      // p0 p0 p1 p1 | p4 p4 p5 p5
        t[j + 1] = _mm256_unpackhi_epi32(r[j], r[j + 1]);  // p2 p2 p3 p3 | p6 p6 p7 p7
    }
    for (int j = 0; j < 8; j += 4) {
        u[j] = _mm256_unpacklo_epi64(t[j], t[j + 2]);          // p0 | p4, 4 channels
        u[j + 1] = _mm256_unpackhi_epi64(t[j], t[j + 2]);      // p1 | p5
        u[j + 2] = _mm256_unpacklo_epi64(t[j + 1], t[j + 3]);  // p2 | p6
        u[j + 3] = _mm256_unpackhi_epi64(t[j + 1], t[j + 3]);  // p3 | p7
    }
    for (int i = 0; i < 4; ++i) {
        r[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
        r[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
    }
}

}  // namespace dyadic::cpu
