#pragma once
// Seeded random bit-allocation problems small enough for brute force: up to 20 layers with 2 or
// 3 candidates, random ties (as one list or as overlapping pairs, labels in shuffled order per
// member), 1 to 4 metrics and 1 to 3 budgets, some infeasible, some exactly at an achievable total.
#include <cstdint>

#include "ilp/problem.h"

namespace dyadic::ilp::testing {

struct RandomProblemLimits {
    int max_layers = 20;
    double max_assignments = 20000.0;  // keeps the brute force cheap
};

Problem random_problem(std::uint64_t seed, const RandomProblemLimits& limits = {});

}  // namespace dyadic::ilp::testing
