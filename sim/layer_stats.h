#pragma once
// What the simulator reports for one layer (docs/accelerator.md, "Reported numbers").
// total_cycles = compute + fill_drain + memory_stall + post_processing, each counted from the
// array's point of view (for layers without the array, from the post-processing unit's).
// The event counters (MACs by precision mode, bytes through every on-chip memory, DRAM bytes,
// post-processing elements, cycles) are what the energy model prices (sim/energy_model.h).
#include <array>
#include <cstdint>
#include <string>

namespace dyadic::sim {

// The array's precision modes that the energy table prices (docs/accelerator.md, "Energy"): the
// 4-bit slices of a weight and of an activation, each 1 (2..4 bits) or 2 (5..8 bits). A MAC with
// a 16-bit operand runs as several of these (one per pair of 8-bit slices).
enum class MacMode { w8a8 = 0, w4a8, w8a4, w4a4 };
inline constexpr int kMacModes = 4;
const char* mac_mode_name(MacMode mode);  // "w8a8", ...

// The on-chip memories, each counting the bytes through its ports (DMA and compute side).
enum class OnChipMemory { input_scratchpad = 0, weight_scratchpad, accumulators, ppu_input, ppu_params, ppu_output };
inline constexpr int kOnChipMemories = 6;
const char* memory_name(OnChipMemory memory);  // "input_scratchpad", ...

struct MemoryTraffic {
    int64_t read_bytes = 0;
    int64_t write_bytes = 0;
    int64_t bytes() const { return read_bytes + write_bytes; }
};

// Energy in picojoules, by where it is spent.
struct EnergyBreakdown {
    double compute_pj = 0;      // the array's MACs
    double scratchpads_pj = 0;  // bytes read and written in every on-chip memory
    double dram_pj = 0;         // DRAM bytes
    double ppu_pj = 0;          // post-processing elements
    double static_pj = 0;       // leakage over the layer's cycles
    double total_pj() const { return compute_pj + scratchpads_pj + dram_pj + ppu_pj + static_pj; }
};

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

    // Events the energy model prices.
    std::array<int64_t, kMacModes> mac_ops{};                  // array MAC operations by mode
    std::array<MemoryTraffic, kOnChipMemories> memory_traffic{};  // indexed by OnChipMemory
    int64_t ppu_ops = 0;                                       // elements the post-processing unit processed
    EnergyBreakdown energy;

    int64_t dram_bytes() const { return dram_read_bytes + dram_write_bytes; }
    MemoryTraffic& traffic(OnChipMemory memory) { return memory_traffic[static_cast<size_t>(memory)]; }
    const MemoryTraffic& traffic(OnChipMemory memory) const { return memory_traffic[static_cast<size_t>(memory)]; }
};

// Adds b's counters and energy into a (the name, op and mapping of a are kept).
void accumulate(LayerStats& a, const LayerStats& b);

}  // namespace dyadic::sim
