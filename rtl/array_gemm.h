#pragma once
// A GEMM on the systolic array, fold by fold (docs/accelerator.md, "Cycle model"): the output
// channels are cut into blocks of C columns and the reduction into blocks of R x macs_per_pe rows;
// each fold's partial sums enter the array as psum_in and leave with the fold's products added, so
// the array itself does every addition and the caller only stores the sums between folds.
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
    std::vector<uint16_t> weight_words(static_cast<size_t>(rows * cols)), input_words(static_cast<size_t>(pixels * rows));
    std::vector<int32_t> psum_in(static_cast<size_t>(pixels * cols)), psum_out(psum_in.size());
    std::vector<int32_t> lane(static_cast<size_t>(macs));
    int64_t cycles = 0;
    for (int64_t m0 = 0; m0 < channels; m0 += cols) {
        const int64_t m_count = std::min<int64_t>(cols, channels - m0);
        for (int64_t k0 = 0; k0 < reduction; k0 += fold_rows) {
            // PE (r, c) holds reduction elements k0 + r * macs ... + macs - 1 of channel m0 + c.
            const auto pack = [&](const int32_t* source_row, int r, int lane_bits) {
                for (int l = 0; l < macs; ++l) {
                    const int64_t k = k0 + int64_t{r} * macs + l;
                    lane[static_cast<size_t>(l)] = k < reduction ? source_row[k] : 0;
                }
                return pack_pe_word(lane.data(), macs, lane_bits);
            };
            for (int c = 0; c < cols; ++c) {
                for (int r = 0; r < rows; ++r) {
                    weight_words[static_cast<size_t>(c * rows + r)] =
                        c < m_count ? pack(weights + (m0 + c) * reduction, r, mode.weight_lane_bits()) : 0;
                }
            }
            for (int64_t p = 0; p < pixels; ++p) {
                for (int r = 0; r < rows; ++r) {
                    input_words[static_cast<size_t>(p * rows + r)] = pack(columns + p * reduction, r, mode.activation_lane_bits());
                }
                for (int c = 0; c < cols; ++c) {
                    psum_in[static_cast<size_t>(p * cols + c)] = c < m_count ? acc[(m0 + c) * pixels + p] : 0;
                }
            }
            cycles += array.run_fold(mode, weight_words.data(), input_words.data(), psum_in.data(), pixels, psum_out.data());
            for (int64_t p = 0; p < pixels; ++p) {
                for (int64_t c = 0; c < m_count; ++c) acc[(m0 + c) * pixels + p] = psum_out[static_cast<size_t>(p * cols + c)];
            }
        }
    }
    return cycles;
}

}  // namespace dyadic::rtl
