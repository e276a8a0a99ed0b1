#pragma once
// What the simulator reports for one layer (docs/accelerator.md, "Reported numbers").
// total_cycles = compute + fill_drain + memory_stall + post_processing, each counted from the
// array's point of view (for layers without the array, from the post-processing unit's).
#include <cstdint>
#include <string>

namespace dyadic::sim {

struct LayerStats {
    std::string name;
    std::string op;        // "conv2d", "fully_connected", "max_pool2d", ...
    std::string precision; // "w8a8", "w4a8", ... ("a8" for layers without weights)
    int64_t total_cycles = 0;
    int64_t compute_cycles = 0;          // array streaming cycles
    int64_t fill_drain_cycles = 0;       // systolic fill and drain, weights loaded into the PEs
    int64_t memory_stall_cycles = 0;     // waiting for operand tiles from DRAM
    int64_t post_processing_cycles = 0;  // waiting for, or after the array, the post-processing unit and write-back
    int64_t macs = 0;
    int64_t peak_macs_per_cycle = 0;     // rows * cols * MACs per PE / passes at this precision
    double utilisation = 0;              // macs / (peak_macs_per_cycle * total_cycles)
    int64_t dram_read_bytes = 0;
    int64_t dram_write_bytes = 0;
    std::string mapping;                 // the mapper's choice, for the record
    int64_t predicted_dram_bytes = 0;    // the mapper's traffic prediction

    int64_t dram_bytes() const { return dram_read_bytes + dram_write_bytes; }
};

// Adds b's counters into a (the name, op and mapping of a are kept).
void accumulate(LayerStats& a, const LayerStats& b);

}  // namespace dyadic::sim
