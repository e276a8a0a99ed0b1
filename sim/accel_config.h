#pragma once
// The accelerator configuration: the single source of every architectural parameter used by the
// SystemC model, the generated SystemVerilog package (sv_package.h) and the latency tables
// (docs/accelerator.md, "Configuration"). Read from JSON; every key is required and unknown keys
// are rejected, so a typo cannot silently fall back to a default.
// Header is C++17 (included by the SystemC model) and free of SystemC.
#include <cstdint>
#include <string>

namespace dyadic::sim {

struct AccelConfig {
    std::string name;
    double clock_mhz = 0;  // only converts cycles to milliseconds

    // Weight-stationary systolic array of rows x cols processing elements.
    int array_rows = 0;
    int array_cols = 0;

    // Each scratchpad is split into two banks of half its size (double buffering).
    int64_t input_scratchpad_bytes = 0;
    int64_t weight_scratchpad_bytes = 0;
    int64_t accumulator_entries = 0;  // int32 entries, two banks

    int64_t dram_bandwidth_bytes_per_cycle = 0;
    int64_t dram_latency_cycles = 0;

    // Post-processing unit: elements per cycle, pipeline depth, double-buffered input (identity,
    // pooling/add operands) and output buffers, and the per-channel parameter memory.
    int ppu_lanes = 0;
    int ppu_pipeline_cycles = 0;
    int64_t ppu_input_buffer_bytes = 0;
    int64_t ppu_output_buffer_bytes = 0;
    int64_t ppu_param_channels = 0;

    int64_t input_bank_bytes() const { return input_scratchpad_bytes / 2; }
    int64_t weight_bank_bytes() const { return weight_scratchpad_bytes / 2; }
    int64_t accumulator_bank_entries() const { return accumulator_entries / 2; }
    int64_t ppu_input_bank_bytes() const { return ppu_input_buffer_bytes / 2; }
    int64_t ppu_output_bank_bytes() const { return ppu_output_buffer_bytes / 2; }
};

// Parses and validates a configuration; throws Error naming the key for a missing, unknown,
// mistyped or out-of-range entry. `origin` names the source in messages (a file name).
AccelConfig parse_accel_config(const std::string& json_text, const std::string& origin);

// Reads and parses a configuration file (throws Error when unreadable).
AccelConfig load_accel_config(const std::string& path);

// The configuration in sim/configs/default.json, compiled into the library.
AccelConfig default_accel_config();

// Throws Error unless every parameter is in range (positive sizes, even scratchpads, ...).
void validate(const AccelConfig& config);

// The configuration as JSON text (same schema as the input), for reports and latency tables.
std::string to_json_text(const AccelConfig& config, int indent = 2);

}  // namespace dyadic::sim
