#include "ilp/result_table.h"

#include <algorithm>
#include <cstdio>

namespace dyadic::ilp {
namespace {

std::string pad_right(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string general(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

}  // namespace

std::string solution_table(const Problem& problem, const Solution& solution) {
    std::size_t name_width = 5;
    for (const auto& layer : problem.layers) name_width = std::max(name_width, layer.name.size());
    std::string table = "status " + solution.status_name + ", objective (total sensitivity) " +
                        general(solution.objective) + ", solved in " + general(solution.solve_seconds * 1e3) +
                        " ms\n\n";
    table += pad_right("layer", name_width) + "  " + pad_left("bits", 6) + "  " + pad_left("sensitivity", 12) + "\n";
    for (std::size_t l = 0; l < problem.layers.size(); ++l) {
        const Choice& choice = problem.layers[l].choices[solution.assignment[l]];
        table += pad_right(problem.layers[l].name, name_width) + "  " + pad_left(choice.label, 6) + "  " +
                 pad_left(general(choice.sensitivity), 12) + "\n";
    }
    std::size_t metric_width = 6;
    for (const auto& metric : problem.metrics) metric_width = std::max(metric_width, metric.size());
    table += "\n" + pad_right("metric", metric_width) + "  " + pad_left("total", 12) + "  " + pad_left("budget", 12) +
             "  " + pad_left("used", 7) + "\n";
    for (std::size_t m = 0; m < problem.metrics.size(); ++m) {
        const auto budget = budget_on(problem, m);
        std::string used = "-";
        if (budget && *budget != 0.0) {
            char text[32];
            std::snprintf(text, sizeof text, "%.1f%%", 100.0 * solution.totals[m] / *budget);
            used = text;
        }
        table += pad_right(problem.metrics[m], metric_width) + "  " + pad_left(general(solution.totals[m]), 12) + "  " +
                 pad_left(budget ? general(*budget) : "-", 12) + "  " + pad_left(used, 7) + "\n";
    }
    return table;
}

std::string frontier_table(const Problem& problem, const Frontier& frontier) {
    const std::string& metric = problem.metrics[frontier.metric];
    std::size_t solved = 0;
    for (const auto& point : frontier.points) solved += point.assignment ? 1 : 0;
    const auto trade_offs = distinct_trade_offs(frontier);
    std::string table = "Pareto sweep over " + metric + ": " + std::to_string(frontier.points.size()) + " budgets, " +
                        std::to_string(solved) + " feasible, " + std::to_string(trade_offs.size()) +
                        " distinct trade-offs, " + general(frontier.solve_seconds * 1e3) + " ms\n";
    table += pad_left(metric, 14) + "  " + pad_left("sensitivity", 12) + "\n";
    for (const auto& trade_off : trade_offs) {
        table += pad_left(general(trade_off.cost), 14) + "  " + pad_left(general(trade_off.objective), 12) + "\n";
    }
    return table;
}

}  // namespace dyadic::ilp
