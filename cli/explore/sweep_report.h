#pragma once
// The sweep's outputs from its points' results: one row per (configuration, budget set) with the
// configuration's axes and area, the ILP's status, summed sensitivity, totals and bits per layer;
// which rows are Pareto-optimal in (latency, sensitivity), in (energy, sensitivity) and, per budget
// set, in (latency, area); as JSON, CSV and SVG scatters of the fronts.
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
    double area_um2 = 0.0;  // the configuration's area estimate (sim/area_model.h), exact
    std::string budget;  // the budget set as written
    std::string status;  // the ILP's ("OPTIMAL", "INFEASIBLE", ...)
    bool feasible = false;
    double sensitivity = 0.0;          // summed Omega of the chosen candidates
    nlohmann::json totals;             // every metric's total
    std::vector<std::string> layers;   // layer names, in problem order
    std::vector<std::string> bits;     // chosen label per layer, in layer order
    bool pareto = false;               // no feasible row has lower-or-equal latency and sensitivity, one lower
    bool area_pareto = false;          // no feasible row of the same budget set has lower-or-equal latency
                                       // and area, one lower
    bool pareto_energy = false;        // as `pareto` with energy for latency (rows whose totals have energy)
    std::optional<double> integer_top1;  // rows on the latency or energy front, when accuracy was asked for
                                         // (pareto_accuracy.h)
    int64_t accuracy_images = 0;
};

// The rows of every point result (point_result_path). Throws Error listing the points whose
// result is missing (a job that failed or has not run).
std::vector<SweepRow> gather_rows(const SweepPlan& plan, const std::string& plan_directory);

// Marks the Pareto rows over (totals["latency"], sensitivity) among the feasible ones, and over
// (totals["energy"], sensitivity) among the feasible ones whose totals have energy.
void mark_pareto(std::vector<SweepRow>& rows);
// Marks, within each budget set, the feasible rows Pareto-optimal over (totals["latency"], area):
// the configurations that no other configuration beats in both speed and size at that budget.
void mark_area_pareto(std::vector<SweepRow>& rows);

// Whether any feasible row's totals carry energy (a backend with an energy model).
bool rows_have_energy(const std::vector<SweepRow>& rows);

// `accuracy`, when not null, is what the accuracy was measured on (images, data, calibration data:
// docs/explore.md): points.json's "accuracy".
std::string rows_to_json(const std::vector<SweepRow>& rows, const nlohmann::json& accuracy = nullptr);
// point,name,<axes...>,area_mm2,budget,status,sensitivity,<metrics...>,pareto,area_pareto,pareto_energy,
// integer_top1,bits
std::string rows_to_csv(const std::vector<SweepRow>& rows);
// Summed sensitivity (log scale) against latency: every feasible row, the front highlighted.
std::string sensitivity_latency_svg(const std::vector<SweepRow>& rows);
// Integer-only top-1 against latency for the latency front's rows.
std::string accuracy_latency_svg(const std::vector<SweepRow>& rows);
// Area against latency: every feasible row, one colour per budget set, each set's front joined
// and its configurations labelled.
std::string area_latency_svg(const std::vector<SweepRow>& rows);
// The same two against energy, with the energy front.
std::string sensitivity_energy_svg(const std::vector<SweepRow>& rows);
std::string accuracy_energy_svg(const std::vector<SweepRow>& rows);

}  // namespace dyadic::cli::explore
