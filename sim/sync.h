#pragma once
// Hand-shakes between the SystemC blocks: an unbounded command queue and the full/empty state of
// a double-buffered memory. Both wake waiters with one delta-cycle event, so a layer costs a few
// events per tile, not per element.
#include <array>
#include <deque>
#include <utility>

#include <systemc.h>

namespace dyadic::sim {

template <typename T>
class CommandQueue {
public:
    void push(T value) {
        items_.push_back(std::move(value));
        pushed_.notify(sc_core::SC_ZERO_TIME);
    }
    // Blocks the calling thread until a command is there.
    T pop() {
        while (items_.empty()) sc_core::wait(pushed_);
        T value = std::move(items_.front());
        items_.pop_front();
        return value;
    }
    void clear() { items_.clear(); }

private:
    std::deque<T> items_;
    sc_core::sc_event pushed_;
};

// Two banks, each empty (free to load) or full (holding a tile for its consumer).
class DoubleBuffer {
public:
    void wait_full(int bank) {
        while (!full_[static_cast<size_t>(bank)]) sc_core::wait(changed_);
    }
    void wait_empty(int bank) {
        while (full_[static_cast<size_t>(bank)]) sc_core::wait(changed_);
    }
    void fill(int bank) { set(bank, true); }
    void drain(int bank) { set(bank, false); }
    void reset() { full_ = {false, false}; }

private:
    void set(int bank, bool full) {
        full_[static_cast<size_t>(bank)] = full;
        changed_.notify(sc_core::SC_ZERO_TIME);
    }
    std::array<bool, 2> full_{false, false};
    sc_core::sc_event changed_;
};

}  // namespace dyadic::sim
