#pragma once
// Per-layer latency tables measured or simulated by a backend:
//   {"backend": "systemc", "unit": "cycles",
//    "layers": [{"name": "conv1", "candidates": [{"bits": "w8a8", "cycles": 1234, "latency_ms": 0.0049}, ...]}]}
// (sim/latency_table.h writes them: `dyadic latency-table`). A candidate gives "cycles",
// "latency_ms" or both; the table's latency is the field its "unit" names ("cycles", or "ms" /
// "latency_ms"), else latency_ms when every candidate has it, else cycles. A backend with an
// energy model gives "energy_pj" in every candidate (then the table has energy), else in none.
// Header is C++17.
#include <map>
#include <string>
#include <utility>

namespace dyadic::sensitivity {

struct LatencyTable {
    std::string backend;
    std::string unit;            // as the file says
    std::string latency_field;   // "latency_ms" or "cycles": the field latency() returns
    std::map<std::pair<std::string, std::string>, double> latency;  // (layer, "w8a8") -> value
    std::map<std::pair<std::string, std::string>, double> energy_pj;  // empty when the table has no energy
    bool has_energy() const { return !energy_pj.empty(); }
};

// Throws Error naming `source` for invalid JSON, missing fields, duplicates, negative or
// non-finite values, or a table in which neither field is present in every candidate.
LatencyTable parse_latency_table(const std::string& json_text, const std::string& source);
LatencyTable read_latency_table(const std::string& path);

// The candidate label of b-bit weights and b-bit activations: 4 -> "w4a4".
std::string candidate_label(int bits);

// The latency of `layer` at candidate `bits_label` ("w4a4"). Throws Error naming the layer (and
// the candidates it has) when the table lacks it.
double latency_of(const LatencyTable& table, const std::string& layer, const std::string& bits_label);

// The energy (picojoules) of `layer` at candidate `bits_label`; the table must have energy.
double energy_of(const LatencyTable& table, const std::string& layer, const std::string& bits_label);

}  // namespace dyadic::sensitivity
