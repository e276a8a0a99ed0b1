#include "sim/area_model.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "sim/mapper.h"
#include "util/checked.h"

namespace dyadic::sim {
namespace {

// Checked arithmetic in 1/1024 um^2: the table bounds keep every sum far below 2^63, but the
// values come from a file, so a table change that broke that would be refused, not wrapped.
int64_t mul(int64_t a, int64_t b) { return checked_mul(a, b, "area estimate"); }
int64_t add(int64_t a, int64_t b) { return checked_add(a, b, "area estimate"); }

std::string um2(int64_t value) { return std::to_string(value) + " um^2"; }

// SRAM macros that hold one bank of `bank_bytes`: whole macros of at most sram_macro_bytes.
int64_t macros_per_bank(const AccelConfig& c, int64_t bank_bytes) {
    return (bank_bytes + c.area_sram_macro_bytes - 1) / c.area_sram_macro_bytes;
}

// `banks` SRAM banks of `bank_bytes` each, by the scaling law: their macros' fixed area plus the
// per-KiB area of the capacity.
AreaPart sram_part(const AccelConfig& c, std::string name, int64_t banks, int64_t bank_bytes) {
    const int64_t macros = macros_per_bank(c, bank_bytes);
    const int64_t bank = add(mul(mul(macros, c.area_sram_macro_um2), 1024), mul(bank_bytes, c.area_sram_um2_per_kib));
    return {std::move(name),
            std::to_string(banks) + " x (" + std::to_string(macros) + " macros x " + um2(c.area_sram_macro_um2) + " + " +
                std::to_string(bank_bytes) + " B x " + um2(c.area_sram_um2_per_kib) + "/KiB)",
            mul(banks, bank)};
}

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

}  // namespace

AreaEstimate estimate_area(const AccelConfig& c) {
    validate(c);
    AreaEstimate e;
    e.technology_nm = c.area_technology_nm;
    const int64_t pes = mul(c.array_rows, c.array_cols);
    const int64_t pe = add(c.area_pe_um2, c.weight_double_buffer ? c.area_pe_weight_buffer_um2 : 0);
    e.parts.push_back({"pe_array",
                       std::to_string(c.array_rows) + " x " + std::to_string(c.array_cols) + " PEs x " + um2(pe) +
                           (c.weight_double_buffer ? " (with the second weight register)" : ""),
                       mul(mul(pes, pe), 1024)});
    e.parts.push_back(sram_part(c, "input_scratchpad", 2, c.input_bank_bytes()));
    e.parts.push_back(sram_part(c, "weight_scratchpad", 2, c.weight_bank_bytes()));
    // The accumulators: int32 entries at their own per-entry area (read-modify-write SRAM), in two
    // banks of macros of 4-byte words.
    const int64_t accumulator_macros = macros_per_bank(c, mul(c.accumulator_bank_entries(), 4));
    e.parts.push_back({"accumulators",
                       std::to_string(c.accumulator_entries) + " entries x " + um2(c.area_accumulator_entry_um2) +
                           " + 2 x " + std::to_string(accumulator_macros) + " macros x " + um2(c.area_sram_macro_um2),
                       mul(add(mul(c.accumulator_entries, c.area_accumulator_entry_um2),
                               mul(mul(2, accumulator_macros), c.area_sram_macro_um2)),
                           1024)});
    e.parts.push_back({"ppu_lanes", std::to_string(c.ppu_lanes) + " lanes x " + um2(c.area_ppu_lane_um2),
                       mul(mul(c.ppu_lanes, c.area_ppu_lane_um2), 1024)});
    e.parts.push_back(sram_part(c, "ppu_input_buffer", 2, c.ppu_input_bank_bytes()));
    e.parts.push_back(sram_part(c, "ppu_output_buffer", 2, c.ppu_output_bank_bytes()));
    e.parts.push_back(sram_part(c, "ppu_parameters", 1, mul(c.ppu_param_channels, kParamBytesPerChannel)));
    for (const AreaPart& part : e.parts) e.total_um2_1024ths = add(e.total_um2_1024ths, part.um2_1024ths);
    return e;
}

std::string area_to_json(const AreaEstimate& e, int indent) {
    nlohmann::json parts = nlohmann::json::array();
    for (const AreaPart& part : e.parts)
        parts.push_back({{"name", part.name},
                         {"mm2", part.mm2()},
                         {"um2", part.um2()},
                         {"share", e.total_um2_1024ths > 0 ? static_cast<double>(part.um2_1024ths) / e.total_um2_1024ths : 0.0},
                         {"basis", part.basis}});
    const nlohmann::json j = {{"technology_nm", e.technology_nm}, {"unit", "mm2"}, {"total_mm2", e.total_mm2()},
                              {"total_um2", e.total_um2()}, {"parts", parts}};
    return j.dump(indent);
}

std::string area_to_table(const AreaEstimate& e) {
    std::string text = "area at " + std::to_string(e.technology_nm) + " nm\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-18s %10s %7s  %s\n", "part", "mm^2", "share", "basis");
    text += line;
    for (const AreaPart& part : e.parts) {
        const double share = e.total_um2_1024ths > 0 ? 100.0 * static_cast<double>(part.um2_1024ths) / e.total_um2_1024ths : 0.0;
        std::snprintf(line, sizeof line, "  %-18s %10s %6s%%  ", part.name.c_str(), fixed(part.mm2(), 4).c_str(),
                      fixed(share, 1).c_str());
        text += line + part.basis + "\n";
    }
    std::snprintf(line, sizeof line, "  %-18s %10s %7s\n", "total", fixed(e.total_mm2(), 4).c_str(), "100%");
    return text + line;
}

}  // namespace dyadic::sim
