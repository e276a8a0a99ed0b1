#pragma once
// A GEMM on the systolic array, fold by fold (docs/accelerator.md, "Cycle model"): the output
// channels are cut into blocks of C columns and the reduction into blocks of R x macs_per_pe rows;
// the folds run as one schedule step (ArrayDriver::run_folds), block of channels by block of
// channels, reduction blocks in order within each.
//
// Without weight double buffering each fold's partial sums enter the array as psum_in and leave with
// the fold's products added, so the array itself does every addition and the caller only stores the
// sums between folds. With it, folds overlap, and a fold's sums leave after the next fold's pixels
// have entered; every fold then starts from zero partial sums and the accumulator adds the fold's
// sums to the stored ones (int32, wrapping like the array's adders), as the accumulator memories of
// double-buffered arrays (Gemmini's) do.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "rtl/array_driver.h"
#include "rtl/pe_mode.h"

namespace dyadic::rtl {

// acc[m * pixels + p] += sum over k of weights[m * reduction + k] * columns[p * reduction + k]
// (int32, wrapping like the hardware), for m < channels and p < pixels. Returns the array cycles.
template <typename Model>
int64_t accumulate_gemm(ArrayDriver<Model>& array, const PeMode& mode, const int32_t* weights, int64_t channels,
                        int64_t reduction, const int32_t* columns, int64_t pixels, int32_t* acc) {
    const int rows = array.rows(), cols = array.cols(), macs = mode.macs_per_pe();
    const int64_t fold_rows = int64_t{rows} * macs;
    const int64_t channel_blocks = (channels + cols - 1) / cols, reduction_blocks = (reduction + fold_rows - 1) / fold_rows;
    const int64_t folds = channel_blocks * reduction_blocks, fold_words = int64_t{rows} * cols, pixel_words = pixels * rows;

    // PE (r, c) of fold (channel block b, reduction block j) holds reduction elements
    // j * fold_rows + r * macs ... + macs - 1 of channel b * cols + c; row r of a pixel's word the same
    // elements of its column. Every fold's weight words and every reduction block's input words are
    // packed before the step runs, as the scratchpads hold them.
    std::vector<int32_t> lane(static_cast<size_t>(macs));
    const auto pack = [&](const int32_t* source_row, int64_t k0, int r, int lane_bits) {
        for (int l = 0; l < macs; ++l) {
            const int64_t k = k0 + int64_t{r} * macs + l;
            lane[static_cast<size_t>(l)] = k < reduction ? source_row[k] : 0;
        }
        return pack_pe_word(lane.data(), macs, lane_bits);
    };
    std::vector<uint16_t> weight_words(static_cast<size_t>(folds * fold_words));
    std::vector<uint16_t> input_words(static_cast<size_t>(reduction_blocks * pixel_words));
    for (int64_t j = 0; j < reduction_blocks; ++j) {
        for (int64_t b = 0; b < channel_blocks; ++b) {
            uint16_t* words = weight_words.data() + (b * reduction_blocks + j) * fold_words;
            for (int c = 0; c < cols; ++c) {
                const int64_t m = b * cols + c;
                for (int r = 0; r < rows; ++r) {
                    words[c * rows + r] = m < channels ? pack(weights + m * reduction, j * fold_rows, r, mode.weight_lane_bits()) : 0;
                }
            }
        }
        for (int64_t p = 0; p < pixels; ++p) {
            for (int r = 0; r < rows; ++r) {
                input_words[static_cast<size_t>(j * pixel_words + p * rows + r)] =
                    pack(columns + p * reduction, j * fold_rows, r, mode.activation_lane_bits());
            }
        }
    }

    const bool chained = !array.double_buffered();  // folds pass their sums on through psum_in
    std::vector<int32_t> psum_in(static_cast<size_t>(pixels * cols), 0);
    const auto operands = [&](int64_t f) {
        const int64_t b = f / reduction_blocks, j = f % reduction_blocks;
        if (chained) {
            for (int64_t p = 0; p < pixels; ++p) {
                for (int c = 0; c < cols; ++c) {
                    const int64_t m = b * cols + c;
                    psum_in[static_cast<size_t>(p * cols + c)] = m < channels ? acc[m * pixels + p] : 0;
                }
            }
        }
        return typename ArrayDriver<Model>::FoldOperands{weight_words.data() + f * fold_words,
                                                         input_words.data() + j * pixel_words, psum_in.data()};
    };
    const auto results = [&](int64_t f, int64_t p, const int32_t* sums) {
        const int64_t b = f / reduction_blocks;
        for (int c = 0; c < cols && b * cols + c < channels; ++c) {
            int32_t& stored = acc[(b * cols + c) * pixels + p];
            stored = chained ? sums[c] : static_cast<int32_t>(static_cast<uint32_t>(stored) + static_cast<uint32_t>(sums[c]));
        }
    };
    return array.run_folds(mode, folds, pixels, operands, results);
}

}  // namespace dyadic::rtl
