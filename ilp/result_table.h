#pragma once
// Short human-readable summaries for a terminal: the chosen bits per layer and each metric's total
// against its budget; a Pareto sweep's distinct trade-offs.
#include <string>

#include "ilp/pareto.h"
#include "ilp/problem.h"
#include "ilp/solver.h"

namespace dyadic::ilp {

std::string solution_table(const Problem& problem, const Solution& solution);

std::string frontier_table(const Problem& problem, const Frontier& frontier);

}  // namespace dyadic::ilp
