#include "sim/energy_model.h"

#include <algorithm>
#include <cmath>

#include "sim/area_model.h"
#include "sim/mapper.h"  // kParamBytesPerChannel

namespace dyadic::sim {
namespace {

constexpr double kPicojoulesPerFemtojoule = 1e-3;

}  // namespace

void count_mac_ops(std::array<int64_t, kMacModes>& ops, const PrecisionMode& mode, int64_t macs) {
    const int weight = std::min(mode.weight_slices, 2), activation = std::min(mode.activation_slices, 2);
    const int64_t parts = int64_t{mode.weight_slices / weight} * (mode.activation_slices / activation);
    const MacMode priced = weight == 2 ? (activation == 2 ? MacMode::w8a8 : MacMode::w8a4)
                                       : (activation == 2 ? MacMode::w4a8 : MacMode::w4a4);
    ops[static_cast<size_t>(priced)] += macs * parts;
}

int64_t mac_energy_fj(const AccelConfig& config, MacMode mode) {
    switch (mode) {
        case MacMode::w8a8: return config.energy_mac_w8a8_fj;
        case MacMode::w4a8: return config.energy_mac_w4a8_fj;
        case MacMode::w8a4: return config.energy_mac_w8a4_fj;
        case MacMode::w4a4: return config.energy_mac_w4a4_fj;
    }
    return 0;
}

int64_t memory_bank_bytes(const AccelConfig& config, OnChipMemory memory) {
    switch (memory) {
        case OnChipMemory::input_scratchpad: return config.input_bank_bytes();
        case OnChipMemory::weight_scratchpad: return config.weight_bank_bytes();
        case OnChipMemory::accumulators: return config.accumulator_bank_entries() * 4;  // int32 entries
        case OnChipMemory::ppu_input: return config.ppu_input_bank_bytes();
        case OnChipMemory::ppu_params: return config.ppu_param_channels * kParamBytesPerChannel;  // one bank
        case OnChipMemory::ppu_output: return config.ppu_output_bank_bytes();
    }
    return 0;
}

double sram_byte_energy_fj(const AccelConfig& config, int64_t bank_bytes) {
    return static_cast<double>(config.energy_sram_byte_fj) *
           std::sqrt(static_cast<double>(bank_bytes) / static_cast<double>(config.energy_sram_reference_bytes));
}

double static_energy_fj_per_cycle(const AccelConfig& config) {
    return static_cast<double>(config.energy_static_fj_per_cycle_per_mm2) * estimate_area(config).total_mm2();
}

EnergyBreakdown layer_energy(const LayerStats& events, const AccelConfig& config) {
    EnergyBreakdown e;
    double compute_fj = 0;
    for (int m = 0; m < kMacModes; ++m)
        compute_fj += static_cast<double>(events.mac_ops[static_cast<size_t>(m)]) *
                      static_cast<double>(mac_energy_fj(config, static_cast<MacMode>(m)));
    double scratchpads_fj = 0;
    for (int m = 0; m < kOnChipMemories; ++m) {
        const OnChipMemory memory = static_cast<OnChipMemory>(m);
        scratchpads_fj += static_cast<double>(events.traffic(memory).bytes()) *
                          sram_byte_energy_fj(config, memory_bank_bytes(config, memory));
    }
    e.compute_pj = compute_fj * kPicojoulesPerFemtojoule;
    e.scratchpads_pj = scratchpads_fj * kPicojoulesPerFemtojoule;
    e.dram_pj = static_cast<double>(events.dram_bytes()) * static_cast<double>(config.energy_dram_byte_fj) *
                kPicojoulesPerFemtojoule;
    e.ppu_pj = static_cast<double>(events.ppu_ops) * static_cast<double>(config.energy_ppu_op_fj) * kPicojoulesPerFemtojoule;
    e.static_pj = static_cast<double>(events.total_cycles) * static_energy_fj_per_cycle(config) * kPicojoulesPerFemtojoule;
    return e;
}

}  // namespace dyadic::sim
