#pragma once
// The accelerator's energy model (docs/accelerator.md, "Energy"): the events a layer's
// simulation counted (LayerStats: MACs by precision mode, bytes through every on-chip memory,
// DRAM bytes, post-processing elements, cycles) priced by the configuration's energy table.
//   compute     = sum over modes of MAC operations x mac_<mode>_fj
//   scratchpads = sum over memories of bytes read and written x sram_byte_fj x sqrt(bank / sram_reference_bytes)
//   dram        = DRAM bytes x dram_byte_fj
//   ppu         = post-processing elements x ppu_op_fj
//   static      = cycles x static_fj_per_cycle_per_mm2 x area estimate (mm^2)
// Header is C++17 and free of SystemC.
#include <cstdint>

#include "sim/accel_config.h"
#include "sim/layer_stats.h"
#include "sim/precision_mode.h"

namespace dyadic::sim {

// Adds `macs` MACs of `mode` to `ops`: operands of at most 8 bits are one operation of their
// mode; a 16-bit operand is split in two 8-bit halves, each pair of halves one 8-bit-mode
// operation (the passes of docs/accelerator.md, "Precision scaling").
void count_mac_ops(std::array<int64_t, kMacModes>& ops, const PrecisionMode& mode, int64_t macs);

// The energy of one MAC operation of `mode` (femtojoules).
int64_t mac_energy_fj(const AccelConfig& config, MacMode mode);

// The bytes of one bank of `memory`: the array an access reaches.
int64_t memory_bank_bytes(const AccelConfig& config, OnChipMemory memory);

// Femtojoules per byte accessed in a bank of `bank_bytes`: sram_byte_fj x sqrt(bank_bytes /
// sram_reference_bytes) (a bank's word and bit lines grow with the square root of its size).
double sram_byte_energy_fj(const AccelConfig& config, int64_t bank_bytes);

// Static (leakage) femtojoules per cycle: static_fj_per_cycle_per_mm2 x the configuration's area
// estimate (sim/area_model.h), so a larger array or larger memories leak more.
double static_energy_fj_per_cycle(const AccelConfig& config);

// The energy of a layer (or a sum of layers' counters of one configuration), in picojoules.
EnergyBreakdown layer_energy(const LayerStats& events, const AccelConfig& config);

}  // namespace dyadic::sim
