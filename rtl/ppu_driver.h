#pragma once
// Drives a Verilated dyadic_ppu (hdl/dyadic_ppu.sv): a tile of elements goes in LANES per cycle and
// the results come back in order; the driver counts the cycles the RTL takes. Templated on the model
// class like array_driver.h.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "reference/dyadic.h"
#include "reference/int_type.h"
#include "rtl/clock_cycle.h"
#include "rtl/packed_port.h"
#include "util/error.h"

namespace dyadic::rtl {

// What the PPU does to every element of a layer (hdl/dyadic_ppu_lane.sv).
struct PpuSettings {
    bool residual = false;           // add dyadic_scale(identity, identity_multiplier)
    Dyadic identity_multiplier;
    IntType output_type = IntType::signed_bits(8);
    bool relu = false;
};

// One element: its accumulator and its channel's parameters.
struct PpuElement {
    int32_t acc = 0;
    int32_t bias = 0;
    Dyadic multiplier;
    int32_t identity = 0;  // fused residual only: an int16 or uint16 value
};

template <typename Model>
class PpuDriver {
public:
    explicit PpuDriver(int lanes) : lanes_(lanes), model_(std::make_unique<Model>()) {
        model_->clk = 0;
        model_->rst = 1;
        tick();
        model_->rst = 0;
    }

    int lanes() const { return lanes_; }
    Model& model() { return *model_; }
    // Called after every evaluation of the model (twice a cycle), e.g. to dump a waveform; empty: none.
    void set_after_eval(std::function<void()> hook) { after_eval_ = std::move(hook); }

    // Runs elements[0..count) through the PPU, writes their results and returns the tile's cycles,
    // from its first beat entering to its last result leaving.
    int64_t run_tile(const PpuSettings& settings, const PpuElement* elements, int64_t count, int32_t* results) {
        model_->residual = settings.residual;
        model_->id_mantissa = static_cast<uint32_t>(settings.identity_multiplier.mantissa);
        model_->id_shift = static_cast<uint8_t>(settings.identity_multiplier.shift);
        model_->out_bits = static_cast<uint8_t>(settings.output_type.bits);
        model_->out_signed = settings.output_type.is_signed;
        model_->relu = settings.relu;
        const int64_t beats = (count + lanes_ - 1) / lanes_;
        const int64_t limit = beats + 64;
        int64_t cycles = 0, fed = 0, collected = 0;
        while (collected < beats) {
            uint64_t valid = 0;
            if (fed < beats) {
                for (int l = 0; l < lanes_; ++l) {
                    const int64_t i = fed * lanes_ + l;
                    if (i >= count) continue;
                    const PpuElement& e = elements[i];
                    valid |= uint64_t{1} << l;
                    put_bits(model_->acc, l * 32, 32, static_cast<uint32_t>(e.acc));
                    put_bits(model_->bias, l * 32, 32, static_cast<uint32_t>(e.bias));
                    put_bits(model_->mantissa, l * 32, 32, static_cast<uint32_t>(e.multiplier.mantissa));
                    put_bits(model_->shift, l * 8, 8, static_cast<uint32_t>(e.multiplier.shift));
                    put_bits(model_->identity, l * 17, 17, static_cast<uint32_t>(e.identity));
                }
                ++fed;
            }
            put_bits(model_->in_valid, 0, lanes_, valid);
            tick();
            ++cycles;
            const uint64_t out_valid = get_bits(model_->out_valid, 0, lanes_);
            if (out_valid != 0) {
                for (int l = 0; l < lanes_; ++l) {
                    const int64_t i = collected * lanes_ + l;
                    if (i < count && ((out_valid >> l) & 1)) {
                        results[i] = static_cast<int32_t>(static_cast<uint32_t>(get_bits(model_->result, l * 32, 32)));
                    }
                }
                ++collected;
            }
            require(cycles <= limit, "rtl: the post-processing unit returned " + std::to_string(collected) + " of " +
                                         std::to_string(beats) + " beats in " + std::to_string(cycles) + " cycles");
        }
        put_bits(model_->in_valid, 0, lanes_, 0);
        return cycles;
    }

private:
    void tick() {
        clock_cycle(*model_, after_eval_);
    }

    int lanes_;
    std::unique_ptr<Model> model_;
    std::function<void()> after_eval_;
};

}  // namespace dyadic::rtl
