#pragma once
// The accelerator configuration: the single source of every architectural parameter used by the
// SystemC model, the generated SystemVerilog package (sv_package.h) and the latency tables
// (docs/accelerator.md, "Configuration"). Read from JSON; every key is required and unknown keys
// are rejected, so a typo cannot silently fall back to a default.
// Header is C++17 (included by the SystemC model) and free of SystemC.
#include <cstdint>
#include <string>
#include <vector>

namespace dyadic::sim {

// Upper bound of every on-chip memory: 256 MiB, above the largest on-chip buffers of real
// accelerators (tens of MiB), and small enough that the simulator can allocate them all.
inline constexpr int64_t kMaxOnChipBytes = int64_t{1} << 28;

// THE parameter table. One row per integer parameter; the struct member, the JSON key, the
// bounds, the validation, the JSON writer and the SystemVerilog localparam all come from it, so a
// new parameter is this one edit (and docs/accelerator.md).
//   X(type, member, json group, json key, min, max, banks, SV localparam or nullptr, SV bank
//     address-bits localparam or nullptr, meaning)
// banks = 2: the memory is split into two banks of half its size (double buffering), so the value
// must be even. Every max fits in 32 bits: SystemVerilog `int unsigned` localparams carry them.
// The `area` rows are the per-unit figures of the area estimate (sim/area_model.h), in whole um^2
// at the stated node; they describe no hardware, so they have no localparam.
#define DYADIC_ACCEL_CONFIG_PARAMETERS(X)                                                                          \
    X(int, array_rows, "array", "rows", 1, 1024, 1, "ARRAY_ROWS", nullptr, "PE rows (reduction)")                  \
    X(int, array_cols, "array", "cols", 1, 1024, 1, "ARRAY_COLS", nullptr, "PE columns (output channels)")         \
    X(int, weight_double_buffer, "array", "weight_double_buffer", 0, 1, 1, "WEIGHT_DOUBLE_BUFFER", nullptr,         \
      "1: a second weight register per PE, the next fold's weights load while a fold streams")                   \
    X(int64_t, input_scratchpad_bytes, "scratchpads", "input_bytes", 2, kMaxOnChipBytes, 2, "INPUT_SPAD_BYTES",   \
      "INPUT_BANK_ADDR_BITS", "input scratchpad, two banks")                                                       \
    X(int64_t, weight_scratchpad_bytes, "scratchpads", "weight_bytes", 2, kMaxOnChipBytes, 2,                      \
      "WEIGHT_SPAD_BYTES", "WEIGHT_BANK_ADDR_BITS", "weight scratchpad, two banks")                                \
    X(int64_t, accumulator_entries, "scratchpads", "accumulator_entries", 2, kMaxOnChipBytes / 4, 2,               \
      "ACC_ENTRIES", "ACC_BANK_ADDR_BITS", "accumulator memory entries (int32), two banks")                        \
    X(int64_t, dram_bandwidth_bytes_per_cycle, "dram", "bandwidth_bytes_per_cycle", 1, 4096, 1,                    \
      "DRAM_BYTES_PER_CYCLE", nullptr, "DMA/DRAM bandwidth")                                                       \
    X(int64_t, dram_latency_cycles, "dram", "latency_cycles", 0, 100000, 1, "DRAM_LATENCY_CYCLES", nullptr,        \
      "DRAM access latency")                                                                                       \
    X(int, ppu_lanes, "ppu", "lanes", 1, 4096, 1, "PPU_LANES", nullptr, "post-processing elements per cycle")     \
    X(int, ppu_pipeline_cycles, "ppu", "pipeline_cycles", 0, 1024, 1, "PPU_PIPELINE_CYCLES", nullptr,              \
      "post-processing pipeline depth")                                                                            \
    X(int64_t, ppu_input_buffer_bytes, "ppu", "input_buffer_bytes", 2, kMaxOnChipBytes, 2,                         \
      "PPU_INPUT_BUFFER_BYTES", nullptr, "identity/operand buffer, two banks")                                     \
    X(int64_t, ppu_output_buffer_bytes, "ppu", "output_buffer_bytes", 2, kMaxOnChipBytes, 2,                       \
      "PPU_OUTPUT_BUFFER_BYTES", nullptr, "output buffer, two banks")                                              \
    X(int64_t, ppu_param_channels, "ppu", "param_channels", 1, 1 << 20, 1, "PPU_PARAM_CHANNELS", nullptr,          \
      "per-channel parameter records")                                                                             \
    X(int, area_technology_nm, "area", "technology_nm", 1, 1000, 1, nullptr, nullptr,                              \
      "technology node of the area figures below (nm)")                                                            \
    X(int64_t, area_pe_um2, "area", "pe_um2", 0, 1000000, 1, nullptr, nullptr,                                     \
      "one PE: four 4x4 bricks, shift-add, weight and partial-sum registers (um^2)")                               \
    X(int64_t, area_pe_weight_buffer_um2, "area", "pe_weight_buffer_um2", 0, 1000000, 1, nullptr, nullptr,         \
      "a PE's second weight register, counted when array.weight_double_buffer = 1 (um^2)")                         \
    X(int64_t, area_sram_um2_per_kib, "area", "sram_um2_per_kib", 0, 1000000, 1, nullptr, nullptr,                 \
      "SRAM area per KiB of capacity (um^2)")                                                                      \
    X(int64_t, area_sram_macro_um2, "area", "sram_macro_um2", 0, 10000000, 1, nullptr, nullptr,                    \
      "fixed area of one SRAM macro (um^2)")                                                                       \
    X(int64_t, area_sram_macro_bytes, "area", "sram_macro_bytes", 64, kMaxOnChipBytes, 1, nullptr, nullptr,        \
      "capacity of the largest SRAM macro; a larger bank is several macros")                                      \
    X(int64_t, area_accumulator_entry_um2, "area", "accumulator_entry_um2", 0, 100000, 1, nullptr, nullptr,        \
      "one int32 accumulator entry (um^2)")                                                                        \
    X(int64_t, area_ppu_lane_um2, "area", "ppu_lane_um2", 0, 10000000, 1, nullptr, nullptr,                        \
      "one post-processing lane (um^2)")                                                                           \
    DYADIC_ACCEL_ENERGY_PARAMETERS(X)

// The energy table (docs/accelerator.md, "Energy"): femtojoules per event, JSON group "energy".
// The RTL does not need them, so they have no SystemVerilog localparam (nullptr). Bounds: zero
// (an event that costs nothing) up to far above any published figure.
#define DYADIC_ACCEL_ENERGY_PARAMETERS(X)                                                                          \
    X(int64_t, energy_mac_w8a8_fj, "energy", "mac_w8a8_fj", 0, 1000000, 1, nullptr, nullptr,                        \
      "one MAC in the 8x8 mode (5..8-bit weights and activations)")                                                \
    X(int64_t, energy_mac_w4a8_fj, "energy", "mac_w4a8_fj", 0, 1000000, 1, nullptr, nullptr,                        \
      "one MAC in the 4x8 mode (2..4-bit weights, 5..8-bit activations)")                                          \
    X(int64_t, energy_mac_w8a4_fj, "energy", "mac_w8a4_fj", 0, 1000000, 1, nullptr, nullptr,                        \
      "one MAC in the 8x4 mode (5..8-bit weights, 2..4-bit activations)")                                          \
    X(int64_t, energy_mac_w4a4_fj, "energy", "mac_w4a4_fj", 0, 1000000, 1, nullptr, nullptr,                        \
      "one MAC in the 4x4 mode (2..4-bit weights and activations)")                                                \
    X(int64_t, energy_sram_byte_fj, "energy", "sram_byte_fj", 0, 10000000, 1, nullptr, nullptr,                     \
      "one byte read or written in an on-chip memory bank of sram_reference_bytes")                               \
    X(int64_t, energy_sram_reference_bytes, "energy", "sram_reference_bytes", 1, kMaxOnChipBytes, 1, nullptr,       \
      nullptr, "bank size at which sram_byte_fj holds; other banks scale with sqrt(size / this)")                  \
    X(int64_t, energy_dram_byte_fj, "energy", "dram_byte_fj", 0, 100000000, 1, nullptr, nullptr,                    \
      "one byte read from or written to DRAM")                                                                     \
    X(int64_t, energy_ppu_op_fj, "energy", "ppu_op_fj", 0, 10000000, 1, nullptr, nullptr,                           \
      "one post-processing element (requantization, pooling window, residual add)")                                \
    X(int64_t, energy_static_fj_per_cycle_per_mm2, "energy", "static_fj_per_cycle_per_mm2", 0, 1000000000, 1,       \
      nullptr, nullptr, "static (leakage) energy per clock cycle of each mm^2 of the area estimate")

// The clock only converts cycles to milliseconds; it is bounded like the table's entries.
inline constexpr double kMaxClockMhz = 10000;

struct AccelConfig {
    std::string name;
    double clock_mhz = 0;

#define DYADIC_ACCEL_CONFIG_MEMBER(type, member, ...) type member = 0;
    DYADIC_ACCEL_CONFIG_PARAMETERS(DYADIC_ACCEL_CONFIG_MEMBER)
#undef DYADIC_ACCEL_CONFIG_MEMBER

    int64_t input_bank_bytes() const { return input_scratchpad_bytes / 2; }
    int64_t weight_bank_bytes() const { return weight_scratchpad_bytes / 2; }
    int64_t accumulator_bank_entries() const { return accumulator_entries / 2; }
    int64_t ppu_input_bank_bytes() const { return ppu_input_buffer_bytes / 2; }
    int64_t ppu_output_bank_bytes() const { return ppu_output_buffer_bytes / 2; }
};

// One row of the parameter table, for code that walks every parameter (parser, validation,
// writers). `path` is "group.key", the name every message uses.
struct AccelParameter {
    const char* group;
    const char* key;
    std::string path;
    int64_t min;
    int64_t max;
    int banks;
    const char* sv_name;               // nullptr: no localparam (the area figures, the energy table)
    const char* sv_bank_address_bits;  // nullptr: none
    const char* meaning;
    int64_t (*get)(const AccelConfig&);
    void (*set)(AccelConfig&, int64_t);  // only after check_parameter accepted the value
};

// The table's rows, in table order.
const std::vector<AccelParameter>& accel_parameters();

// Throws Error "<group.key> must lie in min..max, got v" (or "must be even (two banks)").
void check_parameter(const AccelParameter& parameter, int64_t value);

// Parses and validates a configuration; throws Error naming the key for a missing, unknown,
// mistyped or out-of-range entry. `origin` names the source in messages (a file name).
AccelConfig parse_accel_config(const std::string& json_text, const std::string& origin);

// Reads and parses a configuration file (throws Error when unreadable).
AccelConfig load_accel_config(const std::string& path);

// The configuration in sim/configs/default.json, compiled into the library.
AccelConfig default_accel_config();

// Throws Error naming the parameter unless every one lies within the table's bounds.
void validate(const AccelConfig& config);

// The configuration as JSON text (same schema as the input), for reports and latency tables.
std::string to_json_text(const AccelConfig& config, int indent = 2);

}  // namespace dyadic::sim
