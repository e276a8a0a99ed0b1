#pragma once
// Drives a Verilated dyadic_pool (hdl/dyadic_pool.sv): windows go in LANES at a time, one element of
// each per cycle, and the results come back in order; the driver counts the cycles the RTL takes.
// Templated on the model class like ppu_driver.h. C++ only gathers each window's elements and picks
// its multiplier; the maximum, the sum and its rescale happen in the RTL.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "reference/dyadic.h"
#include "reference/int_type.h"
#include "rtl/clock_cycle.h"
#include "rtl/packed_port.h"
#include "util/error.h"

namespace dyadic::rtl {

// What the pooling lanes do to every window of a layer.
struct PoolSettings {
    bool max = false;                                  // max_pool2d; otherwise an average
    IntType output_type = IntType::unsigned_bits(8);  // average only: max keeps its input's values
};

// One window: values[begin, begin + count) of the tile's gathered elements, and (average) the
// multiplier for its count.
struct PoolWindowSpan {
    int64_t begin = 0;
    int64_t count = 0;
    Dyadic multiplier;
};

template <typename Model>
class PoolDriver {
public:
    explicit PoolDriver(int lanes) : lanes_(lanes), model_(std::make_unique<Model>()) {
        model_->clk = 0;
        model_->rst = 1;
        tick();
        model_->rst = 0;
    }

    int lanes() const { return lanes_; }
    Model& model() { return *model_; }
    void set_after_eval(std::function<void()> hook) { after_eval_ = std::move(hook); }

    // Runs windows[0..count) over `values`, writes their results and returns the tile's cycles, from
    // its first beat entering to its last result leaving. Throws when a window's sum leaves int32
    // (the reference defines no output then).
    int64_t run_tile(const PoolSettings& settings, const int32_t* values, const PoolWindowSpan* windows, int64_t count,
                     int32_t* results) {
        model_->max_mode = settings.max;
        model_->out_bits = static_cast<uint8_t>(settings.output_type.bits);
        model_->out_signed = settings.output_type.is_signed;
        int64_t limit = 64, feeding_group = 0, beat = 0, group_beats = 0, collected = 0, cycles = 0;
        for (int64_t begin = 0; begin < count; begin += lanes_) {
            for (int64_t i = begin; i < std::min(count, begin + lanes_); ++i) {
                require(windows[i].count >= 1, "rtl: pooling window " + std::to_string(i) + " is empty");
            }
            limit += group_length(windows, count, begin);
        }
        std::vector<int64_t> received(static_cast<size_t>(lanes_), 0);
        const int64_t groups = (count + lanes_ - 1) / lanes_;
        if (groups > 0) group_beats = group_length(windows, count, 0);
        while (collected < count) {
            uint64_t valid = 0, first = 0, last = 0;
            if (feeding_group < groups) {
                for (int l = 0; l < lanes_; ++l) {
                    const int64_t i = feeding_group * lanes_ + l;
                    if (i >= count || beat >= windows[i].count) continue;
                    const PoolWindowSpan& w = windows[i];
                    valid |= uint64_t{1} << l;
                    if (beat == 0) first |= uint64_t{1} << l;
                    if (beat == w.count - 1) last |= uint64_t{1} << l;
                    put_bits(model_->value, l * 32, 32, static_cast<uint32_t>(values[w.begin + beat]));
                    put_bits(model_->mantissa, l * 32, 32, static_cast<uint32_t>(w.multiplier.mantissa));
                    put_bits(model_->shift, l * 8, 8, static_cast<uint32_t>(w.multiplier.shift));
                }
                if (++beat == group_beats) {
                    beat = 0;
                    if (++feeding_group < groups) group_beats = group_length(windows, count, feeding_group * lanes_);
                }
            }
            put_bits(model_->in_valid, 0, lanes_, valid);
            put_bits(model_->first, 0, lanes_, first);
            put_bits(model_->last, 0, lanes_, last);
            tick();
            ++cycles;
            const uint64_t out_valid = get_bits(model_->out_valid, 0, lanes_);
            const uint64_t overflow = get_bits(model_->overflow, 0, lanes_);
            for (int l = 0; l < lanes_; ++l) {
                if (((out_valid >> l) & 1) == 0) continue;
                const int64_t i = received[static_cast<size_t>(l)]++ * lanes_ + l;
                require(i < count, "rtl: the pooling unit returned an unexpected result on lane " + std::to_string(l));
                require(((overflow >> l) & 1) == 0,
                        "rtl: pooling window " + std::to_string(i) + ": the window sum leaves int32");
                results[i] = static_cast<int32_t>(static_cast<uint32_t>(get_bits(model_->result, l * 32, 32)));
                ++collected;
            }
            require(cycles <= limit, "rtl: the pooling unit returned " + std::to_string(collected) + " of " +
                                         std::to_string(count) + " windows in " + std::to_string(cycles) + " cycles");
        }
        put_bits(model_->in_valid, 0, lanes_, 0);
        return cycles;
    }

private:
    // Beats of the group of windows from `begin`: its largest window.
    int64_t group_length(const PoolWindowSpan* windows, int64_t count, int64_t begin) const {
        int64_t beats = 0;
        for (int64_t i = begin; i < std::min(count, begin + lanes_); ++i) beats = std::max(beats, windows[i].count);
        return beats;
    }

    void tick() {
        clock_cycle(*model_, after_eval_);
    }

    int lanes_;
    std::unique_ptr<Model> model_;
    std::function<void()> after_eval_;
};

}  // namespace dyadic::rtl
