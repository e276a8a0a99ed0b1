#include "ilp/assignment.h"

namespace dyadic::ilp {

double objective_of(const Problem& problem, const Assignment& assignment) {
    double sum = 0.0;
    for (std::size_t l = 0; l < problem.layers.size(); ++l) {
        sum += problem.layers[l].choices[assignment[l]].sensitivity;
    }
    return sum;
}

std::vector<double> totals_of(const Problem& problem, const Assignment& assignment) {
    std::vector<double> totals(problem.metrics.size(), 0.0);
    for (std::size_t l = 0; l < problem.layers.size(); ++l) {
        const auto& values = problem.layers[l].choices[assignment[l]].metric_values;
        for (std::size_t m = 0; m < totals.size(); ++m) totals[m] += values[m];
    }
    return totals;
}

bool within_budgets(const Problem& problem, const std::vector<double>& totals) {
    for (const auto& budget : problem.budgets) {
        if (!(totals[budget.metric] <= budget.limit)) return false;
    }
    return true;
}

}  // namespace dyadic::ilp
