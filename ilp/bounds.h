#pragma once
// The range a metric's total can take: every decision (tie group) at its cheapest or at its
// dearest candidate for that metric, ignoring all budgets. The --frac and --pareto budgets are
// placed inside this range.
#include <cstddef>

#include "ilp/assignment.h"
#include "ilp/problem.h"

namespace dyadic::ilp {

struct MetricRange {
    double min_total = 0.0;
    double max_total = 0.0;
    Assignment cheapest;  // an assignment whose total is min_total
    Assignment dearest;   // an assignment whose total is max_total
};

MetricRange metric_range(const Problem& problem, std::size_t metric);

}  // namespace dyadic::ilp
