#pragma once
// A design-space sweep written down before it runs (`dyadic explore` writes <out>/plan.json):
// the model files, the bit candidates, the budget sets and every hardware configuration. Each
// point (one configuration) is an independent job, `dyadic explore-point <plan> <index>`, which a
// local process pool or a cluster array runs unchanged.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/explore/config_axes.h"
#include "cli/explore/budget_set.h"

namespace dyadic::cli::explore {

struct SweepPoint {
    AxisValues axes;
    nlohmann::json config;  // the full accelerator configuration (sim/accel_config.h schema)
};

struct SweepPlan {
    std::string model;        // float ONNX model (graph and layer names for the ILP problem)
    std::string int_model;    // integer model (.dyqm) whose layer shapes the latency tables time
    std::string sensitivity;  // sensitivity file (dyadic sensitivity --json)
    std::string candidates;   // "w8a8,w4a8,..." (quant::parse_bit_candidates)
    std::vector<BudgetSet> budgets;  // one ILP per set, per point
    std::vector<SweepPoint> points;
};

std::string plan_to_json(const SweepPlan& plan);

// Throws Error naming `source` for a file that is not a plan or lacks a field.
SweepPlan parse_plan(const std::string& json_text, const std::string& source);
SweepPlan read_plan(const std::string& path);

// Where point `index`'s files go, beside the plan: <dir>/points/<index>.json (the result),
// <index>.latency.json and <index>.problem.json (its latency table and ILP problem).
std::string point_result_path(const std::string& plan_directory, std::size_t index);
std::string point_file_path(const std::string& plan_directory, std::size_t index, const std::string& kind);

}  // namespace dyadic::cli::explore
