// Portable kernels, one per operand width: the same packed layouts and the same exact products
// as the SIMD kernels (vpdpbusd's four u8 x s8 products per word, vpmaddwd's two int16 x int16
// ones), summed in uint32 (wrapping, as docs/semantics.md, section 6.1 allows; signed overflow
// would be undefined behaviour in C++). They run on any CPU and let the tests check the u8s8 and
// s16s16 encodings (activation offset, packing, compensation) on machines without AVX-512.
#include "cpu/gemm_kernels.h"

namespace dyadic::cpu {
namespace {

constexpr int kBlock = 8;

struct DotU8 {
    static uint32_t dot(uint32_t a, uint32_t w) {
        int32_t sum = 0;
        for (int j = 0; j < 4; ++j) {
            sum += static_cast<int32_t>((a >> (8 * j)) & 0xffu) * static_cast<int8_t>((w >> (8 * j)) & 0xffu);
        }
        return static_cast<uint32_t>(sum);  // |sum| <= 4 * 255 * 128: exact
    }
};
struct DotS16 {
    static uint32_t dot(uint32_t a, uint32_t w) {
        const int64_t sum = int64_t{static_cast<int16_t>(a & 0xffffu)} * static_cast<int16_t>(w & 0xffffu) +
                            int64_t{static_cast<int16_t>(a >> 16)} * static_cast<int16_t>(w >> 16);
        return static_cast<uint32_t>(static_cast<uint64_t>(sum));  // 2^31 wraps, as vpmaddwd does
    }
};
struct DotS32 {
    static uint32_t dot(uint32_t a, uint32_t w) { return a * w; }
};

template <typename Dot>
void gemm(const GemmArgs& g) {
    const int64_t k_words = g.taps * g.tap_words;
    for (int64_t r = 0; r < g.rows; ++r) {
        for (int64_t ob = 0; ob < g.o_blocks; ++ob) {
            const uint32_t* w = g.w + ob * k_words * kBlock;
            uint32_t acc[kBlock] = {};
            for (int64_t t = 0; t < g.taps; ++t) {
                const uint32_t* a = g.a[r * g.taps + t];
                for (int64_t k = 0; k < g.tap_words; ++k, w += kBlock) {
                    for (int lane = 0; lane < kBlock; ++lane) acc[lane] += Dot::dot(a[k], w[lane]);
                }
            }
            for (int lane = 0; lane < kBlock; ++lane) {
                const int64_t o = ob * kBlock + lane;
                g.c[g.c_pixel_major ? r * g.c_stride + o : o * g.c_stride + r] = static_cast<int32_t>(acc[lane]);
            }
        }
    }
}

}  // namespace

GemmKernel scalar_kernel(Operand operand, int64_t) {
    switch (operand) {
        case Operand::kU8: return GemmKernel{gemm<DotU8>, Isa::kScalar, operand, kBlock, 1};
        case Operand::kS16: return GemmKernel{gemm<DotS16>, Isa::kScalar, operand, kBlock, 1};
        case Operand::kS32: return GemmKernel{gemm<DotS32>, Isa::kScalar, operand, kBlock, 1};
    }
    return {};
}

}  // namespace dyadic::cpu
