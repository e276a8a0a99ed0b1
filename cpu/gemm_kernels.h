#pragma once
// The inner GEMM kernels: acc[p][o] = sum over k of a[p][k] * w[o][k] in wrapping int32, one
// kernel per instruction path and operand width. Raw pointers only: the kernels are compiled for
// instruction sets the build machine's default target lacks, and no inline library code may be
// instantiated there (it could be chosen by the linker for callers on older CPUs).
//
// Operands are grouped in 32-bit words: a word holds 4 uint8, 2 int16 or 1 int32 elements of
// consecutive k. Activations are read in place (an implicit im2col): row r's k is split into
// `taps` runs of tap_words words, run t at a[r * taps + t] (a pixel of the encoded input image,
// or a run of padding). Weights, packed by the conv engine: [o_block][k_word][block] words,
// output channel o = o_block * block + lane, k_word = t * tap_words + word.
#include <cstdint>

#include "cpu/isa.h"

namespace dyadic::cpu {

// The element type of both GEMM operands on a path. Weights are always signed.
enum class Operand {
    kU8,   // activations uint8 (signed ones offset by +128), weights int8: vpdpbusd, or on AVX2
           // vpmaddubsw where u8_pairs_fit_int16 proves it cannot saturate
    kS16,  // both int16: vpmaddwd / vpdpwssd
    kS32,  // both int32 (uint16 activations): portable code only
};

const char* operand_name(Operand operand);  // "u8s8", "s16s16", "s32s32"
int elements_per_word(Operand operand);     // 4, 2, 1

struct GemmArgs {
    const uint32_t* const* a;  // rows * taps run pointers
    int64_t taps, tap_words;
    int64_t rows;              // a multiple of the kernel's row_tile (callers pad with dummy rows)
    const uint32_t* w;     // packed weights
    int64_t o_blocks;
    int32_t* c;            // accumulators, channel-major: c[o * c_stride + r] (or pixel-major below)
    int64_t c_stride;      // >= rows (pixel-major: >= o_blocks * block)
    // c[r * c_stride + o] instead: whole vectors stored as they are, for consumers that read
    // along channels (the Winograd output transform); the epilogue reads along pixels.
    bool c_pixel_major = false;
    // u8s8 on AVX2: how many words' vpmaddubsw pair sums may be added up in int16 before they
    // are widened into int32 (u8_pair_sums_in_int16); other kernels ignore it.
    int64_t pair_sum_words = 1;
};

using GemmFn = void (*)(const GemmArgs& args);

struct GemmKernel {
    GemmFn run = nullptr;
    Isa isa = Isa::kScalar;  // the instruction set the kernel is compiled for
    Operand operand = Operand::kS32;
    int block = 1;     // output channels per o_block
    int row_tile = 1;  // rows per kernel step
};

// How many u8 x s8 pair sums a*w + a'*w' (of activations up to max_u8 and weights up to
// max_abs_w in magnitude) may be added up with every partial sum, the first included, inside
// int16: floor(32767 / (2 * max_u8 * max_abs_w)), 32767 when every product is 0. vpmaddubsw is
// exact (never saturates) when this is at least 1, and its pair sums may be added with the
// wrapping vpaddw this many at a time (docs/semantics.md, section 6.1).
inline int64_t u8_pair_sums_in_int16(int64_t max_u8, int64_t max_abs_w) {
    const int64_t pair_bound = 2 * max_u8 * max_abs_w;
    return pair_bound == 0 ? 32767 : 32767 / pair_bound;
}
inline bool u8_pairs_fit_int16(int64_t max_u8, int64_t max_abs_w) { return u8_pair_sums_in_int16(max_u8, max_abs_w) >= 1; }

// The kernel of `isa` for `operand`, with the widest block that is not mostly padding for
// `channels` output channels (on AVX2, and whose packed weights, `depth_words` words per
// channel, stay in the L1 cache where a narrower block's would). int32 operands (uint16
// activations) always take the portable kernel. Throws Error when the path has no kernel for the
// operand.
GemmKernel gemm_kernel(Isa isa, Operand operand, int64_t channels, int64_t depth_words);

// Per-path kernel tables (one translation unit each, compiled for that instruction set).
GemmKernel scalar_kernel(Operand operand, int64_t channels);
GemmKernel avx2_kernel(Operand operand, int64_t channels, int64_t depth_words);
GemmKernel avx512_kernel(Operand operand, int64_t channels);

}  // namespace dyadic::cpu
