#pragma once
// The solver's answer as JSON:
//   { "status": "OPTIMAL", "objective": 0.42, "solve_time_s": 0.0012,
//     "assignment": { "layer1.0.conv1": 4, ... },          (input order; bits as in the problem file)
//     "totals":  { "size_bits": ..., "bops": ..., ... },   (every metric)
//     "budgets": { "bops": ..., ... } }                    (the budgets in force)
#include <string>

#include "ilp/problem.h"
#include "ilp/solver.h"

namespace dyadic::ilp {

std::string solution_to_json(const Problem& problem, const Solution& solution);

}  // namespace dyadic::ilp
