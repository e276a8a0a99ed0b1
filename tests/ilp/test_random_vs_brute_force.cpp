// The ILP against exhaustive enumeration on hundreds of seeded random problems: same optimum, same
// verdict on infeasibility, same smallest achievable budgets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "brute_force.h"
#include "ilp/assignment.h"
#include "ilp/bounds.h"
#include "ilp/lp_status.h"
#include "ilp/pareto.h"
#include "ilp/budget_fraction.h"
#include "ilp/solver.h"
#include "random_problem.h"

using namespace dyadic::ilp;
using namespace dyadic::ilp::testing;

namespace {

// Sums of doubles taken in different association orders may differ in the last bits; lp_solve's
// MIP gap is 1e-9 relative. Distinct assignments of random problems differ by far more.
bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

bool close(const std::optional<double>& a, const std::optional<double>& b) {
    return a.has_value() == b.has_value() && (!a || close(*a, *b));
}

std::string describe(const std::optional<double>& value) {
    if (!value) return "none";
    std::ostringstream text;
    text.precision(17);
    text << *value;
    return text.str();
}

// Tied layers took the same label, and the assignment meets every budget exactly in double.
void check_assignment(const Problem& problem, const Assignment& assignment) {
    for (const auto& tie : problem.ties) {
        for (std::size_t layer : tie) {
            REQUIRE(problem.layers[layer].choices[assignment[layer]].label ==
                    problem.layers[tie.front()].choices[assignment[tie.front()]].label);
        }
    }
    REQUIRE(within_budgets(problem, totals_of(problem, assignment)));
}

}  // namespace

TEST_CASE("ilp: optimum equals brute force on random problems, feasible and infeasible", "[ilp][brute]") {
    constexpr int kSeeds = 400;
    int feasible = 0;
    int infeasible = 0;
    int single_budget_at_fault = 0;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        INFO("seed " << seed);
        const Problem problem = random_problem(static_cast<std::uint64_t>(seed));
        const BruteForceResult expected = brute_force(problem);
        if (expected.best_objective) {
            const Solution solution = solve(problem);
            ++feasible;
            REQUIRE(solution.status_name == "OPTIMAL");
            INFO("ILP " << solution.objective << ", brute force " << *expected.best_objective);
            REQUIRE(close(solution.objective, *expected.best_objective));
            REQUIRE(solution.objective == objective_of(problem, solution.assignment));
            check_assignment(problem, solution.assignment);
        } else {
            ++infeasible;
            try {
                solve(problem);
                FAIL("the ILP found an assignment although brute force found none");
            } catch (const InfeasibleBudgetError& error) {
                const auto& diagnoses = error.diagnoses();
                REQUIRE(diagnoses.size() == problem.budgets.size());
                bool some_unreachable = false;
                for (std::size_t b = 0; b < diagnoses.size(); ++b) {
                    INFO("budget " << problem.metrics[diagnoses[b].metric] << ": ILP "
                                   << describe(diagnoses[b].smallest_achievable) << ", brute force "
                                   << describe(expected.smallest_under_others[b]));
                    REQUIRE(diagnoses[b].metric == problem.budgets[b].metric);
                    REQUIRE(close(diagnoses[b].smallest_achievable, expected.smallest_under_others[b]));
                    REQUIRE(close(diagnoses[b].smallest_alone, expected.min_total[diagnoses[b].metric]));
                    if (diagnoses[b].unreachable()) {
                        some_unreachable = true;
                        // The error names the budget at fault.
                        REQUIRE_THAT(error.what(), Catch::Contains("'" + problem.metrics[diagnoses[b].metric] + "'"));
                    }
                }
                single_budget_at_fault += some_unreachable ? 1 : 0;
            }
        }
    }
    // The generator must exercise both outcomes substantially.
    CHECK(feasible >= kSeeds / 4);
    CHECK(infeasible >= kSeeds / 10);
    CHECK(single_budget_at_fault >= 1);
}

TEST_CASE("ilp: smallest achievable budgets equal brute force on feasible problems too", "[ilp][brute]") {
    for (int seed = 1001; seed <= 1200; ++seed) {
        INFO("seed " << seed);
        const Problem problem = random_problem(static_cast<std::uint64_t>(seed));
        const BruteForceResult expected = brute_force(problem);
        const auto diagnoses = diagnose_budgets(problem);
        REQUIRE(diagnoses.size() == problem.budgets.size());
        for (std::size_t b = 0; b < diagnoses.size(); ++b) {
            INFO("budget " << b << ": ILP " << describe(diagnoses[b].smallest_achievable) << ", brute force "
                           << describe(expected.smallest_under_others[b]));
            REQUIRE(close(diagnoses[b].smallest_achievable, expected.smallest_under_others[b]));
        }
    }
}

TEST_CASE("ilp: metric ranges respect ties and equal brute force", "[ilp][brute]") {
    for (int seed = 2001; seed <= 2200; ++seed) {
        INFO("seed " << seed);
        const Problem problem = random_problem(static_cast<std::uint64_t>(seed));
        const BruteForceResult expected = brute_force(problem);
        for (std::size_t m = 0; m < problem.metrics.size(); ++m) {
            const MetricRange range = metric_range(problem, m);
            REQUIRE(close(range.min_total, expected.min_total[m]));
            REQUIRE(close(range.max_total, expected.max_total[m]));
            REQUIRE(totals_of(problem, range.cheapest)[m] == range.min_total);
            REQUIRE(totals_of(problem, range.dearest)[m] == range.max_total);
        }
    }
}

TEST_CASE("ilp: each Pareto sweep point equals brute force at its budget", "[ilp][brute][pareto]") {
    RandomProblemLimits limits;
    limits.max_assignments = 2000.0;
    for (int seed = 3001; seed <= 3060; ++seed) {
        INFO("seed " << seed);
        const Problem problem = random_problem(static_cast<std::uint64_t>(seed), limits);
        const std::size_t metric = problem.budgets.front().metric;
        const Frontier frontier = sweep_pareto(problem, metric, 6);
        REQUIRE(frontier.points.size() == 6);
        const MetricRange range = metric_range(problem, metric);
        for (std::size_t i = 0; i < frontier.points.size(); ++i) {
            const FrontierPoint& point = frontier.points[i];
            REQUIRE(point.budget == budget_at_fraction(range, static_cast<double>(i) / 5.0));
            Problem at_point = problem;
            set_budget(at_point, metric, point.budget);
            const BruteForceResult expected = brute_force(at_point);
            REQUIRE(point.assignment.has_value() == expected.best_objective.has_value());
            if (point.assignment) {
                REQUIRE(point.status_name == "OPTIMAL");
                REQUIRE(close(point.objective, *expected.best_objective));
                check_assignment(at_point, *point.assignment);
            } else {
                REQUIRE(point.status_name == "INFEASIBLE");
            }
        }
    }
}
