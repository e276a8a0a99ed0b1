#include "ilp/problem.h"

#include <cmath>
#include <set>

#include "util/error.h"

namespace dyadic::ilp {

void validate_problem(const Problem& problem) {
    require(!problem.layers.empty(), "the problem has no layers");
    std::set<std::string> names;
    for (const auto& layer : problem.layers) {
        require(names.insert(layer.name).second, "duplicate layer name '" + layer.name + "'");
        require(!layer.choices.empty(), "layer '" + layer.name + "' has no choices");
        std::set<std::string> labels;
        for (const auto& choice : layer.choices) {
            require(labels.insert(choice.label).second,
                    "layer '" + layer.name + "' lists bits '" + choice.label + "' twice");
            require(std::isfinite(choice.sensitivity), "layer '" + layer.name + "': sensitivity is not finite");
            require(choice.metric_values.size() == problem.metrics.size(),
                    "layer '" + layer.name + "' choice " + choice.label + " does not carry every metric");
            for (double value : choice.metric_values) {
                require(std::isfinite(value), "layer '" + layer.name + "': a metric value is not finite");
            }
        }
    }
    std::set<std::size_t> budgeted;
    for (const auto& budget : problem.budgets) {
        require(budget.metric < problem.metrics.size(), "a budget names a metric the problem lacks");
        require(budgeted.insert(budget.metric).second, "two budgets on '" + problem.metrics[budget.metric] + "'");
        require(std::isfinite(budget.limit), "budget '" + problem.metrics[budget.metric] + "' is not finite");
    }
    for (const auto& tie : problem.ties) {
        require(!tie.empty(), "an empty tie group");
        for (std::size_t layer : tie) require(layer < problem.layers.size(), "a tie names a layer out of range");
    }
}

std::optional<std::size_t> find_metric(const Problem& problem, const std::string& name) {
    for (std::size_t m = 0; m < problem.metrics.size(); ++m) {
        if (problem.metrics[m] == name) return m;
    }
    return std::nullopt;
}

std::size_t resolve_metric(const Problem& problem, const std::string& name) {
    if (auto exact = find_metric(problem, name)) return *exact;
    std::vector<std::size_t> matches;
    for (std::size_t m = 0; m < problem.metrics.size(); ++m) {
        if (problem.metrics[m].rfind(name, 0) == 0) matches.push_back(m);
    }
    std::string known;
    for (const auto& metric : problem.metrics) known += (known.empty() ? "" : ", ") + metric;
    require(!matches.empty(), "unknown metric '" + name + "' (the problem's metrics: " + known + ")");
    require(matches.size() == 1, "metric '" + name + "' is ambiguous (the problem's metrics: " + known + ")");
    return matches.front();
}

std::optional<double> budget_on(const Problem& problem, std::size_t metric) {
    for (const auto& budget : problem.budgets) {
        if (budget.metric == metric) return budget.limit;
    }
    return std::nullopt;
}

void set_budget(Problem& problem, std::size_t metric, double limit) {
    for (auto& budget : problem.budgets) {
        if (budget.metric == metric) {
            budget.limit = limit;
            return;
        }
    }
    problem.budgets.push_back(Budget{metric, limit});
}

}  // namespace dyadic::ilp
