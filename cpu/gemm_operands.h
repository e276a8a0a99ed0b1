#pragma once
// The operands of the conv engine's GEMM: the layout chosen for a layer (operand width, kernel,
// implicit or dense rows), the packed weights, the encoded input images and the rows that read
// them. Every value is moved, never changed (docs/semantics.md, section 6.1, "Encodings").
#include <cstdint>
#include <vector>

#include "cpu/conv_engine.h"
#include "cpu/gemm_kernels.h"
#include "cpu/operand_check.h"

namespace dyadic::cpu {

inline int64_t round_up(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }
inline int64_t ceil_div(int64_t value, int64_t divisor) { return (value + divisor - 1) / divisor; }

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
    int64_t pair_sum_words = 1;   // u8s8: u8_pair_sums_in_int16 of the layer's operands (GemmArgs)
};

// The layout of a layer whose weights' largest magnitude is max_abs_w, on `isa`.
GemmLayout make_layout(const ConvGeometry& geometry, const IntType& x_type, const IntType& w_type, int64_t max_abs_w,
                       Isa isa);

// One group's weights in the kernel's [o_block][k_word][block] order, k = tap * tap_stride +
// channel (taps in (ky, kx) order), zero in padded elements and padded output channels; and the
// per-channel constant added to each raw sum: bias - x_offset * sum(w), in wrapping int32.
struct PackedGroup {
    std::vector<uint32_t> words;
    std::vector<int32_t> offset;
};

PackedGroup pack_group(const GemmLayout& layout, const ConvGeometry& geometry, const Tensor& weight, const Tensor& bias,
                       int64_t group);

// Words of one encoded image: its pixel rows, then one row of the real 0 that every tap outside
// the image reads.
int64_t encoded_image_words(const GemmLayout& layout, const ConvGeometry& geometry);

// Image n of the input as pixel rows of words_per_pixel words (channels of group g at word
// g * tap_stride / per_word, padded channels the real 0), then the padding row; every word of
// `out` (encoded_image_words of them) is written. Returns the range of the input elements read,
// which are all of image n's: the operand check, taken here rather than in a pass of its own.
// Implicit layout only.
ValueRange encode_image(const GemmLayout& layout, const ConvGeometry& geometry, const Tensor& input, int64_t n,
                        uint32_t* out);

// The implicit im2col of the first `rows` output pixels: for each pixel and kernel tap, the word
// offset in an encoded image of the tap's pixel, or of the padding row outside the image (and
// for rows past the last output pixel). The same for every image and group (the group's first
// word is added to the image's base), so computed once per layer.
std::vector<int64_t> tap_offsets(const GemmLayout& layout, const ConvGeometry& geometry, int64_t rows);

// Dense GEMM rows p0 .. p0+rows-1 of image n, group `group`, built from the input (k_words words
// each): element tap * cg + channel of a row is the tap's input element (the real 0 outside the
// image), the row's last word padded with the real 0, rows past the last output pixel all the
// real 0. Dense layout only.
void dense_rows(const GemmLayout& layout, const ConvGeometry& geometry, const Tensor& input, int64_t n, int64_t group,
                int64_t p0, int64_t rows, uint32_t* out);

}  // namespace dyadic::cpu
