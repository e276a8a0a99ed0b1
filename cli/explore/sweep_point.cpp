#include "cli/explore/sweep_point.h"

#include "graph/quant/bit_candidates.h"
#include "graph/quant/model_file.h"
#include "graph/sensitivity/float_model.h"
#include "graph/sensitivity/ilp_problem_file.h"
#include "graph/sensitivity/latency_table.h"
#include "graph/sensitivity/sensitivity_json.h"
#include "ilp/problem_json.h"
#include "ilp/result_json.h"
#include "ilp/solver.h"
#include "sim/accel_config.h"
#include "sim/area_model.h"
#include "sim/latency_table.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace dyadic::cli::explore {

nlohmann::json run_sweep_point(const SweepPlan& plan, std::size_t index, const std::string& plan_directory) {
    require(index < plan.points.size(), "sweep point " + std::to_string(index) + " does not exist (the plan has " +
                                            std::to_string(plan.points.size()) + " points)");
    const SweepPoint& point = plan.points[index];
    const std::string where = "sweep point " + std::to_string(index);
    const sim::AccelConfig config = sim::parse_accel_config(point.config.dump(), where);

    const std::vector<quant::BitCandidate> candidates = quant::parse_bit_candidates(plan.candidates);
    const quant::QuantizedModel model = quant::load_model(plan.int_model);
    const std::string latency_text =
        sim::latency_table_json(model.name, config, sim::build_latency_table(model, config, candidates)) + "\n";
    write_file_atomically(point_file_path(plan_directory, index, "latency"), latency_text);

    sensitivity::ProblemOptions options;
    options.candidates = candidates;
    const sensitivity::LatencyTable latency = sensitivity::parse_latency_table(latency_text, where + " latency table");
    options.latency = &latency;
    const std::string problem_text =
        sensitivity::ilp_problem_json(sensitivity::load_float_model(plan.model),
                                      sensitivity::read_sensitivity_report(plan.sensitivity), options);
    write_file_atomically(point_file_path(plan_directory, index, "problem"), problem_text);
    const ilp::Problem problem = ilp::parse_problem(problem_text, where + " problem");

    nlohmann::json results = nlohmann::json::array();
    for (std::size_t b = 0; b < plan.budgets.size(); ++b) {
        ilp::Problem budgeted = problem;
        apply_budget_set(budgeted, plan.budgets[b]);
        nlohmann::json result;
        try {
            const ilp::Solution solution = ilp::solve(budgeted);
            result = nlohmann::json::parse(ilp::solution_to_json(budgeted, solution));
            // The chosen labels in layer order ("assignment" is an object, whose order JSON does not keep).
            nlohmann::json bits = nlohmann::json::array();
            for (std::size_t l = 0; l < budgeted.layers.size(); ++l)
                bits.push_back(budgeted.layers[l].choices[solution.assignment[l]].label);
            result["bits"] = std::move(bits);
        } catch (const ilp::InfeasibleBudgetError& error) {
            result = {{"status", "INFEASIBLE"}, {"message", error.what()}};
        }
        result["budget"] = plan.budgets[b].text;
        results.push_back(std::move(result));
    }
    nlohmann::json axes = nlohmann::json::array();
    for (const auto& [axis, value] : point.axes) axes.push_back({axis, value});
    nlohmann::json layers = nlohmann::json::array();
    for (const ilp::Layer& layer : problem.layers) layers.push_back(layer.name);
    return {{"index", index}, {"name", config.name}, {"axes", axes}, {"config", point.config},
            {"area", nlohmann::json::parse(sim::area_to_json(sim::estimate_area(config)))},
            {"layers", layers}, {"results", results}};
}

}  // namespace dyadic::cli::explore
