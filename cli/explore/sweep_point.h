#pragma once
// One point of a sweep: the accelerator configuration's latency table for the integer model's
// layers at every candidate (sim/latency_table.h), the ILP problem over it with the model's
// sensitivities (graph/sensitivity/ilp_problem_file.h), and one ILP per budget set. Exactly what
// `dyadic latency-table`, `dyadic ilp-problem` and `dyadic ilp --frac` compute by hand.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/explore/sweep_plan.h"

namespace dyadic::cli::explore {

// The point's result:
//   {"index": 3, "name": "array=16x16 bandwidth=8", "axes": [["array", "16x16"], ...], "config": {...},
//    "area": {...} (sim/area_model.h's area_to_json), "layers": ["conv1", ...],
//    "results": [{"budget": "latency=0.5", "status": "OPTIMAL", "objective": ..., "assignment": {...},
//                 "bits": ["w8a8", ...] (in layer order), "totals": {...}, "budgets": {...}},
//                {"budget": ..., "status": "INFEASIBLE", "message": ...}]}
// Also writes the point's latency table and problem beside the plan (point_file_path).
// Throws Error for an invalid configuration or inputs; an infeasible budget is a result.
nlohmann::json run_sweep_point(const SweepPlan& plan, std::size_t index, const std::string& plan_directory);

}  // namespace dyadic::cli::explore
