#pragma once
// Drives a Verilated dyadic_systolic_array (hdl/dyadic_systolic_array.sv) one fold at a time, cycle
// by cycle, and counts the cycles the RTL takes. The model class is a template parameter so that the
// unit tests can drive a small array and the backend the configured one with the same code.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "rtl/clock_cycle.h"
#include "rtl/packed_port.h"
#include "rtl/pe_mode.h"
#include "util/error.h"

namespace dyadic::rtl {

template <typename Model>
class ArrayDriver {
public:
    // rows x cols: the sizes the model was verilated with.
    ArrayDriver(int rows, int cols) : rows_(rows), cols_(cols), model_(std::make_unique<Model>()) {
        model_->clk = 0;
        model_->rst = 1;
        tick();
        model_->rst = 0;
    }

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    Model& model() { return *model_; }
    // Called after every evaluation of the model (twice a cycle), e.g. to dump a waveform; empty: none.
    void set_after_eval(std::function<void()> hook) { after_eval_ = std::move(hook); }
    // Rising clock edges since construction (reset excluded).
    int64_t cycles() const { return cycles_; }

    // One fold: weights[c * rows + r] is the word PE (r, c) holds; inputs[t * rows + r] is pixel t's
    // word for row r; psum_in[t * cols + c] its partial sum so far. Writes psum_out[t * cols + c] and
    // returns the fold's cycles, from the first weight shift to the last result leaving the array.
    int64_t run_fold(const PeMode& mode, const uint16_t* weights, const uint16_t* inputs, const int32_t* psum_in,
                     int64_t pixels, int32_t* psum_out) {
        const int64_t start = cycles_;
        model_->w_wide = mode.weights_wide;
        model_->a_wide = mode.activations_wide;
        model_->a_signed = mode.activations_signed;
        model_->a_valid = 0;
        // Weight load: the word of the bottom row goes in first.
        model_->w_shift = 1;
        for (int i = 0; i < rows_; ++i) {
            for (int c = 0; c < cols_; ++c) {
                put_bits(model_->w_in, c * kPeWordBits, kPeWordBits, weights[c * rows_ + (rows_ - 1 - i)]);
            }
            tick();
        }
        model_->w_shift = 0;
        // Streaming: one pixel in per cycle; results leave in pixel order.
        const int64_t limit = cycles_ + pixels + 2 * (rows_ + cols_) + 16;
        int64_t fed = 0, collected = 0;
        while (collected < pixels) {
            if (fed < pixels) {
                model_->a_valid = 1;
                for (int r = 0; r < rows_; ++r) put_bits(model_->a_in, r * kPeWordBits, kPeWordBits, inputs[fed * rows_ + r]);
                for (int c = 0; c < cols_; ++c) {
                    put_bits(model_->psum_in, c * 32, 32, static_cast<uint32_t>(psum_in[fed * cols_ + c]));
                }
                ++fed;
            } else {
                model_->a_valid = 0;
            }
            tick();
            if (model_->out_valid) {
                for (int c = 0; c < cols_; ++c) {
                    psum_out[collected * cols_ + c] = static_cast<int32_t>(static_cast<uint32_t>(get_bits(model_->psum_out, c * 32, 32)));
                }
                ++collected;
            }
            require(cycles_ <= limit, "rtl: the systolic array produced " + std::to_string(collected) + " of " +
                                          std::to_string(pixels) + " results in " + std::to_string(cycles_ - start) +
                                          " cycles");
        }
        model_->a_valid = 0;
        return cycles_ - start;
    }

private:
    void tick() {
        clock_cycle(*model_, after_eval_);
        if (!model_->rst) ++cycles_;
    }

    int rows_, cols_;
    std::unique_ptr<Model> model_;
    std::function<void()> after_eval_;
    int64_t cycles_ = 0;
};

}  // namespace dyadic::rtl
