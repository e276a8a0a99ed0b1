#include "cpu/winograd.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "cpu/scratch.h"
#include "cpu/transpose_avx2.h"

namespace dyadic::cpu {
namespace {

// F(2x2, 3x3) (Lavin and Gray's matrices; correlation, as conv layers compute it):
//   Y = A^T [ (G g G^T) (.) (B^T d B) ] A   for a 4x4 input tile d and a 3x3 kernel g,
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1],
//   A^T = [1 1 1 0; 0 1 -1 -1].
// Here G' = 2G (integer), so U' = G' g G'^T = 4 (G g G^T) and A^T [U' (.) V] A = 4Y.
constexpr int kPositions = 16;  // of a 4x4 transformed tile, xi = 4 * row + column
constexpr int64_t kInt16Max = std::numeric_limits<int16_t>::max();
constexpr int64_t kInt16Min = std::numeric_limits<int16_t>::min();

// U' for every (o, c), straight into each position's packed GEMM weights (`words`, one vector
// per position, already sized and zero): the [o_block][k_word][block] layout of gemm_kernels.h
// with two int16 elements of consecutive input channels per word, as pack_group would write for
// a 1x1 conv (with no bias and no activation offset, its per-channel offsets are 0). False when
// some value leaves int16 (|U'| <= 9 max|w|, so only for weights above 3640 in magnitude).
bool transform_weights(const Tensor& weight, int64_t c_out, int64_t c_in, int64_t block, int64_t k_words,
                       std::vector<std::vector<uint32_t>>& words) {
    for (int64_t o = 0; o < c_out; ++o) {
        for (int64_t c = 0; c < c_in; ++c) {
            const int32_t* g = weight.data.data() + (o * c_in + c) * 9;
            int64_t t[4][3];  // G' g
            for (int j = 0; j < 3; ++j) {
                t[0][j] = 2 * int64_t{g[j]};
                t[1][j] = int64_t{g[j]} + g[3 + j] + g[6 + j];
                t[2][j] = int64_t{g[j]} - g[3 + j] + g[6 + j];
                t[3][j] = 2 * int64_t{g[6 + j]};
            }
            const int64_t element = (((o / block) * k_words + c / 2) * block + o % block) * 2 + c % 2;
            for (int i = 0; i < 4; ++i) {
                const int64_t u[4] = {2 * t[i][0], t[i][0] + t[i][1] + t[i][2], t[i][0] - t[i][1] + t[i][2],
                                      2 * t[i][2]};
                for (int j = 0; j < 4; ++j) {
                    if (u[j] < kInt16Min || u[j] > kInt16Max) return false;
                    reinterpret_cast<int16_t*>(words[static_cast<size_t>(4 * i + j)].data())[element] =
                        static_cast<int16_t>(u[j]);
                }
            }
        }
    }
    return true;
}

// Lanes of the transforms: int16 (input) or uint32 (output) in GCC vector extensions, so that
// one template serves the AVX2 copy (32-byte vectors), its tails (16 bytes) and the portable
// copy (one element). Loads and stores are memcpy: the rows are not aligned.
using I16x16 = int16_t __attribute__((vector_size(32)));
using I16x8 = int16_t __attribute__((vector_size(16)));
using U32x8 = uint32_t __attribute__((vector_size(32)));
using I32x8 = int32_t __attribute__((vector_size(32)));

// Out-parameters, not return values: a 32-byte vector returned from a function compiled
// without AVX would change the ABI (these are always inlined into AVX2 code anyway).
template <typename V>
__attribute__((always_inline)) inline void load(V& v, const void* from) {
    std::memcpy(&v, from, sizeof(V));
}
template <typename V>
__attribute__((always_inline)) inline void store(void* to, const V& v) {
    std::memcpy(to, &v, sizeof(V));
}

// V = B^T d B for the channel elements e .. e + lanes(V) - 1 of one tile whose pixel (a, b) is the
// row d[4a + b]; position xi's to v[xi * position_stride + e]. In int16: the caller has checked
// |V| <= 4 max|x| <= 32767 (and |B^T d| <= 2 max|x|).
template <typename V>
__attribute__((always_inline)) inline void input_step(const int16_t* const* d, int64_t e, int16_t* v,
                                                      int64_t position_stride) {
    V r[4][4];  // B^T d
    for (int j = 0; j < 4; ++j) {
        V d0, d1, d2, d3;
        load(d0, d[j] + e);
        load(d1, d[4 + j] + e);
        load(d2, d[8 + j] + e);
        load(d3, d[12 + j] + e);
        r[0][j] = static_cast<V>(d0 - d2);
        r[1][j] = static_cast<V>(d1 + d2);
        r[2][j] = static_cast<V>(d2 - d1);
        r[3][j] = static_cast<V>(d1 - d3);
    }
    for (int i = 0; i < 4; ++i) {
        int16_t* row = v + 4 * i * position_stride + e;
        store(row, static_cast<V>(r[i][0] - r[i][2]));
        store(row + position_stride, static_cast<V>(r[i][1] + r[i][2]));
        store(row + 2 * position_stride, static_cast<V>(r[i][2] - r[i][1]));
        store(row + 3 * position_stride, static_cast<V>(r[i][1] - r[i][3]));
    }
}

// input_step for every tile of one encoded image (tile t's pixel k at image + offsets[16 t + k])
// and every one of the row's `elements` channel elements; tile t's row of position xi at
// v[xi * position_stride + t * elements].
template <bool kVector>
__attribute__((always_inline)) inline void transform_input(const int16_t* image, const int64_t* offsets, int64_t tiles,
                                                           int64_t elements, int16_t* v, int64_t position_stride) {
    for (int64_t t = 0; t < tiles; ++t, offsets += kPositions) {
        const int16_t* d[kPositions];
        for (int k = 0; k < kPositions; ++k) d[k] = image + offsets[k];
        int16_t* out = v + t * elements;
        int64_t e = 0;
        if constexpr (kVector) {
            for (; e + 16 <= elements; e += 16) input_step<I16x16>(d, e, out, position_stride);
            for (; e + 8 <= elements; e += 8) input_step<I16x8>(d, e, out, position_stride);
        }
        for (; e < elements; ++e) input_step<int16_t>(d, e, out, position_stride);
    }
}

void transform_input_default(const int16_t* image, const int64_t* offsets, int64_t tiles, int64_t elements, int16_t* v,
                             int64_t position_stride) {
    transform_input<false>(image, offsets, tiles, elements, v, position_stride);
}
DYADIC_AVX2 void transform_input_avx2(const int16_t* image, const int64_t* offsets, int64_t tiles,
                                                          int64_t elements, int16_t* v, int64_t position_stride) {
    transform_input<true>(image, offsets, tiles, elements, v, position_stride);
}

// One tile's Y = A^T M' A / 4 for lanes(U) consecutive output channels, M' of position xi at
// m[xi * position_stride]: y[2 * row + column]. In wrapping uint32 (the residue of 4Y), then the
// arithmetic shift of 4Y, which the caller's bounds keep inside int32 (an exact division).
template <typename U, typename S>
__attribute__((always_inline)) inline void output_tile(const int32_t* m, int64_t position_stride, S (&y)[4]) {
    U s[2][4];  // A^T M': rows M'0j + M'1j + M'2j and M'1j - M'2j - M'3j
    for (int j = 0; j < 4; ++j) {
        U m0, m1, m2, m3;
        load(m0, m + j * position_stride);
        load(m1, m + (4 + j) * position_stride);
        load(m2, m + (8 + j) * position_stride);
        load(m3, m + (12 + j) * position_stride);
        s[0][j] = m0 + m1 + m2;
        s[1][j] = m1 - m2 - m3;
    }
    for (int i = 0; i < 2; ++i) {
        y[2 * i] = (S)(s[i][0] + s[i][1] + s[i][2]) >> 2;  // the bits as int32
        y[2 * i + 1] = (S)(s[i][1] - s[i][2] - s[i][3]) >> 2;
    }
}

// Y of every output channel for a band of whole tile rows of one image, from M' of position xi,
// tile t of the band, channel o at m[xi * position_stride + t * c_stride + o], into channel
// planes: the band's output row y (from its first; `rows` of them) and column x of channel o at
// plane[o * plane_stride + y * out_w + x], plane_stride >= rows * out_w + 8.
struct OutputShape {
    int64_t c_out, tiles_w, rows, out_w, plane_stride;
};

void transform_output_default(const int32_t* m, int64_t position_stride, int64_t c_stride, const OutputShape& shape,
                              int32_t* plane) {
    for (int64_t ty = 0, t = 0; 2 * ty < shape.rows; ++ty) {
        for (int64_t tx = 0; tx < shape.tiles_w; ++tx, ++t) {
            for (int64_t o = 0; o < shape.c_out; ++o) {
                int32_t y[4];
                output_tile<uint32_t>(m + t * c_stride + o, position_stride, y);
                for (int q = 0; q < 4; ++q) {
                    const int64_t row = 2 * ty + q / 2, column = 2 * tx + q % 2;
                    if (row < shape.rows && column < shape.out_w) {
                        plane[o * shape.plane_stride + row * shape.out_w + column] = y[q];
                    }
                }
            }
        }
    }
}

// The same, 8 channels x 4 tiles per step: the tiles' top outputs, 8 pixel vectors of channels,
// are transposed into 8 channel rows of 8 pixels, and so are the bottom ones. A step stores whole
// rows of 8, so the rightmost step of a tile row may spill past the end of its top row into the
// start of its bottom row, which that step's own bottom store or the leftmost step's overwrites
// (the steps run right to left), and past the end of its bottom row into the next tile row,
// stored later, or past the plane by at most 7 (plane_stride's slack). It reads up to 3 tiles
// past the band's last (the caller keeps them inside its buffer).
DYADIC_AVX2 void transform_output_avx2(const int32_t* m, int64_t position_stride, int64_t c_stride,
                                       const OutputShape& shape, int32_t* plane) {
    for (int64_t o0 = 0; o0 < shape.c_out; o0 += 8) {
        const int64_t channels = std::min<int64_t>(8, shape.c_out - o0);
        for (int64_t ty = 0; 2 * ty < shape.rows; ++ty) {
            // Right to left: only the last step of a tile row spills, and the first one's
            // bottom row then overwrites the top row's spill.
            for (int64_t tx0 = (shape.tiles_w - 1) / 4 * 4; tx0 >= 0; tx0 -= 4) {
                __m256i top[8], bottom[8];
                for (int q = 0; q < 4; ++q) {
                    I32x8 y[4];
                    output_tile<U32x8>(m + (ty * shape.tiles_w + tx0 + q) * c_stride + o0, position_stride, y);
                    top[2 * q] = (__m256i)y[0];
                    top[2 * q + 1] = (__m256i)y[1];
                    bottom[2 * q] = (__m256i)y[2];
                    bottom[2 * q + 1] = (__m256i)y[3];
                }
                int32_t* out = plane + o0 * shape.plane_stride + 2 * ty * shape.out_w + 2 * tx0;
                transpose8(top);
                for (int64_t j = 0; j < channels; ++j) {
                    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j * shape.plane_stride), top[j]);
                }
                if (2 * ty + 1 == shape.rows) continue;  // an odd last row: no bottom row
                transpose8(bottom);
                for (int64_t j = 0; j < channels; ++j) {
                    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + shape.out_w + j * shape.plane_stride),
                                        bottom[j]);
                }
            }
        }
    }
}

// For each tile (row-major over the tile grid) and each of its 16 input pixels, the int16 offset
// of the pixel's row in an encoded image, or of the padding row outside the image. Tile (ty, tx)
// reads what output pixel (ty, tx) of a 4x4 conv with stride 2 and the layer's paddings would,
// so these are that conv's tap offsets (in words, two int16 each).
std::vector<int64_t> tile_offsets(const GemmLayout& layout, const ConvGeometry& g, int64_t tiles_h, int64_t tiles_w) {
    ConvGeometry tiles = g;
    tiles.k_h = tiles.k_w = 4;
    tiles.params.stride_h = tiles.params.stride_w = 2;
    tiles.out_h = tiles_h;
    tiles.out_w = tiles_w;
    std::vector<int64_t> offsets = tap_offsets(layout, tiles, tiles_h * tiles_w);
    for (int64_t& offset : offsets) offset *= 2;
    return offsets;
}

// Whether |V| <= 4 max|x| fits int16 and 4 * every accumulator (bias excluded: it is added after
// the division) fits int32, with max|x| from the type or else from the data.
bool bounds_hold(const ConvGeometry& g, const IntType& x_type, const ValueRange& range, int64_t max_abs_w) {
    constexpr int64_t kQuarterInt32 = std::numeric_limits<int32_t>::max() / 4;
    const auto holds = [&](int64_t max_x) {
        const int64_t bound = accumulator_bound(g, max_abs_w, 0, max_x);
        return 4 * max_x <= kInt16Max && bound >= 0 && bound <= kQuarterInt32;
    };
    return holds(max_magnitude(x_type)) || holds(range.max_abs());
}

struct Scratch {
    std::vector<int16_t> transformed;  // V: [xi][row][element]
    std::vector<const uint32_t*> runs;  // [xi][row]
    std::vector<int32_t> acc;           // M': [xi][row][channel]
    std::vector<int32_t> image;         // one image's accumulators, [channel][pixel], planes with slack
};
Scratch& scratch() {
    thread_local Scratch buffers;
    return buffers;
}

// The layout of the 16 GEMMs: each position's as a 1x1 conv over the transformed tiles, k = input
// channel.
GemmLayout position_layout(const GemmLayout& layout, const ConvGeometry& g) {
    GemmLayout gemm = layout;
    gemm.tap_stride = layout.words_per_pixel * 2;
    gemm.k_words = layout.words_per_pixel;
    gemm.kernel = gemm_kernel(layout.kernel.isa, Operand::kS16, g.c_out, gemm.k_words);
    gemm.o_blocks = ceil_div(g.c_out, gemm.kernel.block);
    return gemm;
}

}  // namespace

bool winograd_geometry(const GemmLayout& layout, const ConvGeometry& g) {
    const Conv2dParams& p = g.params;
    return layout.kernel.operand == Operand::kS16 && !layout.dense && p.groups == 1 && g.k_h == 3 && g.k_w == 3 &&
           p.stride_h == 1 && p.stride_w == 1 && p.dilation_h == 1 && p.dilation_w == 1 && g.c_in >= 8 &&
           g.in_pixel_stride == 1;
}

WinogradWeights winograd_weights(const GemmLayout& layout, const ConvGeometry& g, const Tensor& weight) {
    const GemmLayout gemm = position_layout(layout, g);
    WinogradWeights packed;
    packed.positions.assign(
        kPositions, std::vector<uint32_t>(static_cast<size_t>(gemm.o_blocks * gemm.k_words * gemm.kernel.block), 0u));
    packed.fit_int16 = transform_weights(weight, g.c_out, g.c_in, gemm.kernel.block, gemm.k_words, packed.positions);
    return packed;
}

bool winograd_conv(const GemmLayout& layout, const ConvGeometry& g, const uint32_t* images, int64_t image_words,
                   const IntType& x_type, const ValueRange& range, const Tensor& bias, const WinogradWeights& weights,
                   int64_t max_abs_w, ThreadPool& pool, const Epilogue& epilogue) {
    if (!weights.fit_int16 || !bounds_hold(g, x_type, range, max_abs_w)) return false;
    const GemmLayout gemm = position_layout(layout, g);
    const std::vector<std::vector<uint32_t>>& packed = weights.positions;

    const int64_t elements = gemm.k_words * 2;  // int16 per row
    const int64_t tiles_h = ceil_div(g.out_h, 2), tiles_w = ceil_div(g.out_w, 2);
    const std::vector<int64_t> offsets = tile_offsets(layout, g, tiles_h, tiles_w);
    const int64_t row_tile = gemm.kernel.row_tile;
    const int64_t c_rows = gemm.o_blocks * gemm.kernel.block;
    // Tasks: runs of consecutive tile rows of the batch (an image's tile rows, then the next
    // image's), about 128 GEMM rows each, so that a position's rows, accumulators and weights
    // stay in L1/L2 across its GEMM: several small images (7x7: 8 of them), or a band of a large
    // one (56x56: 4 of its 28 tile rows). Enough tasks to keep every thread busy.
    const int64_t tile_rows = g.batch * tiles_h;
    const int64_t by_threads = ceil_div(tile_rows, 4 * pool.size());
    const int64_t rows_per_task = std::max<int64_t>(1, std::min(by_threads, 128 / tiles_w));
    const int64_t tasks = ceil_div(tile_rows, rows_per_task);
    const bool vector = layout.kernel.isa != Isa::kScalar;
    const auto transform = vector ? transform_input_avx2 : transform_input_default;
    const auto inverse = vector ? transform_output_avx2 : transform_output_default;
    const int32_t* channel_offset = bias.shape.empty() ? nullptr : bias.data.data();

    pool.parallel_for(tasks, [&](int64_t task) {
        const int64_t q0 = task * rows_per_task, q1 = std::min(tile_rows, q0 + rows_per_task);
        const int64_t real_rows = (q1 - q0) * tiles_w;
        const int64_t rows = round_up(real_rows, row_tile);
        // The task's tile rows by image: (image n, its tile rows ty0 .. ty1 - 1, first GEMM row).
        const auto for_each_band = [&](const auto& visit) {
            for (int64_t q = q0; q < q1;) {
                const int64_t n = q / tiles_h, ty0 = q % tiles_h, ty1 = std::min(tiles_h, ty0 + (q1 - q));
                visit(n, ty0, ty1, (q - q0) * tiles_w);
                q += ty1 - ty0;
            }
        };
        Scratch& s = scratch();
        // Positions one cache line more apart than their data: the transforms touch all 16 at
        // once, and at power-of-two distances (rows * 64 channels * 4 bytes = 32 KiB at 128
        // rows) those lines would all fall into one L1 set.
        const int64_t position_stride = rows * elements + 32;  // int16
        const int64_t acc_position_stride = rows * c_rows + 16;  // int32
        int16_t* transformed = grown(s.transformed, static_cast<size_t>(kPositions * position_stride));
        const uint32_t** all_runs = grown(s.runs, static_cast<size_t>(kPositions * rows));
        // The vector output transform reads up to 3 tiles past a band's last: the slack.
        int32_t* acc = grown(s.acc, static_cast<size_t>(kPositions * acc_position_stride + 4 * c_rows));
        for_each_band([&](int64_t n, int64_t ty0, int64_t ty1, int64_t row) {
            const auto* image = reinterpret_cast<const int16_t*>(images + n * image_words);
            transform(image, offsets.data() + ty0 * tiles_w * kPositions, (ty1 - ty0) * tiles_w, elements,
                      transformed + row * elements, position_stride);
        });
        for (int64_t xi = 0; xi < kPositions; ++xi) {
            const uint32_t** runs = all_runs + xi * rows;
            const auto* first = reinterpret_cast<const uint32_t*>(transformed + xi * position_stride);
            // Dummy rows past the last tile repeat the first; their accumulators are never read.
            for (int64_t r = 0; r < rows; ++r) runs[r] = first + (r < real_rows ? r : 0) * gemm.k_words;
            GemmArgs args{};
            args.a = runs;
            args.taps = 1;
            args.tap_words = gemm.k_words;
            args.rows = rows;
            args.w = packed[static_cast<size_t>(xi)].data();
            args.o_blocks = gemm.o_blocks;
            args.c = acc + xi * acc_position_stride;
            args.c_stride = c_rows;
            args.c_pixel_major = true;
            gemm.kernel.run(args);
        }
        // Each band's accumulators as channel planes of its output rows, with 8 elements of
        // slack (transform_output), then to the epilogue.
        for_each_band([&](int64_t n, int64_t ty0, int64_t ty1, int64_t row) {
            const int64_t y0 = 2 * ty0, y1 = std::min(g.out_h, 2 * ty1);
            const OutputShape shape{g.c_out, tiles_w, y1 - y0, g.out_w, (y1 - y0) * g.out_w + 8};
            int32_t* planes = grown(s.image, static_cast<size_t>(g.c_out * shape.plane_stride));
            inverse(acc + row * c_rows, acc_position_stride, c_rows, shape, planes);
            epilogue(AccumulatorTile{n, 0, g.c_out, y0 * g.out_w, (y1 - y0) * g.out_w, planes,
                                     shape.plane_stride, channel_offset});
        });
    });
    return true;
}

}  // namespace dyadic::cpu
