// Tied layers take the same candidate, matched by bits label.
#include <catch2/catch.hpp>

#include "ilp/problem_json.h"
#include "ilp/solver.h"
#include "ilp/ties.h"

using namespace dyadic::ilp;

namespace {

std::string label_of(const Problem& problem, const Solution& solution, std::size_t layer) {
    return problem.layers[layer].choices[solution.assignment[layer]].label;
}

}  // namespace

TEST_CASE("ilp: a tie changes the optimum and both layers take the same label", "[ilp][ties]") {
    // Budget size <= 6. Untied, the best is a=4, b=8 (size 1 + 5, sensitivity 0.1 + 0). Tied, a and b
    // choose together: both 8 is too big (10), so both take 4 (size 2, sensitivity 0.1 + 1).
    const std::string layers = R"("layers": [
        {"name": "a", "choices": [{"bits": 4, "sensitivity": 0.1, "size_bits": 1}, {"bits": 8, "sensitivity": 0.0, "size_bits": 5}]},
        {"name": "b", "choices": [{"bits": 8, "sensitivity": 0.0, "size_bits": 5}, {"bits": 4, "sensitivity": 1.0, "size_bits": 1}]}],
        "budgets": {"size_bits": 6})";
    const Problem untied = parse_problem("{" + layers + "}");
    const Solution free_solution = solve(untied);
    REQUIRE(free_solution.objective == 0.1);
    REQUIRE(label_of(untied, free_solution, 0) == "4");
    REQUIRE(label_of(untied, free_solution, 1) == "8");

    const Problem tied = parse_problem("{" + layers + R"(, "ties": [["a", "b"]]})");
    const Solution solution = solve(tied);
    REQUIRE(solution.status_name == "OPTIMAL");
    REQUIRE(label_of(tied, solution, 0) == "4");
    REQUIRE(label_of(tied, solution, 1) == "4");  // b lists its labels in the other order
    REQUIRE(solution.assignment == Assignment{0, 1});
    REQUIRE(solution.objective == 0.1 + 1.0);
    REQUIRE(solution.totals[0] == 2.0);
}

TEST_CASE("ilp: chained and repeated ties merge into one decision", "[ilp][ties]") {
    const Problem problem = parse_problem(R"({"layers": [
        {"name": "a", "choices": [{"bits": "w4a8", "sensitivity": 0.0}, {"bits": "w8a8", "sensitivity": 5.0}]},
        {"name": "b", "choices": [{"bits": "w8a8", "sensitivity": 0.0}, {"bits": "w4a8", "sensitivity": 1.0}]},
        {"name": "c", "choices": [{"bits": "w4a8", "sensitivity": 3.0}, {"bits": "w8a8", "sensitivity": 0.0}]},
        {"name": "d", "choices": [{"bits": "w4a8", "sensitivity": 7.0}, {"bits": "w8a8", "sensitivity": 0.0}]}],
        "ties": [["a", "b"], ["c", "b", "b"], ["d"]]})");
    const auto groups = build_tie_groups(problem);
    REQUIRE(groups.size() == 2);
    REQUIRE(groups[0].layers == std::vector<std::size_t>{0, 1, 2});
    REQUIRE(groups[0].labels == std::vector<std::string>{"w4a8", "w8a8"});
    REQUIRE(groups[0].choice_index == std::vector<std::vector<std::size_t>>{{0, 1, 0}, {1, 0, 1}});
    REQUIRE(groups[1].layers == std::vector<std::size_t>{3});

    // a, b, c together: w4a8 costs 0 + 1 + 3 = 4, w8a8 costs 5 + 0 + 0 = 5.
    const Solution solution = solve(problem);
    REQUIRE(solution.assignment == Assignment{0, 1, 0, 1});
    REQUIRE(solution.objective == 4.0);
}
