#pragma once
// The sensitivity / cost trade-off of one metric: solve the ILP at `count` budgets evenly spaced
// from the metric's min_total to its max_total, keeping the problem's other budgets. The model is
// built once and re-solved with each new limit.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ilp/assignment.h"
#include "ilp/problem.h"
#include "ilp/solve_options.h"

namespace dyadic::ilp {

struct FrontierPoint {
    double budget = 0.0;                   // the swept metric's limit at this point
    int lp_status = 0;                     // lp_solve's code: INFEASIBLE when the other budgets forbid
                                           // it, SUBOPTIMAL or TIMEOUT at the time limit
    std::string status_name;
    std::optional<Assignment> assignment;  // present when a solution was found
    double objective = 0.0;
    std::vector<double> totals;            // per metric
};

struct Frontier {
    std::size_t metric = 0;  // the swept metric
    std::vector<FrontierPoint> points;
    double solve_seconds = 0.0;  // wall time of the whole sweep
};

// One distinct trade-off the sweep found: the swept metric's achieved total and the objective.
struct TradeOff {
    double cost = 0.0;
    double objective = 0.0;
};

// The distinct trade-offs of the solved points, by ascending cost; for equal costs the least
// objective. Every swept point is optimal for its budget, so these form a staircase whose
// objective falls as cost grows.
std::vector<TradeOff> distinct_trade_offs(const Frontier& frontier);

// Throws Error when count < 2 or lp_solve fails at a point (other than by infeasibility or the
// time limit, which are recorded in the point).
Frontier sweep_pareto(const Problem& problem, std::size_t metric, std::size_t count, const SolveOptions& options = {});

}  // namespace dyadic::ilp
