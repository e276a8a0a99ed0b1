#include "ilp/result_json.h"

#include <nlohmann/json.hpp>

namespace dyadic::ilp {

std::string solution_to_json(const Problem& problem, const Solution& solution) {
    nlohmann::ordered_json result;
    result["status"] = solution.status_name;
    result["objective"] = solution.objective;
    result["solve_time_s"] = solution.solve_seconds;
    nlohmann::ordered_json assignment = nlohmann::ordered_json::object();
    for (std::size_t l = 0; l < problem.layers.size(); ++l) {
        const Choice& choice = problem.layers[l].choices[solution.assignment[l]];
        if (choice.numeric_bits) {
            assignment[problem.layers[l].name] = *choice.numeric_bits;
        } else {
            assignment[problem.layers[l].name] = choice.label;
        }
    }
    result["assignment"] = std::move(assignment);
    nlohmann::ordered_json totals = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < problem.metrics.size(); ++m) totals[problem.metrics[m]] = solution.totals[m];
    result["totals"] = std::move(totals);
    nlohmann::ordered_json budgets = nlohmann::ordered_json::object();
    for (const auto& budget : problem.budgets) budgets[problem.metrics[budget.metric]] = budget.limit;
    result["budgets"] = std::move(budgets);
    return result.dump(2) + "\n";
}

}  // namespace dyadic::ilp
