#pragma once
// The area estimate of an accelerator configuration from the per-unit figures of its `area`
// section (docs/accelerator.md, "Area"): the PE array, the scratchpads, the accumulators, the
// post-processing lanes and the PPU's buffers. SRAM follows one scaling law: a bank of B bytes is
// ceil(B / sram_macro_bytes) macros, each with a fixed area, plus sram_um2_per_kib per KiB.
// Sums are exact: every part is kept in 1/1024 um^2 (the per-KiB rate is per 1024 bytes), so a
// figure computed by hand from the same table equals the estimate exactly.
// Header is C++17 (the SystemC side includes sim/ headers) and free of SystemC.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/accel_config.h"

namespace dyadic::sim {

struct AreaPart {
    std::string name;          // "pe_array", "input_scratchpad", ...
    std::string basis;         // how it was counted: "16 x 16 PEs x 945 um^2"
    int64_t um2_1024ths = 0;   // area in units of 1/1024 um^2 (exact)

    double um2() const { return static_cast<double>(um2_1024ths) / 1024.0; }
    double mm2() const { return um2() / 1e6; }
};

struct AreaEstimate {
    int technology_nm = 0;
    std::vector<AreaPart> parts;  // in the order of docs/accelerator.md's table
    int64_t total_um2_1024ths = 0;

    double total_um2() const { return static_cast<double>(total_um2_1024ths) / 1024.0; }
    double total_mm2() const { return total_um2() / 1e6; }
};

// The estimate of a validated configuration (throws Error for one outside the table's bounds).
AreaEstimate estimate_area(const AccelConfig& config);

// {"technology_nm": 45, "unit": "mm2", "total_mm2": ..., "total_um2": ...,
//  "parts": [{"name": "pe_array", "mm2": ..., "um2": ..., "share": ..., "basis": "..."}, ...]}
std::string area_to_json(const AreaEstimate& estimate, int indent = 2);

// The same as a table for people: one line per part with mm^2 and share, then the total.
std::string area_to_table(const AreaEstimate& estimate);

}  // namespace dyadic::sim
