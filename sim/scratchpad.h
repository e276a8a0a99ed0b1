#pragma once
// An on-chip double-buffered SRAM (docs/accelerator.md, "Scratchpads"): the input and weight
// scratchpads, and the post-processing unit's input, output and parameter buffers. The DMA engine
// writes (or reads) a bank through the TLM-2.0 socket at address bank * bank_bytes + offset; the
// compute block reads its bank directly, as a wide on-chip port, timed by the compute block.
#include <array>
#include <cstdint>
#include <vector>

#include <systemc.h>
#include <tlm.h>
#include <tlm_utils/simple_target_socket.h>

#include "sim/layer_stats.h"
#include "sim/sync.h"

namespace dyadic::sim {

class Scratchpad : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Scratchpad> socket;
    DoubleBuffer state;

    explicit Scratchpad(sc_core::sc_module_name name);

    void configure(int64_t bank_bytes, bool functional);
    int64_t bank_bytes() const { return bank_bytes_; }
    uint8_t* bank(int index) { return banks_[static_cast<size_t>(index)].data(); }
    const uint8_t* bank(int index) const { return banks_[static_cast<size_t>(index)].data(); }

    // Bytes through both ports since configure(): the socket counts itself; the compute block
    // reports what it reads or writes through the wide port (it is timed by the compute block too).
    const MemoryTraffic& traffic() const { return traffic_; }
    void count_port_read(int64_t bytes) { traffic_.read_bytes += bytes; }
    void count_port_write(int64_t bytes) { traffic_.write_bytes += bytes; }

private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

    int64_t bank_bytes_ = 0;
    bool functional_ = true;
    MemoryTraffic traffic_;
    std::array<std::vector<uint8_t>, 2> banks_;
};

}  // namespace dyadic::sim
