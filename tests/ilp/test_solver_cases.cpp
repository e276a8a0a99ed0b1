// Hand-derived solver cases: infeasible budgets and their diagnosis, degenerate problems, custom metrics.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>

#include "brute_force.h"
#include "ilp/assignment.h"
#include "ilp/budget_fraction.h"
#include "ilp/problem_json.h"
#include "ilp/solver.h"

using namespace dyadic::ilp;

namespace {

// Runs solve() expecting an InfeasibleBudgetError; returns it.
InfeasibleBudgetError infeasibility_of(const Problem& problem) {
    try {
        solve(problem);
    } catch (const InfeasibleBudgetError& error) {
        return error;
    }
    FAIL("solve() did not report an infeasible budget");
    throw;  // unreachable
}

// Two layers with opposed costs: candidate 0 is small but slow, candidate 1 large but fast.
const char* const kOpposed = R"({"layers": [
    {"name": "a", "choices": [{"bits": 4, "sensitivity": 1, "size_bits": 1, "latency": 3},
                              {"bits": 8, "sensitivity": 0, "size_bits": 3, "latency": 1}]},
    {"name": "b", "choices": [{"bits": 4, "sensitivity": 1, "size_bits": 1, "latency": 3},
                              {"bits": 8, "sensitivity": 0, "size_bits": 3, "latency": 1}]}],
    "budgets": {"size_bits": 3, "latency": 3}})";

}  // namespace

TEST_CASE("ilp: a budget below its metric's minimum names the smallest achievable value", "[ilp][infeasible]") {
    const Problem problem = parse_problem(R"({"layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 0.5, "bops": 100.5}, {"bits": 8, "sensitivity": 0.1, "bops": 400}]},
        {"name": "b", "choices": [{"bits": 4, "sensitivity": 0.9, "bops": 7}, {"bits": 8, "sensitivity": 0.2, "bops": 28}]}],
        "budgets": {"bops": 50}})");
    const InfeasibleBudgetError error = infeasibility_of(problem);
    REQUIRE(std::string(error.what()) ==
            "infeasible budget: budget 'bops' <= 50 is infeasible: the smallest achievable bops is 107.5 "
            "(even with no other budget)");
    REQUIRE(error.diagnoses().size() == 1);
    REQUIRE(error.diagnoses()[0].smallest_achievable == 107.5);
    REQUIRE(error.diagnoses()[0].smallest_alone == 107.5);
}

TEST_CASE("ilp: budgets feasible alone but not together are diagnosed against each other", "[ilp][infeasible]") {
    // size <= 3 admits only (4, 4), whose latency is 6; latency <= 3 admits only (8, 8), size 6.
    const InfeasibleBudgetError error = infeasibility_of(parse_problem(kOpposed));
    const auto& diagnoses = error.diagnoses();
    REQUIRE(diagnoses.size() == 2);
    REQUIRE(diagnoses[0].metric == 0);
    REQUIRE(diagnoses[0].smallest_achievable == 6.0);
    REQUIRE(diagnoses[0].smallest_alone == 2.0);
    REQUIRE(diagnoses[1].metric == 1);
    REQUIRE(diagnoses[1].smallest_achievable == 6.0);
    REQUIRE(diagnoses[1].smallest_alone == 2.0);
    REQUIRE_THAT(error.what(), Catch::Contains("budget 'size_bits' <= 3 is infeasible: the smallest achievable "
                                               "size_bits is 6 under the other budgets (2 without them)"));
    REQUIRE_THAT(error.what(), Catch::Contains("budget 'latency' <= 3 is infeasible"));

    // Loosening one of them to the reported value makes the problem feasible.
    Problem fixed = parse_problem(kOpposed);
    set_budget(fixed, 0, *diagnoses[0].smallest_achievable);
    REQUIRE(solve(fixed).assignment == Assignment{1, 1});
}

TEST_CASE("ilp: budgets that conflict pairwise are reported together", "[ilp][infeasible]") {
    // Each candidate is free in one metric only; any two budgets of 0.5 exclude every candidate.
    const Problem problem = parse_problem(R"({"layers": [{"name": "only", "choices": [
        {"bits": "x", "sensitivity": 0, "size_bits": 0, "bops": 1, "latency": 1},
        {"bits": "y", "sensitivity": 0, "size_bits": 1, "bops": 0, "latency": 1},
        {"bits": "z", "sensitivity": 0, "size_bits": 1, "bops": 1, "latency": 0}]}],
        "budgets": {"size_bits": 0.5, "bops": 0.5, "latency": 0.5}})");
    const InfeasibleBudgetError error = infeasibility_of(problem);
    for (const auto& diagnosis : error.diagnoses()) {
        REQUIRE_FALSE(diagnosis.smallest_achievable.has_value());
        REQUIRE(diagnosis.smallest_alone == 0.0);
    }
    REQUIRE_THAT(error.what(), Catch::StartsWith("the budgets cannot be met together, and dropping any single one "
                                                 "does not help: size_bits <= 0.5 (alone it could be as low as 0);"));
}

TEST_CASE("ilp: layers with a single choice need no decision", "[ilp][degenerate]") {
    const std::string layers = R"("layers": [
        {"name": "stem", "choices": [{"bits": 8, "sensitivity": 0.25, "size_bits": 10}]},
        {"name": "fc", "choices": [{"bits": 8, "sensitivity": 0.5, "size_bits": 20}]})";
    const Solution solution = solve(parse_problem("{" + layers + R"(], "budgets": {"size_bits": 30}})"));
    REQUIRE(solution.status_name == "OPTIMAL");
    REQUIRE(solution.assignment == Assignment{0, 0});
    REQUIRE(solution.objective == 0.75);
    REQUIRE(solution.totals == std::vector<double>{30.0});

    const InfeasibleBudgetError error = infeasibility_of(parse_problem("{" + layers + R"(], "budgets": {"size_bits": 29}})"));
    REQUIRE(error.diagnoses()[0].smallest_achievable == 30.0);

    // Mixed with a real decision.
    const Solution mixed = solve(parse_problem("{" + layers + R"(, {"name": "x", "choices": [
        {"bits": 4, "sensitivity": 1, "size_bits": 1}, {"bits": 8, "sensitivity": 0, "size_bits": 2}]}],
        "budgets": {"size_bits": 31.5}})"));
    REQUIRE(mixed.assignment == Assignment{0, 0, 0});
}

TEST_CASE("ilp: without budgets every decision takes its least sensitive candidate", "[ilp][degenerate]") {
    const Problem problem = parse_problem(R"({"layers": [
        {"name": "a", "choices": [{"bits": 2, "sensitivity": 3}, {"bits": 4, "sensitivity": 1}, {"bits": 8, "sensitivity": 2}]},
        {"name": "b", "choices": [{"bits": 2, "sensitivity": 0.5}, {"bits": 4, "sensitivity": 0.7}, {"bits": 8, "sensitivity": 0.6}]}]})");
    const Solution solution = solve(problem);
    REQUIRE(solution.assignment == Assignment{1, 0});
    REQUIRE(solution.objective == 1.5);
    REQUIRE(solution.totals.empty());
}

TEST_CASE("ilp: a custom metric ('energy') is budgeted like the built-in ones", "[ilp][custom-metric]") {
    const std::string layers = R"("layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 0.6, "size_bits": 4, "energy": 1.5},
                                  {"bits": 8, "sensitivity": 0.1, "size_bits": 8, "energy": 4.0}]},
        {"name": "b", "choices": [{"bits": 4, "sensitivity": 0.4, "size_bits": 4, "energy": 1.0},
                                  {"bits": 8, "sensitivity": 0.3, "size_bits": 8, "energy": 2.5}]},
        {"name": "c", "choices": [{"bits": 4, "sensitivity": 0.9, "size_bits": 4, "energy": 2.0},
                                  {"bits": 8, "sensitivity": 0.2, "size_bits": 8, "energy": 3.0}]}])";
    // energy <= 7: all-8 needs 9.5; dropping a to 4 bits saves 2.5 (cost 0.5 sensitivity), c saves 1 (0.7),
    // b saves 1.5 (0.1). Best within 7: a=4, b=8, c=8 (1.5 + 2.5 + 3 = 7) at 0.6 + 0.3 + 0.2 = 1.1, or
    // a=8, b=4, c=4 (4 + 1 + 2 = 7) at 0.1 + 0.4 + 0.9 = 1.4, or a=8, b=4, c=8: 8 > 7.
    const Problem problem = parse_problem("{" + layers + R"(, "budgets": {"energy": 7}})");
    REQUIRE(problem.metrics == std::vector<std::string>{"size_bits", "energy"});
    const Solution solution = solve(problem);
    REQUIRE(solution.assignment == Assignment{0, 1, 1});
    REQUIRE(solution.objective == Approx(1.1).epsilon(1e-15));
    REQUIRE(solution.totals == std::vector<double>{20.0, 7.0});
    REQUIRE(testing::brute_force(problem).best_objective == solution.objective);

    // --frac works on it too: energy from 4.5 (all 4-bit) to 9.5 (all 8-bit); 0.5 -> 7.
    Problem by_fraction = parse_problem("{" + layers + "}");
    apply_budget_fractions(by_fraction, parse_budget_fractions("energy=0.5"));
    REQUIRE(by_fraction.budgets[0].limit == 7.0);
    REQUIRE(solve(by_fraction).assignment == Assignment{0, 1, 1});

    // An infeasible energy budget is named like any other.
    const InfeasibleBudgetError error = infeasibility_of(parse_problem("{" + layers + R"(, "budgets": {"energy": 4}})"));
    REQUIRE_THAT(error.what(), Catch::Contains("budget 'energy' <= 4 is infeasible: the smallest achievable energy is 4.5"));
}

TEST_CASE("ilp: the time limit ends a long solve with lp_solve's best assignment, marked SUBOPTIMAL", "[ilp][time-limit]") {
    // 200 layers of 3 random candidates under three tight budgets: lp_solve needs far longer than
    // a second to prove optimality (about 18 s on the development machine).
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> spread(0.5, 1.5);
    Problem problem;
    problem.metrics = {"a", "b", "c"};
    for (int l = 0; l < 200; ++l) {
        Layer layer;
        layer.name = "l";
        layer.name += std::to_string(l);
        for (int k = 0; k < 3; ++k) {
            Choice choice;
            choice.label = std::to_string(k);
            choice.sensitivity = spread(rng) * (3 - k);
            choice.metric_values = {spread(rng) * (k + 1), spread(rng) * (k + 1), spread(rng) * (k + 1)};
            layer.choices.push_back(choice);
        }
        problem.layers.push_back(layer);
    }
    for (std::size_t m = 0; m < 3; ++m) problem.budgets.push_back(Budget{m, 400.0});
    SolveOptions options;
    options.time_limit_s = 1;
    const auto start = std::chrono::steady_clock::now();
    const Solution solution = solve(problem, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(solution.status_name == "SUBOPTIMAL");
    REQUIRE(seconds < 10.0);
    REQUIRE(within_budgets(problem, totals_of(problem, solution.assignment)));
    REQUIRE(solution.objective == objective_of(problem, solution.assignment));
}
