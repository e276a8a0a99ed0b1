#pragma once
// An independent exhaustive solver for small bit-allocation problems: enumerate every assignment
// that respects the ties (its own union-find and label matching, not ilp/ties.h), sum in double.
#include <cstddef>
#include <optional>
#include <vector>

#include "ilp/problem.h"

namespace dyadic::ilp::testing {

struct BruteForceResult {
    std::optional<double> best_objective;  // least summed sensitivity within all budgets
    // Per budget (in problem.budgets order): the least total of its metric over assignments within
    // the other budgets, nullopt when none is.
    std::vector<std::optional<double>> smallest_under_others;
    std::vector<double> min_total;  // per metric, over every tie-respecting assignment
    std::vector<double> max_total;
    std::size_t assignments = 0;    // how many were enumerated
};

BruteForceResult brute_force(const Problem& problem);

// Number of tie-respecting assignments, without enumerating them.
double assignment_count(const Problem& problem);

}  // namespace dyadic::ilp::testing
