#pragma once
// One budget set of a sweep, items separated by commas:
//   "latency=0.5"      a fraction of the configuration's own range (dyadic ilp --frac), so each
//                      hardware gets bits that fit it;
//   "latency<=30000"   an absolute limit, the same for every configuration, so configurations
//                      compare at one target.
// Both kinds mix: "latency<=30000,size=0.5". A metric may be named by a unique prefix.
#include <string>
#include <utility>
#include <vector>

#include "ilp/budget_fraction.h"
#include "ilp/problem.h"

namespace dyadic::cli::explore {

struct BudgetSet {
    std::string text;  // as written
    std::vector<ilp::BudgetFraction> fractions;
    std::vector<std::pair<std::string, double>> limits;  // (metric as written, absolute limit)
};

// Throws Error naming the item for a malformed item, a fraction outside [0, 1] or a limit that is
// negative or not finite.
BudgetSet parse_budget_set(const std::string& text);

// Sets the set's budgets on `problem` (absolute limits, then fractions of the metrics' ranges).
// Throws Error for a metric the problem lacks.
void apply_budget_set(ilp::Problem& problem, const BudgetSet& budgets);

}  // namespace dyadic::cli::explore
