#pragma once
// The sweep's outputs from its points' results: one row per (configuration, budget set) with the
// configuration's axes, the ILP's status, summed sensitivity, totals and bits per layer; which
// rows are Pareto-optimal in (latency, sensitivity); as JSON, CSV and an SVG scatter of the front.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/explore/sweep_plan.h"

namespace dyadic::cli::explore {

struct SweepRow {
    std::size_t point = 0;
    std::string name;   // "array=16x16 bandwidth=8"
    AxisValues axes;
    std::string budget;  // the budget set as written
    std::string status;  // the ILP's ("OPTIMAL", "INFEASIBLE", ...)
    bool feasible = false;
    double sensitivity = 0.0;          // summed Omega of the chosen candidates
    nlohmann::json totals;             // every metric's total
    std::vector<std::string> layers;   // layer names, in problem order
    std::vector<std::string> bits;     // chosen label per layer, in layer order
    bool pareto = false;               // no feasible row has lower-or-equal latency and sensitivity, one lower
    std::optional<double> integer_top1;  // Pareto rows, when accuracy was asked for (pareto_accuracy.h)
    int64_t accuracy_images = 0;
};

// The rows of every point result (point_result_path). Throws Error listing the points whose
// result is missing (a job that failed or has not run).
std::vector<SweepRow> gather_rows(const SweepPlan& plan, const std::string& plan_directory);

// Marks the Pareto rows over (totals["latency"], sensitivity) among the feasible ones.
void mark_pareto(std::vector<SweepRow>& rows);

std::string rows_to_json(const std::vector<SweepRow>& rows);
// point,name,<axes...>,budget,status,sensitivity,<metrics...>,pareto,integer_top1,bits
std::string rows_to_csv(const std::vector<SweepRow>& rows);
// Summed sensitivity (log scale) against latency: every feasible row, the front highlighted.
std::string sensitivity_latency_svg(const std::vector<SweepRow>& rows);
// Integer-only top-1 against latency for the rows whose accuracy was evaluated.
std::string accuracy_latency_svg(const std::vector<SweepRow>& rows);

}  // namespace dyadic::cli::explore
