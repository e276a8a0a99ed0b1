#pragma once
// Per-layer latency tables for the bit-allocation ILP (docs/latency-table.md): every conv and
// fully connected layer of an integer model timed on the simulated accelerator at each candidate
// precision (timing-only simulation: the same cycles as a functional run, without the data).
#include <functional>
#include <string>
#include <vector>

#include "graph/quant/bit_candidates.h"
#include "graph/quant/quantized_model.h"
#include "sim/accel_config.h"
#include "sim/layer_stats.h"

namespace dyadic::sim {

using quant::BitCandidate;
using quant::parse_bit_candidates;

struct LatencyEntry {
    std::string label;
    int64_t cycles = 0;
    double latency_ms = 0;
    EnergyBreakdown energy;  // the energy model's price of the same run (docs/accelerator.md, "Energy")
};

struct LatencyRow {
    std::string name;
    std::string op;
    std::vector<LatencyEntry> candidates;
};

// Times every conv/FC layer of `model` at every candidate: weights of weight_bits (signed),
// the layer's input at activation_bits (the model's signedness), the output at activation_bits
// unless the model's output is a wider residual stream (kept), the identity type as in the model.
std::vector<LatencyRow> build_latency_table(const quant::QuantizedModel& model, const AccelConfig& config,
                                            const std::vector<BitCandidate>& candidates,
                                            const std::function<void(size_t, size_t)>& progress = {});

// {"backend": "sim", "config": {...}, "unit": "cycles", "clock_mhz": ..., "model": ...,
//  "layers": [{"name": ..., "op": ..., "candidates": [{"bits": "w8a8", "cycles": ..., "latency_ms": ...,
//              "energy_pj": ..., "energy_breakdown_pj": {"compute": ..., "scratchpads": ..., ...}}]}]}
std::string latency_table_json(const std::string& model_name, const AccelConfig& config,
                               const std::vector<LatencyRow>& rows);

// The table for people: per layer and candidate the cycles and the energy with its breakdown.
std::string latency_table_text(const std::vector<LatencyRow>& rows);

}  // namespace dyadic::sim
