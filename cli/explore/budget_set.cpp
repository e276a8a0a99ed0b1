#include "cli/explore/budget_set.h"

#include <cmath>
#include <sstream>

#include "util/error.h"

namespace dyadic::cli::explore {

BudgetSet parse_budget_set(const std::string& text) {
    BudgetSet budgets;
    budgets.text = text;
    std::string fractions;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        const auto at = item.find("<=");
        if (at == std::string::npos) {
            fractions += (fractions.empty() ? std::string() : std::string(",")) + item;
            continue;
        }
        const std::string metric = item.substr(0, at), value = item.substr(at + 2);
        double limit = 0.0;
        std::size_t used = 0;
        try {
            limit = std::stod(value, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        require(!metric.empty() && used > 0 && used == value.size() && std::isfinite(limit) && limit >= 0.0,
                "budget '" + item + "': expected metric<=limit with a non-negative number (in '" + text + "')");
        budgets.limits.emplace_back(metric, limit);
    }
    if (!fractions.empty()) budgets.fractions = ilp::parse_budget_fractions(fractions);
    require(!budgets.fractions.empty() || !budgets.limits.empty(), "budget set '" + text + "' is empty");
    return budgets;
}

void apply_budget_set(ilp::Problem& problem, const BudgetSet& budgets) {
    for (const auto& [metric, limit] : budgets.limits) ilp::set_budget(problem, ilp::resolve_metric(problem, metric), limit);
    ilp::apply_budget_fractions(problem, budgets.fractions);
}

}  // namespace dyadic::cli::explore
