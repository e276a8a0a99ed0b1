#pragma once
// The energy breakdown as JSON, one form for every report that carries it (dyadic sim's layers and
// totals, latency tables' candidates): picojoules by part. Header is C++17.
#include <nlohmann/json.hpp>

#include "sim/layer_stats.h"

namespace dyadic::sim {

// {"compute": ..., "scratchpads": ..., "dram": ..., "ppu": ..., "static": ...}
inline nlohmann::json energy_breakdown_json(const EnergyBreakdown& e) {
    return {{"compute", e.compute_pj}, {"scratchpads", e.scratchpads_pj}, {"dram", e.dram_pj},
            {"ppu", e.ppu_pj},         {"static", e.static_pj}};
}

}  // namespace dyadic::sim
