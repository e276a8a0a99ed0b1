#pragma once
// Simulated time is counted in accelerator cycles: one cycle is one nanosecond of SystemC time
// whatever the configured clock (clock_mhz only converts cycles to milliseconds in reports).
#include <cstdint>

#include <systemc.h>

namespace dyadic::sim {

inline sc_core::sc_time cycles(int64_t n) { return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS); }

inline int64_t to_cycles(const sc_core::sc_time& t) {
    return static_cast<int64_t>(t.value() / sc_core::sc_time(1, sc_core::SC_NS).value());
}

inline int64_t now_cycles() { return to_cycles(sc_core::sc_time_stamp()); }

}  // namespace dyadic::sim
