#pragma once
// A Pareto sweep as CSV, one row per swept budget:
//   <metric>_budget,status,objective,<total of each metric>...
// objective and totals are empty where no assignment meets the budgets.
#include <string>

#include "ilp/pareto.h"
#include "ilp/problem.h"

namespace dyadic::ilp {

std::string frontier_to_csv(const Problem& problem, const Frontier& frontier);

}  // namespace dyadic::ilp
