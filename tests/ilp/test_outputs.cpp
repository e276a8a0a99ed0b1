// What the solver writes: the result JSON, the frontier CSV and SVG, the terminal table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ilp/assignment.h"
#include "ilp/frontier_csv.h"
#include "ilp/frontier_svg.h"
#include "ilp/pareto.h"
#include "ilp/problem_json.h"
#include "ilp/result_json.h"
#include "ilp/result_table.h"
#include "ilp/solver.h"

using namespace dyadic::ilp;

namespace {

// Three layers, listed out of alphabetical order, numeric and string labels, three metrics.
const char* const kProblem = R"({"layers": [
    {"name": "z.conv", "choices": [{"bits": 4, "sensitivity": 0.5, "size_bits": 4, "bops": 16, "latency": 0.25},
                                   {"bits": 8, "sensitivity": 0.0, "size_bits": 8, "bops": 64, "latency": 0.5}]},
    {"name": "a.conv", "choices": [{"bits": "w4a8", "sensitivity": 0.75, "size_bits": 4, "bops": 32, "latency": 0.25},
                                   {"bits": "w8a8", "sensitivity": 0.125, "size_bits": 8, "bops": 64, "latency": 0.5}]},
    {"name": "m.fc", "choices": [{"bits": 4, "sensitivity": 0.25, "size_bits": 2, "bops": 8, "latency": 0.125},
                                 {"bits": 8, "sensitivity": 0.0, "size_bits": 4, "bops": 32, "latency": 0.25}]}],
    "budgets": {"bops": 112, "latency": 1.5}})";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("ilp: the result JSON lists the assignment in input order with every total", "[ilp][output]") {
    const Problem problem = parse_problem(kProblem);
    const Solution solution = solve(problem);
    // bops <= 112: all 8 needs 160; z=4 saves 48 (cost 0.5), a=w4a8 saves 32 (0.625), m=4 saves 24 (0.25).
    // z=4 alone gives 112 at 0.5; a=w4a8 + m=4 gives 104 at 0.875. Optimum: z=4, a=w8a8, m=8.
    REQUIRE(solution.assignment == Assignment{0, 1, 1});

    const auto json = nlohmann::ordered_json::parse(solution_to_json(problem, solution));
    REQUIRE(json.at("status") == "OPTIMAL");
    REQUIRE(json.at("objective").get<double>() == 0.625);
    REQUIRE(json.at("solve_time_s").get<double>() >= 0.0);
    const auto& assignment = json.at("assignment");
    std::vector<std::string> order;
    for (const auto& [name, bits] : assignment.items()) order.push_back(name);
    REQUIRE(order == std::vector<std::string>{"z.conv", "a.conv", "m.fc"});
    REQUIRE(assignment.at("z.conv").is_number_integer());
    REQUIRE(assignment.at("z.conv").get<int>() == 4);
    REQUIRE(assignment.at("a.conv").get<std::string>() == "w8a8");
    REQUIRE(assignment.at("m.fc").get<int>() == 8);
    const auto& totals = json.at("totals");
    REQUIRE(totals.at("size_bits").get<double>() == 4 + 8 + 4);
    REQUIRE(totals.at("bops").get<double>() == 16 + 64 + 32);
    REQUIRE(totals.at("latency").get<double>() == 0.25 + 0.5 + 0.25);
    REQUIRE(json.at("budgets").size() == 2);
    REQUIRE(json.at("budgets").at("bops").get<double>() == 112);
}

TEST_CASE("ilp: the terminal table shows status, layers and totals against budgets", "[ilp][output]") {
    const Problem problem = parse_problem(kProblem);
    const std::string table = solution_table(problem, solve(problem));
    REQUIRE_THAT(table, Catch::StartsWith("status OPTIMAL, objective (total sensitivity) 0.625"));
    REQUIRE_THAT(table, Catch::Contains("a.conv    w8a8"));
    REQUIRE(std::regex_search(table, std::regex("bops +112 +112 +100.0%")));
    REQUIRE(std::regex_search(table, std::regex("size_bits +16 +- +-")));
}

TEST_CASE("ilp: a Pareto sweep is written as CSV, one row per budget", "[ilp][output][pareto]") {
    Problem problem = parse_problem(kProblem);
    // The sweep replaces the bops budget; latency <= 1.125 rules out all-8 (1.25).
    set_budget(problem, 2, 1.125);
    const Frontier frontier = sweep_pareto(problem, 1, 5);
    // bops from 56 (all 4) to 160 (all 8): budgets 56, 82, 108, 134, 160. The eight assignments
    // (z, a, m) by bops: 444 56, 448 80, 484 88, 844 104, 488 112, 848 128, 884 136, 888 160.
    REQUIRE(lines_of(frontier_to_csv(problem, frontier)) == std::vector<std::string>{
                                                                 "bops_budget,status,objective,size_bits,bops,latency",
                                                                 "56,OPTIMAL,1.5,10,56,0.625",
                                                                 "82,OPTIMAL,1.25,12,80,0.75",
                                                                 "108,OPTIMAL,0.875,14,88,0.875",
                                                                 "134,OPTIMAL,0.625,16,112,1",
                                                                 "160,OPTIMAL,0.375,18,136,1.125",
                                                             });
}

TEST_CASE("ilp: infeasible sweep points are kept, with empty values", "[ilp][output][pareto]") {
    Problem problem = parse_problem(kProblem);
    set_budget(problem, 2, 0.5);  // below the cheapest latency (0.625): nothing is feasible
    const Frontier none = sweep_pareto(problem, 1, 3);
    for (const auto& point : none.points) REQUIRE(point.status_name == "INFEASIBLE");
    REQUIRE(lines_of(frontier_to_csv(problem, none)) == std::vector<std::string>{
                                                            "bops_budget,status,objective,size_bits,bops,latency",
                                                            "56,INFEASIBLE,,,,",
                                                            "108,INFEASIBLE,,,,",
                                                            "160,INFEASIBLE,,,,",
                                                        });
    REQUIRE_THAT(frontier_to_svg(problem, none), Catch::Contains("no budget in the sweep is feasible"));
}

TEST_CASE("ilp: the frontier SVG has axes, ticks, one marker per trade-off and a staircase", "[ilp][output][pareto]") {
    Problem problem = parse_problem(kProblem);
    problem.budgets.clear();
    const Frontier frontier = sweep_pareto(problem, 1, 9);
    const auto trade_offs = distinct_trade_offs(frontier);
    // (bops, sensitivity): 444 (56, 1.5), 448 (80, 1.25), 484 (88, 0.875), 488 (112, 0.625),
    // 884 (136, 0.375), 888 (160, 0.125); the other assignments are dominated.
    REQUIRE(trade_offs.size() == 6);
    REQUIRE(trade_offs[1].cost == 80);
    REQUIRE(trade_offs[4].objective == 0.375);
    for (std::size_t i = 1; i < trade_offs.size(); ++i) {
        REQUIRE(trade_offs[i].cost > trade_offs[i - 1].cost);
        REQUIRE(trade_offs[i].objective < trade_offs[i - 1].objective);  // a staircase down
    }
    const std::string svg = frontier_to_svg(problem, frontier);
    REQUIRE_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    REQUIRE_THAT(svg, Catch::EndsWith("</svg>\n"));
    REQUIRE_THAT(svg, Catch::Contains("bops (achieved total)"));
    REQUIRE_THAT(svg, Catch::Contains("total sensitivity"));

    // Markers: one per trade-off, inside the plot area (x in [90, 690], y in [40, 390]).
    const std::regex circle("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");
    std::vector<std::pair<double, double>> markers;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator(); ++it) {
        markers.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
    }
    REQUIRE(markers.size() == trade_offs.size());
    for (std::size_t i = 0; i < markers.size(); ++i) {
        REQUIRE(markers[i].first >= 90.0);
        REQUIRE(markers[i].first <= 690.0);
        REQUIRE(markers[i].second >= 40.0);
        REQUIRE(markers[i].second <= 390.0);
        if (i > 0) {
            REQUIRE(markers[i].first > markers[i - 1].first);    // cost grows to the right
            REQUIRE(markers[i].second > markers[i - 1].second);  // objective falls (SVG y grows down)
        }
    }
    // The staircase: horizontal then vertical segments, two per step.
    const std::regex path("<path d=\"M[0-9.]+,[0-9.]+((?: H[0-9.]+ V[0-9.]+)*)\"");
    std::smatch match;
    REQUIRE(std::regex_search(svg, match, path));
    const std::string steps = match[1];
    REQUIRE(static_cast<std::size_t>(std::count(steps.begin(), steps.end(), 'H')) == trade_offs.size() - 1);
    // Ticks with labels on both axes.
    const std::regex tick_label("<text x=\"[0-9.]+\" y=\"[0-9.]+\" text-anchor=\"(middle|end)\">-?[0-9.e+-]+</text>");
    const auto labels = std::distance(std::sregex_iterator(svg.begin(), svg.end(), tick_label), std::sregex_iterator());
    REQUIRE(labels >= 6);
}

TEST_CASE("ilp: metric names are escaped in SVG and quoted in CSV", "[ilp][output]") {
    const Problem problem = parse_problem(R"({"layers": [{"name": "a", "choices": [
        {"bits": 4, "sensitivity": 1, "a<b,\"c\"": 1}, {"bits": 8, "sensitivity": 0, "a<b,\"c\"": 2}]}]})");
    const Frontier frontier = sweep_pareto(problem, 0, 2);
    REQUIRE_THAT(frontier_to_svg(problem, frontier), Catch::Contains("a&lt;b,&quot;c&quot; (achieved total)"));
    REQUIRE(lines_of(frontier_to_csv(problem, frontier))[0] == "\"a<b,\"\"c\"\"_budget\",status,objective,\"a<b,\"\"c\"\"\"");
}
