#pragma once
// The DMA engine (docs/accelerator.md, "DRAM and DMA"): moves tiles between DRAM and the on-chip
// memories through TLM-2.0 sockets. Four channels run concurrently and share the DRAM bandwidth:
//   weight loads   DRAM -> weight scratchpad (in schedule order),
//   input loads    DRAM -> input scratchpad (in schedule order),
//   ppu loads      DRAM -> post-processing input buffer / parameter memory,
//   stores         post-processing output buffer -> DRAM.
// A load waits for its bank to be empty and marks it full; a store waits for its bank to be full
// and marks it empty, so double buffering follows from the banks' state alone.
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc.h>
#include <tlm.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/run_context.h"
#include "sim/scratchpad.h"
#include "sim/sync.h"
#include "sim/tile_layout.h"

namespace dyadic::sim {

enum class DmaTarget { input_scratchpad = 0, weight_scratchpad, ppu_input, ppu_params, ppu_output };
inline constexpr int kDmaTargets = 5;

struct DmaCommand {
    DmaTarget target = DmaTarget::input_scratchpad;
    int bank = 0;
    std::shared_ptr<const TileLayout> layout;
};

class DmaEngine : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DmaEngine> dram_socket;
    // One socket per on-chip memory, indexed by DmaTarget.
    tlm_utils::simple_initiator_socket<DmaEngine> input_scratchpad_socket;
    tlm_utils::simple_initiator_socket<DmaEngine> weight_scratchpad_socket;
    tlm_utils::simple_initiator_socket<DmaEngine> ppu_input_socket;
    tlm_utils::simple_initiator_socket<DmaEngine> ppu_params_socket;
    tlm_utils::simple_initiator_socket<DmaEngine> ppu_output_socket;

    CommandQueue<DmaCommand> weight_loads;
    CommandQueue<DmaCommand> input_loads;
    CommandQueue<DmaCommand> ppu_loads;
    CommandQueue<DmaCommand> stores;

    sc_core::sc_event store_done;  // notified after every finished store
    int64_t stores_done = 0;

    SC_HAS_PROCESS(DmaEngine);
    explicit DmaEngine(sc_core::sc_module_name name);

    // The memories behind the sockets, for their bank state (a side band, not data).
    void attach(DmaTarget target, Scratchpad* memory) { memories_[static_cast<size_t>(target)] = memory; }
    void set_context(RunContext* context) { context_ = context; }

private:
    void weight_load_thread();
    void input_load_thread();
    void ppu_load_thread();
    void store_thread();
    void load(const DmaCommand& command);
    void store(const DmaCommand& command);
    tlm_utils::simple_initiator_socket<DmaEngine>& socket_for(DmaTarget target);
    // One TLM transaction; returns its annotated completion delay. Reports a failed transaction.
    sc_core::sc_time transfer(tlm_utils::simple_initiator_socket<DmaEngine>& socket, tlm::tlm_command command,
                              uint64_t address, uint8_t* data, int64_t bytes);

    std::array<Scratchpad*, kDmaTargets> memories_{};
    std::vector<uint8_t> staging_;
    RunContext* context_ = nullptr;
};

}  // namespace dyadic::sim
