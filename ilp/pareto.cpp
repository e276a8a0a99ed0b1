#include "ilp/pareto.h"

#include <algorithm>
#include <chrono>

#include "ilp/bounds.h"
#include "ilp/budget_fraction.h"
#include "ilp/lp_model.h"
#include "ilp/lp_status.h"
#include "ilp/number_text.h"
#include "util/error.h"

namespace dyadic::ilp {

Frontier sweep_pareto(const Problem& problem, std::size_t metric, std::size_t count, const SolveOptions& options) {
    require(count >= 2, "a Pareto sweep needs at least 2 points");
    require(metric < problem.metrics.size(), "no such metric to sweep");
    const auto start = std::chrono::steady_clock::now();
    Frontier frontier;
    frontier.metric = metric;
    const MetricRange range = metric_range(problem, metric);
    BitAllocationModel model(problem);
    model.set_time_limit(options.time_limit_s);
    for (std::size_t i = 0; i < count; ++i) {
        const double fraction = static_cast<double>(i) / static_cast<double>(count - 1);
        FrontierPoint point;
        point.budget = budget_at_fraction(range, fraction);
        model.set_limit(metric, point.budget);
        LpOutcome outcome = model.solve();
        point.lp_status = outcome.lp_status;
        point.status_name = lp_status_name(outcome.lp_status);
        require(outcome.assignment || lp_status_is_infeasible(outcome.lp_status) || lp_status_is_timeout(outcome.lp_status),
                "lp_solve failed (" + point.status_name + ") at " + problem.metrics[metric] + " budget " +
                    number_text(point.budget));
        point.assignment = std::move(outcome.assignment);
        point.objective = outcome.objective;
        point.totals = std::move(outcome.totals);
        frontier.points.push_back(std::move(point));
    }
    frontier.solve_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return frontier;
}

}  // namespace dyadic::ilp

namespace dyadic::ilp {

std::vector<TradeOff> distinct_trade_offs(const Frontier& frontier) {
    std::vector<TradeOff> trade_offs;
    for (const auto& point : frontier.points) {
        if (point.assignment) trade_offs.push_back(TradeOff{point.totals[frontier.metric], point.objective});
    }
    std::sort(trade_offs.begin(), trade_offs.end(), [](const TradeOff& a, const TradeOff& b) {
        return a.cost != b.cost ? a.cost < b.cost : a.objective < b.objective;
    });
    trade_offs.erase(std::unique(trade_offs.begin(), trade_offs.end(),
                                 [](const TradeOff& a, const TradeOff& b) { return a.cost == b.cost; }),
                     trade_offs.end());
    return trade_offs;
}

}  // namespace dyadic::ilp
