#include "sim/dram.h"

#include <algorithm>
#include <cstring>

#include "sim/clock.h"

namespace dyadic::sim {

Dram::Dram(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {
    socket.register_b_transport(this, &Dram::b_transport);
}

void Dram::configure(int64_t bandwidth_bytes_per_cycle, int64_t latency_cycles, bool functional) {
    bandwidth_ = bandwidth_bytes_per_cycle;
    latency_ = latency_cycles;
    functional_ = functional;
    busy_until_byte_slots_ = 0;
}

void Dram::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const uint64_t address = payload.get_address();
    const uint64_t length = payload.get_data_length();
    if (functional_ && (address > memory_.size() || length > memory_.size() - address)) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const int64_t issue_cycle = now_cycles() + to_cycles(delay);
    const int64_t start = std::max(issue_cycle * bandwidth_, busy_until_byte_slots_);
    busy_until_byte_slots_ = start + static_cast<int64_t>(length);
    const int64_t done_cycle = (busy_until_byte_slots_ + bandwidth_ - 1) / bandwidth_ + latency_;
    delay = cycles(done_cycle - now_cycles());

    if (payload.is_read()) {
        if (functional_) std::memcpy(payload.get_data_ptr(), &memory_[address], length);
        read_bytes_ += static_cast<int64_t>(length);
    } else {
        if (functional_) std::memcpy(&memory_[address], payload.get_data_ptr(), length);
        write_bytes_ += static_cast<int64_t>(length);
    }
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace dyadic::sim
