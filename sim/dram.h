#pragma once
// Off-chip DRAM (docs/accelerator.md, "DRAM and DMA"): a TLM-2.0 target whose transfers share one
// channel of `bandwidth` bytes per cycle and complete `latency` cycles after their last byte
// moves. b_transport annotates the completion time on the delay (loosely timed); the initiator
// issues the bursts of a tile back to back and waits once for the last.
#include <cstdint>
#include <vector>

#include <systemc.h>
#include <tlm.h>
#include <tlm_utils/simple_target_socket.h>

namespace dyadic::sim {

class Dram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Dram> socket;

    explicit Dram(sc_core::sc_module_name name);

    void configure(int64_t bandwidth_bytes_per_cycle, int64_t latency_cycles, bool functional);
    std::vector<uint8_t>& memory() { return memory_; }
    int64_t read_bytes() const { return read_bytes_; }
    int64_t write_bytes() const { return write_bytes_; }
    void reset_counters() { read_bytes_ = write_bytes_ = 0; }

private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

    std::vector<uint8_t> memory_;
    int64_t bandwidth_ = 1;
    int64_t latency_ = 0;
    bool functional_ = true;
    // The channel is busy until this time, counted in units of 1/bandwidth cycle (one byte), so
    // that bursts of any size share the bandwidth without rounding each one to whole cycles.
    int64_t busy_until_byte_slots_ = 0;
    int64_t read_bytes_ = 0, write_bytes_ = 0;
};

}  // namespace dyadic::sim
