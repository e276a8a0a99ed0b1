#include "cpu/gemm_operands.h"

#include <algorithm>

#include "cpu/encode_avx2.h"
#include "cpu/scratch.h"

namespace dyadic::cpu {
namespace {

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

// Image n of the input as pixel rows of words_per_pixel words (channels of group g at word
// g * tap_stride / per_word, padded channels the real 0), then the padding row; every element of
// `out` is written. Returns the range of the input elements read, which are all of image n's:
// the caller's operand check, taken here rather than in a pass of its own.
template <typename Element>
ValueRange encode_image_as(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, uint32_t* out) {
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
                // In uint32: the range is checked after this pass, so `value` may be any int32.
                dst[p * row_elements] =
                    static_cast<Element>(static_cast<uint32_t>(value) + static_cast<uint32_t>(layout.x_offset));
            }
        }
    }
    std::fill(elements + pixels * row_elements, elements + (pixels + 1) * row_elements, zero);
    return range;
}

// Dense GEMM rows p0 .. p0+rows-1 of image n, group `group`, built from the input: element
// tap * cg + channel of a row is the tap's input element (the real 0 outside the image), the
// row's last word padded with the real 0, and rows past the last output pixel all the real 0.
// Output row by output row and tap by tap, so that the inner loop runs along an input row with
// the image's edges found once per tap, not tested per element.
template <typename Element>
void dense_rows_as(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, int64_t group,
                int64_t p0, int64_t rows, uint32_t* out) {
    const Conv2dParams& p = g.params;
    auto* elements = reinterpret_cast<Element*>(out);
    const Element zero = static_cast<Element>(layout.x_offset);
    const int64_t row_elements = layout.k_words * layout.per_word;
    const int64_t used = g.k_h * g.k_w * layout.cg;  // elements before the last word's padding
    const int64_t end = std::min(p0 + rows, g.out_h * g.out_w);
    const int32_t* base = input.data.data() + n * g.in_image_stride + group * layout.cg * g.in_channel_stride;
    // Copies of what the inner loop reads: uint8 stores may alias anything, so the compiler
    // would reload each of these from the structs after every element otherwise.
    const int64_t stride_w = p.stride_w, pixel_stride = g.in_pixel_stride, cg = layout.cg;
    const int32_t x_offset = layout.x_offset;
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
                for (int64_t c = 0; c < cg; ++c) {
                    Element* dst = first + (ky * g.k_w + kx) * cg + c;
                    int64_t x = x0;
                    for (; x < xb; ++x) dst[(x - x0) * row_elements] = zero;
                    if (x < xe) {
                        const int32_t* src = base + c * g.in_channel_stride + iy * g.in_w * g.in_pixel_stride;
                        for (; x < xe; ++x) {
                            dst[(x - x0) * row_elements] = static_cast<Element>(src[(x * stride_w + shift) * pixel_stride] + x_offset);
                        }
                    }
                    for (; x < x1; ++x) dst[(x - x0) * row_elements] = zero;
                }
            }
        }
        // Element by element across the rows: a fill per row would be a call to memset for a
        // few bytes (u8 rows pad at most 3).
        for (int64_t k = used; k < row_elements; ++k) {
            for (int64_t x = x0; x < x1; ++x) first[(x - x0) * row_elements + k] = zero;
        }
        pixel += x1 - x0;
    }
    std::fill(elements + (end - p0) * row_elements, elements + rows * row_elements, zero);
}

// Dense rows of a one-channel 3x3 stem with horizontal stride 1 on int16 operands, on AVX2: the
// input rows that output pixels p0 .. p0 + rows - 1 read, copied zero-padded around the image
// (stem_rows_s16_avx2 reads them there), then rows past the last output pixel all 0.
void stem_rows(const ConvGeometry& g, const Tensor& input, int64_t n, int64_t group, int64_t p0, int64_t rows,
               int16_t* out) {
    const Conv2dParams& p = g.params;
    const int64_t end = std::max(p0, std::min(p0 + rows, g.out_h * g.out_w));
    const StemRows shape{g.out_w, p.stride_h, p.dilation_h, p.dilation_w, g.out_w + 2 * p.dilation_w + 8};
    const int64_t first_row = (p0 / g.out_w) * p.stride_h - p.pad_top;
    const int64_t last_row = end > p0 ? ((end - 1) / g.out_w) * p.stride_h + 2 * p.dilation_h - p.pad_top : first_row;
    thread_local std::vector<int32_t> padded_rows;
    int32_t* padded = grown(padded_rows, static_cast<size_t>((last_row - first_row + 1) * shape.width));
    const int32_t* plane = input.data.data() + n * g.in_image_stride + group * g.in_channel_stride;
    const int64_t begin = std::clamp<int64_t>(p.pad_left, 0, shape.width);
    const int64_t stop = std::clamp<int64_t>(p.pad_left + g.in_w, begin, shape.width);
    for (int64_t iy = first_row; iy <= last_row; ++iy) {
        int32_t* row = padded + (iy - first_row) * shape.width;
        const bool inside = iy >= 0 && iy < g.in_h;
        std::fill(row, row + begin, 0);
        if (inside) std::copy(plane + iy * g.in_w + (begin - p.pad_left), plane + iy * g.in_w + (stop - p.pad_left), row + begin);
        std::fill(row + (inside ? stop : begin), row + shape.width, 0);
    }
    stem_rows_s16_avx2(padded, shape, p0, end, out);
    std::fill(out + (end - p0) * kStemRowElements, out + rows * kStemRowElements, int16_t{0});
}

}  // namespace

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
    if (layout.kernel.operand == Operand::kU8) {
        if (x_type.is_signed) layout.x_offset = 128;
        layout.pair_sum_words = u8_pair_sums_in_int16(max_u8_operand(x_type), max_abs_w);
    }
    return layout;
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

int64_t encoded_image_words(const GemmLayout& layout, const ConvGeometry& g) {
    return (g.in_h * g.in_w + 1) * layout.words_per_pixel;
}

ValueRange encode_image(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, uint32_t* out) {
    // int16 or uint8 rows without padded channels (8 | cg, so a row is the c_in channels in order)
    // from channel planes: the AVX2 transposes, on every path but the portable one.
    const bool transposable = layout.kernel.isa != Isa::kScalar && layout.cg % 8 == 0 && g.in_pixel_stride == 1;
    if (transposable && layout.kernel.operand != Operand::kS32) {
        const int64_t pixels = g.in_h * g.in_w;
        const int32_t* planes = input.data.data() + n * g.in_image_stride;
        if (layout.kernel.operand == Operand::kS16) {
            auto* rows = reinterpret_cast<int16_t*>(out);
            const ValueRange range = transpose_to_s16_avx2(planes, g.c_in, g.in_channel_stride, pixels, rows);
            std::fill(rows + pixels * g.c_in, rows + (pixels + 1) * g.c_in, int16_t{0});
            return range;
        }
        auto* rows = reinterpret_cast<uint8_t*>(out);
        const ValueRange range =
            transpose_to_u8_avx2(planes, g.c_in, g.in_channel_stride, pixels, layout.x_offset != 0, rows);
        std::fill(rows + pixels * g.c_in, rows + (pixels + 1) * g.c_in, static_cast<uint8_t>(layout.x_offset));
        return range;
    }
    switch (layout.kernel.operand) {
        case Operand::kU8: return encode_image_as<uint8_t>(layout, g, input, n, out);
        case Operand::kS16: return encode_image_as<int16_t>(layout, g, input, n, out);
        case Operand::kS32: return encode_image_as<int32_t>(layout, g, input, n, out);
    }
    return {};
}

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

void dense_rows(const GemmLayout& layout, const ConvGeometry& g, const Tensor& input, int64_t n, int64_t group, int64_t p0,
           int64_t rows, uint32_t* out) {
    const bool stem = layout.kernel.isa != Isa::kScalar && layout.kernel.operand == Operand::kS16 && layout.cg == 1 &&
                      g.k_h == 3 && g.k_w == 3 && g.params.stride_w == 1 && g.in_pixel_stride == 1;
    if (stem) {
        stem_rows(g, input, n, group, p0, rows, reinterpret_cast<int16_t*>(out));
        return;
    }
    switch (layout.kernel.operand) {
        case Operand::kU8: dense_rows_as<uint8_t>(layout, g, input, n, group, p0, rows, out); break;
        case Operand::kS16: dense_rows_as<int16_t>(layout, g, input, n, group, p0, rows, out); break;
        case Operand::kS32: dense_rows_as<int32_t>(layout, g, input, n, group, p0, rows, out); break;
    }
}

}  // namespace dyadic::cpu
