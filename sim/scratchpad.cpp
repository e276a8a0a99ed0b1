#include "sim/scratchpad.h"

#include <cstring>

namespace dyadic::sim {

Scratchpad::Scratchpad(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {
    socket.register_b_transport(this, &Scratchpad::b_transport);
}

void Scratchpad::configure(int64_t bank_bytes, bool functional) {
    bank_bytes_ = bank_bytes;
    functional_ = functional;
    // Contents need no clearing: every byte is written by the DMA before it is read.
    for (auto& bank : banks_) bank.resize(functional ? static_cast<size_t>(bank_bytes) : 0);
    state.reset();
    traffic_ = MemoryTraffic{};
}

void Scratchpad::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& /*delay*/) {
    // The SRAM port keeps up with the DMA engine: no delay of its own.
    const int64_t address = static_cast<int64_t>(payload.get_address());
    const int64_t length = static_cast<int64_t>(payload.get_data_length());
    const int64_t bank = address / bank_bytes_;
    const int64_t offset = address % bank_bytes_;
    if (bank > 1 || offset + length > bank_bytes_) {
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    (payload.is_write() ? traffic_.write_bytes : traffic_.read_bytes) += length;
    if (functional_) {
        uint8_t* data = &banks_[static_cast<size_t>(bank)][static_cast<size_t>(offset)];
        if (payload.is_write()) {
            std::memcpy(data, payload.get_data_ptr(), static_cast<size_t>(length));
        } else {
            std::memcpy(payload.get_data_ptr(), data, static_cast<size_t>(length));
        }
    }
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace dyadic::sim
