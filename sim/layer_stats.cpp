#include "sim/layer_stats.h"

namespace dyadic::sim {

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
}

}  // namespace dyadic::sim
