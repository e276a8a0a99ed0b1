#include "cpu/conv_engine.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "cpu/encode_avx2.h"
#include "cpu/gemm_kernels.h"
#include "cpu/operand_check.h"
#include "util/error.h"

namespace dyadic::cpu {
namespace {

int64_t round_up(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }
int64_t ceil_div(int64_t value, int64_t divisor) { return (value + divisor - 1) / divisor; }

// The largest activation as the u8s8 kernels see it: signed ones are offset by +128.
int64_t max_u8_operand(const IntType& x) { return x.is_signed ? 127 + (int64_t{1} << (x.bits - 1)) : x.max(); }

// The narrowest operand the path runs exactly: u8s8 needs both operands within 8 bits (signed
// activations are offset by +128), s16s16 needs them within int16 (uint16 is not). On AVX2, u8s8
// (vpmaddubsw, whose pair sums saturate) only where no pair sum can reach the bound.
Operand choose_operand(Isa isa, const IntType& x, const IntType& w, int64_t max_abs_w) {
    const bool bytes = x.bits <= 8 && w.bits <= 8;
    if (bytes && isa != Isa::kAvx2) return Operand::kU8;
    if (bytes && isa == Isa::kAvx2 && u8_pairs_fit_int16(max_u8_operand(x), max_abs_w)) return Operand::kU8;
    const bool x_fits_int16 = x.is_signed ? x.bits <= 16 : x.bits <= 15;
    if (x_fits_int16 && w.bits <= 16) return Operand::kS16;
    return Operand::kS32;
}

// Everything about one layer's GEMM that does not depend on the data.
//
// Two ways to lay out a GEMM row (k = tap * tap_stride + channel within the group):
// - implicit: the input is encoded once as pixel rows (each group's channels padded to whole
//   words, tap_stride = that padded count), and a row of the GEMM is `taps` runs read in place;
// - dense: for convs with one or two words of channels per tap (a stem on 1 to 8 channels), each
//   row is built explicitly from the input with tap_stride = the channel count, so that no word
//   is spent on per-tap padding (a 1-channel 3x3 int16 stem: 5 words a row instead of 9) and the
//   kernel reads one run per row.
struct GemmLayout {
    GemmKernel kernel;
    int per_word = 1;             // elements per 32-bit word
    int64_t groups = 1, cg = 1;   // input channels per group
    bool dense = false;
    int64_t tap_stride = 1;       // elements of k from one tap to the next
    int64_t m = 1;                // output channels per group
    int64_t k_words = 1;          // words of one row of the GEMM
    int64_t o_blocks = 1;
    int64_t words_per_pixel = 1;  // implicit layout: words of one encoded pixel, groups * padded cg / per_word
    int32_t x_offset = 0;         // +128 for signed activations on u8s8: the encoded real 0
};

GemmLayout make_layout(const ConvGeometry& g, const IntType& x_type, const IntType& w_type, int64_t max_abs_w, Isa isa) {
    GemmLayout layout;
    layout.groups = g.params.groups;
    layout.cg = g.c_in / layout.groups;
    layout.m = g.c_out / layout.groups;
    const Operand operand = choose_operand(isa, x_type, w_type, max_abs_w);
    layout.per_word = elements_per_word(operand);
    const int64_t taps = g.k_h * g.k_w;
    const int64_t padded_cg = round_up(layout.cg, layout.per_word);
    layout.dense = taps > 1 && padded_cg / layout.per_word <= 2;
    layout.tap_stride = layout.dense ? layout.cg : padded_cg;
    layout.k_words = ceil_div(taps * layout.tap_stride, layout.per_word);
    layout.kernel = gemm_kernel(isa, operand, layout.m, layout.k_words);
    layout.o_blocks = ceil_div(layout.m, layout.kernel.block);
    layout.words_per_pixel = layout.groups * padded_cg / layout.per_word;
    if (layout.kernel.operand == Operand::kU8 && x_type.is_signed) layout.x_offset = 128;
    return layout;
}

// One group's weights in the kernel's [o_block][k_word][block] order, k = tap * tap_stride +
// channel (taps in (ky, kx) order), zero in padded elements and padded output channels; and the
// per-channel constant added to each raw sum: bias - x_offset * sum(w), in wrapping int32.
struct PackedGroup {
    std::vector<uint32_t> words;
    std::vector<int32_t> offset;
};

// Typed by the operand's element, so that a word's index and an element's place in it are
// shifts, not divisions (once per weight, which at batch 100 is not negligible).
template <typename Element>
void pack_weights(const GemmLayout& layout, const ConvGeometry& g, const Tensor& weight, int64_t group,
                  PackedGroup& packed) {
    constexpr int64_t kPerWord = 4 / sizeof(Element);
    const int64_t block = layout.kernel.block;
    auto* elements = reinterpret_cast<Element*>(packed.words.data());
    for (int64_t o = 0; o < layout.m; ++o) {
        const int64_t channel = group * layout.m + o;
        // Element e of k_word j of this channel: lane[(j * block) * kPerWord + e].
        Element* lane = elements + ((o / block) * layout.k_words * block + o % block) * kPerWord;
        const int32_t* w = weight.data.data() + channel * layout.cg * g.k_h * g.k_w;
        int64_t weight_sum = 0;
        for (int64_t c = 0; c < layout.cg; ++c) {
            for (int64_t tap = 0; tap < g.k_h * g.k_w; ++tap, ++w) {
                const int64_t k = tap * layout.tap_stride + c;
                lane[(k / kPerWord) * block * kPerWord + k % kPerWord] = static_cast<Element>(*w);
                weight_sum += *w;
            }
        }
        // Exact in int64 (|weight_sum| < 2^47), wrapped to int32: only the residue mod 2^32 matters.
        packed.offset[static_cast<size_t>(o)] = static_cast<int32_t>(static_cast<uint32_t>(
            static_cast<uint64_t>(packed.offset[static_cast<size_t>(o)] - layout.x_offset * weight_sum)));
    }
}

PackedGroup pack_group(const GemmLayout& layout, const ConvGeometry& g, const Tensor& weight, const Tensor& bias,
                       int64_t group) {
    PackedGroup packed;
    packed.words.assign(static_cast<size_t>(layout.o_blocks * layout.k_words * layout.kernel.block), 0u);
    packed.offset.assign(static_cast<size_t>(layout.m), 0);
    if (!bias.shape.empty()) {
        std::copy_n(bias.data.begin() + group * layout.m, layout.m, packed.offset.begin());
    }
    switch (layout.kernel.operand) {
        case Operand::kU8: pack_weights<uint8_t>(layout, g, weight, group, packed); break;
        case Operand::kS16: pack_weights<int16_t>(layout, g, weight, group, packed); break;
        case Operand::kS32: pack_weights<int32_t>(layout, g, weight, group, packed); break;
    }
    return packed;
}

// Words of one encoded image: its pixel rows, then one row of the real 0 that every tap outside
// the image (and every dummy row past the last output pixel) reads.
int64_t encoded_image_words(const GemmLayout& layout, const ConvGeometry& g) {
    return (g.in_h * g.in_w + 1) * layout.words_per_pixel;
}

// Image n of the input as pixel rows of words_per_pixel words (channels of group g at word
// g * tap_stride / per_word, padded channels the real 0), then the padding row; every element of
// `out` is written. Returns the range of the input elements read, which are all of image n's:
// the caller's operand check, taken here rather than in a pass of its own.
template <typename Element>
ValueRange encode_image(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, uint32_t* out) {
    auto* elements = reinterpret_cast<Element*>(out);
    const Element zero = static_cast<Element>(layout.x_offset);
    const int64_t pixels = g.in_h * g.in_w;
    const int64_t row_elements = layout.words_per_pixel * layout.per_word;
    const int32_t* base = input.data.data() + n * g.in_image_stride;
    ValueRange range;
    // Blocks of pixels, so that a block's rows stay in L1 while each channel is scattered into them.
    constexpr int64_t kPixelBlock = 64;
    for (int64_t p0 = 0; p0 < pixels; p0 += kPixelBlock) {
        const int64_t p1 = std::min(pixels, p0 + kPixelBlock);
        if (layout.tap_stride != layout.cg) {
            for (int64_t p = p0; p < p1; ++p) {
                for (int64_t group = 0; group < layout.groups; ++group) {
                    Element* padded = elements + p * row_elements + group * layout.tap_stride;
                    std::fill(padded + layout.cg, padded + layout.tap_stride, zero);
                }
            }
        }
        for (int64_t c = 0; c < g.c_in; ++c) {
            const int64_t column = (c / layout.cg) * layout.tap_stride + c % layout.cg;
            const int32_t* channel = base + c * g.in_channel_stride;
            Element* dst = elements + column;
            for (int64_t p = p0; p < p1; ++p) {
                const int32_t value = channel[p * g.in_pixel_stride];
                range.lo = std::min(range.lo, value);
                range.hi = std::max(range.hi, value);
                dst[p * row_elements] = static_cast<Element>(value + layout.x_offset);
            }
        }
    }
    std::fill(elements + pixels * row_elements, elements + (pixels + 1) * row_elements, zero);
    return range;
}

ValueRange encode(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, uint32_t* out) {
    // int16 rows without padded channels (8 | cg, so a row is the c_in channels in order) from
    // channel planes: the AVX2 transpose, on every path but the portable one.
    if (layout.kernel.operand == Operand::kS16 && layout.kernel.isa != Isa::kScalar && layout.cg % 8 == 0 &&
        g.in_pixel_stride == 1) {
        const int64_t pixels = g.in_h * g.in_w;
        auto* rows = reinterpret_cast<int16_t*>(out);
        const ValueRange range = transpose_to_s16_avx2(input.data.data() + n * g.in_image_stride, g.c_in,
                                                       g.in_channel_stride, pixels, rows);
        std::fill(rows + pixels * g.c_in, rows + (pixels + 1) * g.c_in, int16_t{0});
        return range;
    }
    switch (layout.kernel.operand) {
        case Operand::kU8: return encode_image<uint8_t>(layout, g, input, n, out);
        case Operand::kS16: return encode_image<int16_t>(layout, g, input, n, out);
        case Operand::kS32: return encode_image<int32_t>(layout, g, input, n, out);
    }
    return {};
}

// The implicit im2col of the first `rows` output pixels: for each pixel and kernel tap, the word
// offset in an encoded image of the tap's pixel, or of the padding row outside the image (and
// for rows past the last output pixel). The same for every image and group (the group's first
// word is added to the image's base), so computed once per layer.
std::vector<int64_t> tap_offsets(const GemmLayout& layout, const ConvGeometry& g, int64_t rows) {
    const Conv2dParams& p = g.params;
    const int64_t taps = g.k_h * g.k_w;
    const int64_t pixels = g.out_h * g.out_w;
    const int64_t pad = g.in_h * g.in_w * layout.words_per_pixel;
    std::vector<int64_t> offsets(static_cast<size_t>(rows * taps), pad);
    for (int64_t pixel = 0; pixel < std::min(rows, pixels); ++pixel) {
        int64_t* row = offsets.data() + pixel * taps;
        const int64_t y = pixel / g.out_w, x = pixel % g.out_w;
        for (int64_t ky = 0; ky < g.k_h; ++ky) {
            const int64_t iy = y * p.stride_h + ky * p.dilation_h - p.pad_top;
            for (int64_t kx = 0; kx < g.k_w; ++kx, ++row) {
                const int64_t ix = x * p.stride_w + kx * p.dilation_w - p.pad_left;
                if (iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w) *row = (iy * g.in_w + ix) * layout.words_per_pixel;
            }
        }
    }
    return offsets;
}

// Dense GEMM rows p0 .. p0+rows-1 of image n, group `group`, built from the input: element
// tap * cg + channel of a row is the tap's input element (the real 0 outside the image), the
// row's last word padded with the real 0, and rows past the last output pixel all the real 0.
// Output row by output row and tap by tap, so that the inner loop runs along an input row with
// the image's edges found once per tap, not tested per element.
template <typename Element>
void dense_rows(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, int64_t group,
                int64_t p0, int64_t rows, uint32_t* out) {
    const Conv2dParams& p = g.params;
    auto* elements = reinterpret_cast<Element*>(out);
    const Element zero = static_cast<Element>(layout.x_offset);
    const int64_t row_elements = layout.k_words * layout.per_word;
    const int64_t used = g.k_h * g.k_w * layout.cg;  // elements before the last word's padding
    const int64_t end = std::min(p0 + rows, g.out_h * g.out_w);
    const int32_t* base = input.data.data() + n * g.in_image_stride + group * layout.cg * g.in_channel_stride;
    for (int64_t pixel = p0; pixel < end;) {
        const int64_t y = pixel / g.out_w, x0 = pixel % g.out_w;
        const int64_t x1 = std::min(g.out_w, x0 + (end - pixel));
        // Element k of output pixel (y, x) is at first + (x - x0) * row_elements + k.
        Element* first = elements + (pixel - p0) * row_elements;
        for (int64_t ky = 0; ky < g.k_h; ++ky) {
            const int64_t iy = y * p.stride_h + ky * p.dilation_h - p.pad_top;
            const bool row_inside = iy >= 0 && iy < g.in_h;
            for (int64_t kx = 0; kx < g.k_w; ++kx) {
                const int64_t shift = kx * p.dilation_w - p.pad_left;  // ix = x * stride_w + shift
                // The x with 0 <= ix < in_w, clamped to [x0, x1); none when the row is outside.
                int64_t xb = shift >= 0 ? 0 : (-shift + p.stride_w - 1) / p.stride_w;
                int64_t xe = g.in_w - shift <= 0 ? 0 : (g.in_w - shift - 1) / p.stride_w + 1;
                xb = std::clamp(xb, x0, x1);
                xe = row_inside ? std::clamp(xe, xb, x1) : xb;
                for (int64_t c = 0; c < layout.cg; ++c) {
                    Element* dst = first + (ky * g.k_w + kx) * layout.cg + c;
                    int64_t x = x0;
                    for (; x < xb; ++x) dst[(x - x0) * row_elements] = zero;
                    if (x < xe) {
                        const int32_t* src = base + c * g.in_channel_stride + iy * g.in_w * g.in_pixel_stride;
                        for (; x < xe; ++x) {
                            dst[(x - x0) * row_elements] =
                                static_cast<Element>(src[(x * p.stride_w + shift) * g.in_pixel_stride] + layout.x_offset);
                        }
                    }
                    for (; x < x1; ++x) dst[(x - x0) * row_elements] = zero;
                }
            }
        }
        for (int64_t x = x0; x < x1; ++x) {
            std::fill(first + (x - x0) * row_elements + used, first + (x - x0 + 1) * row_elements, zero);
        }
        pixel += x1 - x0;
    }
    std::fill(elements + (end - p0) * row_elements, elements + rows * row_elements, zero);
}

void dense(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, int64_t group, int64_t p0,
           int64_t rows, uint32_t* out) {
    switch (layout.kernel.operand) {
        case Operand::kU8: dense_rows<uint8_t>(layout, g, input, n, group, p0, rows, out); break;
        case Operand::kS16: dense_rows<int16_t>(layout, g, input, n, group, p0, rows, out); break;
        case Operand::kS32: dense_rows<int32_t>(layout, g, input, n, group, p0, rows, out); break;
    }
}

// Scratch buffers reused by each thread across tasks and calls.
struct Scratch {
    std::vector<const uint32_t*> runs;
    std::vector<uint32_t> rows;  // dense GEMM rows
    std::vector<int32_t> acc;
};
Scratch& scratch() {
    thread_local Scratch buffers;
    return buffers;
}

// The encoded images of the call in progress on this thread (tasks on other threads only read
// them), kept across calls so that each call neither allocates nor zero-fills them; released
// after a call that needed more than kKeptEncodedWords, so that one large layer does not pin
// its memory for the thread's lifetime.
constexpr size_t kKeptEncodedWords = size_t{16} << 20;  // 64 MiB
std::vector<uint32_t>& encoded_batch() {
    thread_local std::vector<uint32_t> words;
    return words;
}

// Empty when every input element lies in the input's type and accumulator_bound() proves every
// accumulator fits int32 (with the type's largest magnitude, or else with the input's actual one);
// otherwise why the layer belongs to the reference.
std::string refusal(const ConvGeometry& g, const IntType& x_type, const ValueRange& x_range, int64_t max_abs_w,
                    int64_t max_abs_bias) {
    constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
    if (!x_range.fits(x_type)) return "operands refused: an input element lies outside " + x_type.name();
    const int64_t by_type = accumulator_bound(g, max_abs_w, max_abs_bias, max_magnitude(x_type));
    if (by_type >= 0 && by_type <= kInt32Max) return {};
    const int64_t by_data = accumulator_bound(g, max_abs_w, max_abs_bias, x_range.max_abs());
    if (by_data >= 0 && by_data <= kInt32Max) return {};
    return "accumulator bound " + (by_data < 0 ? std::string("> 2^62") : std::to_string(by_data)) + " exceeds int32";
}

Accumulation gemm_conv(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias,
                       int64_t max_abs_w, int64_t max_abs_bias, Isa isa, ThreadPool& pool, const Epilogue& epilogue) {
    const GemmLayout layout = make_layout(g, input.type, weight.type, max_abs_w, isa);
    const int64_t tile = layout.kernel.row_tile, block = layout.kernel.block;
    const int64_t out_pixels = g.out_h * g.out_w;
    const int64_t taps = g.k_h * g.k_w;

    // Encode the images (implicit layout), checking the input's elements on the way.
    ValueRange range;
    const int64_t image_words = encoded_image_words(layout, g);
    std::vector<uint32_t>& images = encoded_batch();
    if (layout.dense) {
        range = value_range(input);
    } else {
        images.resize(static_cast<size_t>(g.batch * image_words));
        std::vector<ValueRange> ranges(static_cast<size_t>(g.batch));
        pool.parallel_for(g.batch, [&](int64_t n) {
            ranges[static_cast<size_t>(n)] = encode(layout, g, input, n, images.data() + n * image_words);
        });
        for (const ValueRange& r : ranges) range.add(r);
    }
    if (std::string why = refusal(g, input.type, range, max_abs_w, max_abs_bias); !why.empty()) return {{}, why};

    std::vector<PackedGroup> packed(static_cast<size_t>(layout.groups));
    pool.parallel_for(layout.groups, [&](int64_t group) {
        packed[static_cast<size_t>(group)] = pack_group(layout, g, weight, bias, group);
    });

    // Tasks: (group, chunk of rows), with the output pixels of every image one after the other,
    // so that a chunk may span images: small images (7x7) then fill whole row tiles instead of
    // leaving up to row_tile - 1 dummy rows each, and a block's weights serve more rows while
    // they are in cache. Enough chunks to keep every thread busy, each at most 32 row tiles so
    // that its rows and accumulators stay in cache.
    const int64_t total_rows = g.batch * out_pixels;
    const int64_t row_tiles = ceil_div(total_rows, tile);
    const int64_t want_chunks = ceil_div(4 * pool.size(), layout.groups);
    const int64_t tiles_per_chunk = std::clamp<int64_t>(ceil_div(row_tiles, want_chunks), 1, 32);
    const int64_t chunks = ceil_div(row_tiles, tiles_per_chunk);
    const int64_t chunk_rows = tiles_per_chunk * tile;
    const int64_t c_rows = layout.o_blocks * block;
    const std::vector<int64_t> offsets = layout.dense ? std::vector<int64_t>{} : tap_offsets(layout, g, out_pixels);
    const int64_t run_count = layout.dense ? 1 : taps;  // runs per GEMM row

    pool.parallel_for(layout.groups * chunks, [&](int64_t task) {
        const int64_t chunk = task % chunks, group = task / chunks;
        const int64_t q0 = chunk * chunk_rows;
        const int64_t count = std::min(chunk_rows, total_rows - q0);
        const int64_t rows = round_up(count, tile);
        Scratch& buffers = scratch();
        buffers.runs.resize(static_cast<size_t>(rows * run_count));
        const uint32_t** runs = buffers.runs.data();
        if (layout.dense) buffers.rows.resize(static_cast<size_t>(count * layout.k_words));
        // The rows of each image the chunk touches: (image n, pixels p .. p + segment - 1).
        const auto for_each_segment = [&](const auto& visit) {
            for (int64_t q = q0; q < q0 + count;) {
                const int64_t n = q / out_pixels, p = q % out_pixels;
                const int64_t segment = std::min(out_pixels - p, q0 + count - q);
                visit(n, p, segment, q - q0);
                q += segment;
            }
        };
        for_each_segment([&](int64_t n, int64_t p, int64_t segment, int64_t row) {
            if (layout.dense) {
                uint32_t* dense_out = buffers.rows.data() + row * layout.k_words;
                dense(layout, g, input, n, group, p, segment, dense_out);
                for (int64_t i = 0; i < segment; ++i) runs[row + i] = dense_out + i * layout.k_words;
            } else {
                const uint32_t* image = images.data() + n * image_words + group * (layout.tap_stride / layout.per_word);
                const int64_t* tap = offsets.data() + p * taps;
                const uint32_t** out = runs + row * taps;
                for (int64_t j = 0; j < segment * taps; ++j) out[j] = image + tap[j];
            }
        });
        // Dummy rows up to a whole tile repeat the first row; their accumulators are never read.
        for (int64_t j = count * run_count; j < rows * run_count; ++j) runs[j] = runs[j % run_count];
        buffers.acc.resize(static_cast<size_t>(rows * c_rows));
        GemmArgs args{};
        args.a = runs;
        args.taps = run_count;
        args.tap_words = layout.dense ? layout.k_words : layout.tap_stride / layout.per_word;
        args.rows = rows;
        args.w = packed[static_cast<size_t>(group)].words.data();
        args.o_blocks = layout.o_blocks;
        args.c = buffers.acc.data();
        args.c_stride = rows;
        layout.kernel.run(args);
        for_each_segment([&](int64_t n, int64_t p, int64_t segment, int64_t row) {
            epilogue(AccumulatorTile{n, group * layout.m, layout.m, p, segment, buffers.acc.data() + row, rows,
                                     packed[static_cast<size_t>(group)].offset.data()});
        });
    });
    if (images.capacity() > kKeptEncodedWords) std::vector<uint32_t>().swap(images);
    return {std::string(isa_name(layout.kernel.isa)) + " " + operand_name(layout.kernel.operand) + " gemm", {}};
}

// One output plane of a conv whose groups read a single input channel (depthwise), in wrapping
// uint32: the reference's loop without the int64 widening. Inlined into one copy per target; the
// AVX2 copy also serves the AVX-512 path (9 MACs per output leave it memory bound).
__attribute__((always_inline)) inline void direct_plane(const ConvGeometry& g, const int32_t* in, const int32_t* w,
                                                        uint32_t start, uint32_t* plane) {
    const Conv2dParams& p = g.params;
    std::fill(plane, plane + g.out_h * g.out_w, start);
    for (int64_t ky = 0; ky < g.k_h; ++ky) {
        for (int64_t kx = 0; kx < g.k_w; ++kx) {
            const uint32_t weight = static_cast<uint32_t>(w[ky * g.k_w + kx]);
            const int64_t col_offset = kx * p.dilation_w - p.pad_left;
            const int64_t x_begin = col_offset >= 0 ? 0 : (-col_offset + p.stride_w - 1) / p.stride_w;
            const int64_t x_end =
                std::min<int64_t>(g.in_w - col_offset <= 0 ? 0 : (g.in_w - col_offset - 1) / p.stride_w + 1, g.out_w);
            if (x_begin >= x_end) continue;
            for (int64_t y = 0; y < g.out_h; ++y) {
                const int64_t row = y * p.stride_h + ky * p.dilation_h - p.pad_top;
                if (row < 0 || row >= g.in_h) continue;
                const int32_t* in_row = in + row * g.in_w + col_offset;
                uint32_t* acc = plane + y * g.out_w;
                if (p.stride_w == 1) {
                    for (int64_t x = x_begin; x < x_end; ++x) acc[x] += weight * static_cast<uint32_t>(in_row[x]);
                } else {
                    for (int64_t x = x_begin; x < x_end; ++x) {
                        acc[x] += weight * static_cast<uint32_t>(in_row[x * p.stride_w]);
                    }
                }
            }
        }
    }
}

void direct_plane_default(const ConvGeometry& g, const int32_t* in, const int32_t* w, uint32_t start, uint32_t* plane) {
    direct_plane(g, in, w, start, plane);
}
__attribute__((target("avx2"))) void direct_plane_avx2(const ConvGeometry& g, const int32_t* in, const int32_t* w,
                                                       uint32_t start, uint32_t* plane) {
    direct_plane(g, in, w, start, plane);
}

std::string direct_conv(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias, Isa isa,
                        ThreadPool& pool, const Epilogue& epilogue) {
    const auto plane_fn = isa == Isa::kScalar ? direct_plane_default : direct_plane_avx2;
    const int64_t per_group = g.c_out / g.params.groups;
    const int64_t taps = g.k_h * g.k_w;
    pool.parallel_for(g.batch * g.c_out, [&](int64_t task) {
        const int64_t n = task / g.c_out, o = task % g.c_out;
        const int64_t c = o / per_group;  // the one input channel of o's group
        std::vector<int32_t>& plane = scratch().acc;
        plane.resize(static_cast<size_t>(g.out_h * g.out_w));
        const uint32_t start = bias.shape.empty() ? 0u : static_cast<uint32_t>(bias.data[static_cast<size_t>(o)]);
        plane_fn(g, input.data.data() + n * g.in_image_stride + c * g.in_channel_stride,
                 weight.data.data() + o * taps, start, reinterpret_cast<uint32_t*>(plane.data()));
        epilogue(AccumulatorTile{n, o, 1, 0, g.out_h * g.out_w, plane.data(), 0, nullptr});
    });
    return isa == Isa::kScalar ? "scalar direct" : "avx2 direct";
}

}  // namespace

ConvGeometry ConvGeometry::conv(const Shape& input, const Shape& weight, const Conv2dParams& params) {
    const Shape out = conv2d_output_shape(input, weight, params);
    ConvGeometry g;
    g.batch = input[0];
    g.c_in = input[1];
    g.in_h = input[2];
    g.in_w = input[3];
    g.c_out = out[1];
    g.out_h = out[2];
    g.out_w = out[3];
    g.k_h = weight[2];
    g.k_w = weight[3];
    g.params = params;
    g.in_channel_stride = g.in_h * g.in_w;
    g.in_image_stride = g.c_in * g.in_channel_stride;
    g.in_pixel_stride = 1;
    return g;
}

ConvGeometry ConvGeometry::fully_connected(int64_t batch, int64_t depth, int64_t units) {
    ConvGeometry g;
    g.batch = 1;
    g.c_in = depth;
    g.in_w = g.out_w = batch;
    g.c_out = units;
    g.in_image_stride = 0;
    g.in_channel_stride = 1;
    g.in_pixel_stride = depth;
    return g;
}

int64_t max_magnitude(const IntType& type) { return std::max(-type.min(), type.max()); }

int64_t accumulator_bound(const ConvGeometry& g, int64_t max_abs_w, int64_t max_abs_bias, int64_t max_abs_x) {
    constexpr int64_t kCap = int64_t{1} << 62;
    const int64_t depth = g.c_in / g.params.groups * g.k_h * g.k_w;
    // Each factor is below 2^32 (|w|, |x| <= 2^16, depth checked first), so divide-before-multiply
    // guards are enough to stay inside int64.
    const int64_t per_product = max_abs_w * max_abs_x;  // <= 2^32
    if (per_product != 0 && depth > (kCap - max_abs_bias) / per_product) return -1;
    return depth * per_product + max_abs_bias;
}

Accumulation conv_accumulate(const ConvGeometry& g, const Tensor& input, const Tensor& weight, const Tensor& bias,
                             Isa isa, ThreadPool& pool, const Epilogue& epilogue) {
    require(isa_supported(isa), std::string("cpu path ") + isa_name(isa) + " is not supported by this CPU");
    const int64_t max_abs_w = max_abs(weight), max_abs_bias = max_abs(bias);
    // Depthwise-like convs (several groups of one input channel each) would leave most of a GEMM
    // block empty; a single group of one channel (a stem conv on a grey image) is a GEMM.
    const bool one_channel_per_group = g.params.groups > 1 && g.c_in == g.params.groups && g.in_pixel_stride == 1;
    if (one_channel_per_group) {
        if (std::string why = refusal(g, input.type, value_range(input), max_abs_w, max_abs_bias); !why.empty()) {
            return {{}, why};
        }
        return {direct_conv(g, input, weight, bias, isa, pool, epilogue), {}};
    }
    return gemm_conv(g, input, weight, bias, max_abs_w, max_abs_bias, isa, pool, epilogue);
}

}  // namespace dyadic::cpu
