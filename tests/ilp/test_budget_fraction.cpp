// --frac budgets: parsing "metric=t[,metric=t]" and budget = min_total + t * (max_total - min_total).
#include <catch2/catch.hpp>

#include "ilp/bounds.h"
#include "ilp/budget_fraction.h"
#include "ilp/problem_json.h"
#include "ilp/solver.h"
#include "util/error.h"

using namespace dyadic::ilp;

namespace {

// Two untied layers: size totals range over {3+10, 3+40, 5+10, 5+40}; bops over {100+7, ...}.
const char* const kTwoLayers = R"({"layers": [
    {"name": "a", "choices": [{"bits": 4, "sensitivity": 0.5, "size_bits": 3, "bops": 100},
                              {"bits": 8, "sensitivity": 0.1, "size_bits": 5, "bops": 400}]},
    {"name": "b", "choices": [{"bits": 4, "sensitivity": 0.9, "size_bits": 10, "bops": 7},
                              {"bits": 8, "sensitivity": 0.2, "size_bits": 40, "bops": 28}]}]})";

}  // namespace

TEST_CASE("ilp: --frac text is parsed", "[ilp][frac]") {
    auto one = parse_budget_fractions("size=0.5");
    REQUIRE(one.size() == 1);
    REQUIRE(one[0].metric == "size");
    REQUIRE(one[0].fraction == 0.5);
    auto two = parse_budget_fractions("bops=0.25,latency=1");
    REQUIRE(two.size() == 2);
    REQUIRE(two[0].metric == "bops");
    REQUIRE(two[0].fraction == 0.25);
    REQUIRE(two[1].metric == "latency");
    REQUIRE(two[1].fraction == 1.0);
    REQUIRE(parse_budget_fractions("energy=0")[0].fraction == 0.0);

    for (const char* bad : {"", "size", "size=", "=0.5", "size=abc", "size=0.5x", "size=0.5,", ",size=0.5"}) {
        INFO(bad);
        REQUIRE_THROWS_AS(parse_budget_fractions(bad), dyadic::Error);
    }
    REQUIRE_THROWS_WITH(parse_budget_fractions("size=1.5"), Catch::Contains("outside [0, 1]"));
    REQUIRE_THROWS_WITH(parse_budget_fractions("size=-0.1"), Catch::Contains("outside [0, 1]"));
    REQUIRE_THROWS_WITH(parse_budget_fractions("size=nan"), Catch::Contains("not a number"));
}

TEST_CASE("ilp: --frac places the budget between the metric's min and max totals", "[ilp][frac]") {
    Problem problem = parse_problem(kTwoLayers);
    const MetricRange size = metric_range(problem, 0);
    REQUIRE(size.min_total == 13.0);  // 3 + 10
    REQUIRE(size.max_total == 45.0);  // 5 + 40
    REQUIRE(budget_at_fraction(size, 0.0) == 13.0);
    REQUIRE(budget_at_fraction(size, 1.0) == 45.0);
    REQUIRE(budget_at_fraction(size, 0.25) == 21.0);  // 13 + 0.25 * 32
    REQUIRE(budget_at_fraction(size, 0.5) == 29.0);

    apply_budget_fractions(problem, parse_budget_fractions("size=0.5,bops=0.25"));
    REQUIRE(problem.budgets.size() == 2);
    REQUIRE(problem.budgets[0].metric == 0);  // "size" is the unambiguous prefix of size_bits
    REQUIRE(problem.budgets[0].limit == 29.0);
    REQUIRE(problem.budgets[1].metric == 1);
    REQUIRE(problem.budgets[1].limit == Approx(107.0 + 0.25 * (428.0 - 107.0)).epsilon(1e-15));

    // A later fraction replaces the budget of the same metric.
    apply_budget_fractions(problem, parse_budget_fractions("size_bits=1"));
    REQUIRE(problem.budgets.size() == 2);
    REQUIRE(problem.budgets[0].limit == 45.0);
}

TEST_CASE("ilp: --frac endpoints are exactly feasible", "[ilp][frac]") {
    Problem problem = parse_problem(kTwoLayers);
    apply_budget_fractions(problem, parse_budget_fractions("size=0"));
    Solution cheapest = solve(problem);  // only the all-4-bit assignment fits
    REQUIRE(cheapest.status_name == "OPTIMAL");
    REQUIRE(cheapest.assignment == Assignment{0, 0});
    REQUIRE(cheapest.totals[0] == 13.0);

    apply_budget_fractions(problem, parse_budget_fractions("size=1"));
    Solution unconstrained = solve(problem);
    REQUIRE(unconstrained.assignment == Assignment{1, 1});
    REQUIRE(unconstrained.objective == 0.1 + 0.2);

    apply_budget_fractions(problem, parse_budget_fractions("size=0.25"));  // size <= 21: b must stay at 4 bits
    REQUIRE(solve(problem).assignment == Assignment{1, 0});
}

TEST_CASE("ilp: metric names in --frac resolve exactly or by unique prefix", "[ilp][frac]") {
    Problem problem = parse_problem(R"({"layers": [{"name": "a", "choices": [
        {"bits": 4, "sensitivity": 1, "size_bits": 1, "size_bytes": 1, "bops": 2}]}]})");
    REQUIRE(resolve_metric(problem, "bops") == 2);
    REQUIRE(resolve_metric(problem, "b") == 2);
    REQUIRE(resolve_metric(problem, "size_bits") == 0);
    REQUIRE_THROWS_WITH(resolve_metric(problem, "size"), Catch::Contains("'size' is ambiguous"));
    REQUIRE_THROWS_WITH(resolve_metric(problem, "latency"),
                        Catch::Contains("unknown metric 'latency' (the problem's metrics: size_bits, size_bytes, bops)"));
    REQUIRE_THROWS_AS(apply_budget_fractions(problem, parse_budget_fractions("energy=0.5")), dyadic::Error);
}

TEST_CASE("ilp: metric ranges follow ties", "[ilp][frac][ties]") {
    // Untied, the cheapest size is 1 + 1 = 2; tied, both layers take the same label: 4 -> 1 + 9, 8 -> 9 + 1.
    const Problem problem = parse_problem(R"({"layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 1, "size_bits": 1}, {"bits": 8, "sensitivity": 0, "size_bits": 9}]},
        {"name": "b", "choices": [{"bits": 8, "sensitivity": 0, "size_bits": 1}, {"bits": 4, "sensitivity": 1, "size_bits": 9}]}],
        "ties": [["a", "b"]]})");
    const MetricRange range = metric_range(problem, 0);
    REQUIRE(range.min_total == 10.0);
    REQUIRE(range.max_total == 10.0);
    REQUIRE(budget_at_fraction(range, 0.5) == 10.0);
}
