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
    // Byte slots are cycles times bandwidth: checked, so that an overlong run fails the transfer
    // (reported by the DMA engine) instead of wrapping around.
    int64_t issue_slot = 0, busy_until = 0, done_cycle = 0;
    const int64_t issue_cycle = now_cycles() + to_cycles(delay);
    if (__builtin_mul_overflow(issue_cycle, bandwidth_, &issue_slot) ||
        __builtin_add_overflow(std::max(issue_slot, busy_until_byte_slots_), static_cast<int64_t>(length),
                               &busy_until) ||
        __builtin_add_overflow(busy_until / bandwidth_ + (busy_until % bandwidth_ != 0 ? 1 : 0), latency_,
                               &done_cycle)) {
        payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    busy_until_byte_slots_ = busy_until;
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
