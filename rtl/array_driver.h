#pragma once
// Drives a Verilated dyadic_systolic_array (hdl/dyadic_systolic_array.sv) cycle by cycle, a step of
// folds at a time, and counts the cycles the RTL takes. The model class is a template parameter so that the
// unit tests can drive a small array and the backend the configured one with the same code.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rtl/clock_cycle.h"
#include "rtl/packed_port.h"
#include "rtl/pe_mode.h"
#include "util/error.h"

namespace dyadic::rtl {

template <typename Model>
class ArrayDriver {
public:
    // rows x cols and weight double buffering: what the model was verilated with.
    ArrayDriver(int rows, int cols, bool double_buffered)
        : rows_(rows), cols_(cols), double_buffered_(double_buffered), model_(std::make_unique<Model>()) {
        model_->clk = 0;
        model_->rst = 1;
        tick();
        model_->rst = 0;
    }

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    bool double_buffered() const { return double_buffered_; }
    Model& model() { return *model_; }
    // Called after every evaluation of the model (twice a cycle), e.g. to dump a waveform; empty: none.
    void set_after_eval(std::function<void()> hook) { after_eval_ = std::move(hook); }
    // Rising clock edges since construction (reset excluded).
    int64_t cycles() const { return cycles_; }

    // The operands of one fold: weights[c * rows + r] is the word PE (r, c) holds; inputs[t * rows + r]
    // is pixel t's word for row r; psum_in[t * cols + c] its partial sum so far.
    struct FoldOperands {
        const uint16_t* weights = nullptr;
        const uint16_t* inputs = nullptr;
        const int32_t* psum_in = nullptr;
    };

    // `folds` folds of `pixels` pixels each, back to back, as one schedule step (sim/fold_cycles.h).
    // operands(f) gives fold f's operands when its weights start to load; its pointers must stay
    // valid until its last pixel has entered, which is before operands(f + 2) is called. results(f,
    // t, sums) takes pixel t's `cols` sums of fold f as they leave, in fold and pixel order. Returns
    // the cycles from the first weight shift to the last result.
    //
    // Without double buffering each fold loads its weights (R cycles), streams and drains before the
    // next one starts: 2R + C - 2 + T cycles a fold, and a fold may take its partial sums from the
    // previous fold's results. With it, fold f + 1's weights load into the shadow registers while fold
    // f's first R cycles stream, and fold f + 1's first pixel follows fold f's max(T, R) cycles after
    // fold f's: (2R + C - 2 + T) + (folds - 1) max(T, R). A fold's results then leave after the next
    // fold's pixels have entered, so its partial sums cannot feed the next fold's psum_in.
    template <typename Operands, typename Results>
    int64_t run_folds(const PeMode& mode, int64_t folds, int64_t pixels, Operands&& operands, Results&& results) {
        if (folds <= 0 || pixels <= 0) return 0;
        const int64_t start = cycles_, rows = rows_;
        // Cycles from the start of the step to fold f's first weight shift and to its first pixel.
        const int64_t period = double_buffered_ ? std::max(pixels, rows) : 2 * rows + cols_ - 2 + pixels;
        const auto first_pixel = [&](int64_t f) { return double_buffered_ ? rows + f * period : f * period + rows; };
        const auto first_shift = [&](int64_t f) {
            return double_buffered_ ? (f == 0 ? 0 : first_pixel(f - 1)) : f * period;
        };
        const int64_t limit = start + first_pixel(folds - 1) + pixels + 2 * (rows_ + cols_) + 16;
        model_->w_wide = mode.weights_wide;
        model_->a_wide = mode.activations_wide;
        model_->a_signed = mode.activations_signed;

        FoldOperands fold_operands[2];  // fold f's in slot f % 2: at most two folds are in flight
        int64_t load_fold = 0, load_word = 0, feed_fold = 0, feed_pixel = 0, collected = 0;
        std::vector<int32_t> sums(static_cast<size_t>(cols_));
        for (int64_t cycle = 0; collected < folds * pixels; ++cycle) {
            // Weight load: word i of a load is the word of row R - 1 - i, so the bottom row's goes first.
            model_->w_shift = load_fold < folds && cycle >= first_shift(load_fold);
            if (model_->w_shift) {
                FoldOperands& fold = fold_operands[load_fold % 2];
                if (load_word == 0) fold = operands(load_fold);
                for (int c = 0; c < cols_; ++c) {
                    put_bits(model_->w_in, c * kPeWordBits, kPeWordBits, fold.weights[c * rows_ + (rows_ - 1 - load_word)]);
                }
                if (++load_word == rows_) {
                    load_word = 0;
                    ++load_fold;
                }
            }
            // Streaming: one pixel in per cycle; a_first marks each fold's first.
            model_->a_valid = feed_fold < folds && cycle >= first_pixel(feed_fold);
            model_->a_first = model_->a_valid && feed_pixel == 0;
            if (model_->a_valid) {
                const FoldOperands& fold = fold_operands[feed_fold % 2];
                for (int r = 0; r < rows_; ++r) put_bits(model_->a_in, r * kPeWordBits, kPeWordBits, fold.inputs[feed_pixel * rows_ + r]);
                for (int c = 0; c < cols_; ++c) {
                    put_bits(model_->psum_in, c * 32, 32, static_cast<uint32_t>(fold.psum_in[feed_pixel * cols_ + c]));
                }
                if (++feed_pixel == pixels) {
                    feed_pixel = 0;
                    ++feed_fold;
                }
            }
            tick();
            // Results leave in the order their pixels entered.
            if (model_->out_valid) {
                for (int c = 0; c < cols_; ++c) {
                    sums[static_cast<size_t>(c)] = static_cast<int32_t>(static_cast<uint32_t>(get_bits(model_->psum_out, c * 32, 32)));
                }
                results(collected / pixels, collected % pixels, sums.data());
                ++collected;
            }
            require(cycles_ <= limit, "rtl: the systolic array produced " + std::to_string(collected) + " of " +
                                          std::to_string(folds * pixels) + " results in " + std::to_string(cycles_ - start) +
                                          " cycles");
        }
        model_->w_shift = 0;
        model_->a_valid = 0;
        model_->a_first = 0;
        return cycles_ - start;
    }

private:
    void tick() {
        clock_cycle(*model_, after_eval_);
        if (!model_->rst) ++cycles_;
    }

    int rows_, cols_;
    bool double_buffered_;
    std::unique_ptr<Model> model_;
    std::function<void()> after_eval_;
    int64_t cycles_ = 0;
};

}  // namespace dyadic::rtl
