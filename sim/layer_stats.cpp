#include "sim/layer_stats.h"

namespace dyadic::sim {

const char* mac_mode_name(MacMode mode) {
    switch (mode) {
        case MacMode::w8a8: return "w8a8";
        case MacMode::w4a8: return "w4a8";
        case MacMode::w8a4: return "w8a4";
        case MacMode::w4a4: return "w4a4";
    }
    return "?";
}

const char* memory_name(OnChipMemory memory) {
    switch (memory) {
        case OnChipMemory::input_scratchpad: return "input_scratchpad";
        case OnChipMemory::weight_scratchpad: return "weight_scratchpad";
        case OnChipMemory::accumulators: return "accumulators";
        case OnChipMemory::ppu_input: return "ppu_input";
        case OnChipMemory::ppu_params: return "ppu_params";
        case OnChipMemory::ppu_output: return "ppu_output";
    }
    return "?";
}

void accumulate(LayerStats& a, const LayerStats& b) {
    a.total_cycles += b.total_cycles;
    a.compute_cycles += b.compute_cycles;
    a.fill_drain_cycles += b.fill_drain_cycles;
    a.memory_stall_cycles += b.memory_stall_cycles;
    a.post_processing_cycles += b.post_processing_cycles;
    a.macs += b.macs;
    a.dram_read_bytes += b.dram_read_bytes;
    a.dram_write_bytes += b.dram_write_bytes;
    a.predicted_dram_bytes += b.predicted_dram_bytes;
    for (int m = 0; m < kMacModes; ++m) a.mac_ops[static_cast<size_t>(m)] += b.mac_ops[static_cast<size_t>(m)];
    for (int m = 0; m < kOnChipMemories; ++m) {
        a.memory_traffic[static_cast<size_t>(m)].read_bytes += b.memory_traffic[static_cast<size_t>(m)].read_bytes;
        a.memory_traffic[static_cast<size_t>(m)].write_bytes += b.memory_traffic[static_cast<size_t>(m)].write_bytes;
    }
    a.ppu_ops += b.ppu_ops;
    a.energy.compute_pj += b.energy.compute_pj;
    a.energy.scratchpads_pj += b.energy.scratchpads_pj;
    a.energy.dram_pj += b.energy.dram_pj;
    a.energy.ppu_pj += b.energy.ppu_pj;
    a.energy.static_pj += b.energy.static_pj;
}

}  // namespace dyadic::sim
