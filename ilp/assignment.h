#pragma once
// An assignment picks one choice per layer. Its totals are always summed the same way (in layer
// order, in double) so that budgets derived from totals (min/max, --frac endpoints) and the
// feasibility check of an answer agree to the last bit.
#include <cstddef>
#include <vector>

#include "ilp/problem.h"

namespace dyadic::ilp {

using Assignment = std::vector<std::size_t>;  // [layer] -> choice index

// Sum of the chosen choices' sensitivities.
double objective_of(const Problem& problem, const Assignment& assignment);

// Per metric, the sum over layers of the chosen choices' values.
std::vector<double> totals_of(const Problem& problem, const Assignment& assignment);

// True when every total is <= its budget, compared exactly in double.
bool within_budgets(const Problem& problem, const std::vector<double>& totals);

}  // namespace dyadic::ilp
