#pragma once
// Budgets given as a fraction t of a metric's range: budget = min_total + t * (max_total - min_total),
// t in [0, 1] (0: the cheapest possible total, only the cheapest assignment fits; 1: no constraint).
// Written on the command line as "size=0.5" or "bops=0.25,latency=0.5"; a metric may be named by
// an unambiguous prefix ("size" for "size_bits").
#include <string>
#include <vector>

#include "ilp/bounds.h"
#include "ilp/problem.h"

namespace dyadic::ilp {

struct BudgetFraction {
    std::string metric;  // as written; resolved against the problem's metrics when applied
    double fraction = 0.0;
};

// Parses "name=t[,name=t...]". Throws Error on malformed text or t outside [0, 1].
std::vector<BudgetFraction> parse_budget_fractions(const std::string& text);

// The budget a fraction t of the range stands for; exactly min_total at t = 0 and max_total at t = 1.
double budget_at_fraction(const MetricRange& range, double fraction);

// Sets (or replaces) the budget of each named metric.
void apply_budget_fractions(Problem& problem, const std::vector<BudgetFraction>& fractions);

}  // namespace dyadic::ilp
