#include "sim/dma_engine.h"

#include <algorithm>
#include <string>


namespace dyadic::sim {

DmaEngine::DmaEngine(sc_core::sc_module_name name)
    : sc_core::sc_module(name),
      dram_socket("dram_socket"),
      input_scratchpad_socket("input_scratchpad_socket"),
      weight_scratchpad_socket("weight_scratchpad_socket"),
      ppu_input_socket("ppu_input_socket"),
      ppu_params_socket("ppu_params_socket"),
      ppu_output_socket("ppu_output_socket") {
    SC_THREAD(weight_load_thread);
    SC_THREAD(input_load_thread);
    SC_THREAD(ppu_load_thread);
    SC_THREAD(store_thread);
}

tlm_utils::simple_initiator_socket<DmaEngine>& DmaEngine::socket_for(DmaTarget target) {
    switch (target) {
        case DmaTarget::input_scratchpad: return input_scratchpad_socket;
        case DmaTarget::weight_scratchpad: return weight_scratchpad_socket;
        case DmaTarget::ppu_input: return ppu_input_socket;
        case DmaTarget::ppu_params: return ppu_params_socket;
        case DmaTarget::ppu_output: return ppu_output_socket;
    }
    return input_scratchpad_socket;
}

sc_core::sc_time DmaEngine::transfer(tlm_utils::simple_initiator_socket<DmaEngine>& socket, tlm::tlm_command command,
                                     uint64_t address, uint8_t* data, int64_t bytes) {
    tlm::tlm_generic_payload payload;
    payload.set_command(command);
    payload.set_address(address);
    payload.set_data_ptr(data);
    payload.set_data_length(static_cast<unsigned int>(bytes));
    payload.set_streaming_width(static_cast<unsigned int>(bytes));
    payload.set_byte_enable_ptr(nullptr);
    payload.set_dmi_allowed(false);
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload, delay);
    if (!payload.is_response_ok()) {
        context_->report(std::string("sim: DMA ") + (command == tlm::TLM_READ_COMMAND ? "read" : "write") + " of " +
                         std::to_string(bytes) + " bytes at address " + std::to_string(address) + " failed in " +
                         socket.name());
    }
    return delay;
}

void DmaEngine::load(const DmaCommand& command) {
    Scratchpad& memory = *memories_[static_cast<size_t>(command.target)];
    memory.state.wait_empty(command.bank);
    auto& on_chip = socket_for(command.target);
    const uint64_t bank_base = static_cast<uint64_t>(command.bank) * static_cast<uint64_t>(memory.bank_bytes());
    sc_core::sc_time last = sc_core::SC_ZERO_TIME;
    for (const Burst& burst : command.layout->bursts) {
        if (staging_.size() < static_cast<size_t>(burst.bytes)) staging_.resize(static_cast<size_t>(burst.bytes));
        // All bursts of a tile are issued at once; the DRAM channel orders them.
        last = std::max(last, transfer(dram_socket, tlm::TLM_READ_COMMAND, static_cast<uint64_t>(burst.dram_byte),
                                       staging_.data(), burst.bytes));
        transfer(on_chip, tlm::TLM_WRITE_COMMAND, bank_base + static_cast<uint64_t>(burst.local_byte), staging_.data(),
                 burst.bytes);
    }
    sc_core::wait(last);
    memory.state.fill(command.bank);
}

void DmaEngine::store(const DmaCommand& command) {
    Scratchpad& memory = *memories_[static_cast<size_t>(command.target)];
    memory.state.wait_full(command.bank);
    auto& on_chip = socket_for(command.target);
    const uint64_t bank_base = static_cast<uint64_t>(command.bank) * static_cast<uint64_t>(memory.bank_bytes());
    sc_core::sc_time last = sc_core::SC_ZERO_TIME;
    for (const Burst& burst : command.layout->bursts) {
        if (staging_.size() < static_cast<size_t>(burst.bytes)) staging_.resize(static_cast<size_t>(burst.bytes));
        transfer(on_chip, tlm::TLM_READ_COMMAND, bank_base + static_cast<uint64_t>(burst.local_byte), staging_.data(),
                 burst.bytes);
        last = std::max(last, transfer(dram_socket, tlm::TLM_WRITE_COMMAND, static_cast<uint64_t>(burst.dram_byte),
                                       staging_.data(), burst.bytes));
    }
    sc_core::wait(last);
    memory.state.drain(command.bank);
    ++stores_done;
    store_done.notify(sc_core::SC_ZERO_TIME);
}

void DmaEngine::weight_load_thread() {
    for (;;) load(weight_loads.pop());
}

void DmaEngine::input_load_thread() {
    for (;;) load(input_loads.pop());
}

void DmaEngine::ppu_load_thread() {
    for (;;) load(ppu_loads.pop());
}

void DmaEngine::store_thread() {
    for (;;) store(stores.pop());
}

}  // namespace dyadic::sim
