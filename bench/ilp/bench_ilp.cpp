// Timing of the bit-allocation ILP on a ResNet50-like problem (52 layers, 2 choices, 3 budgets):
// one solve (target < 10 ms) and a 100-point Pareto sweep (target < 1 s).
//   bench_ilp [--seed N] [--repeats N] [--pareto-points N] [--write-problem FILE]
// Prints a JSON summary, then a table.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ilp/pareto.h"
#include "ilp/problem_json.h"
#include "ilp/solver.h"
#include "util/error.h"
#include "resnet50_problem.h"

using namespace dyadic::ilp;

namespace {

// Wall time, and this process's CPU time: on a shared machine the wall time also counts the
// time other processes held the core, the CPU time does not.
struct Timing {
    double min_ms;
    double median_ms;
    double max_ms;
    double median_cpu_ms;
};

double median(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

template <typename Work>
Timing time_repeats(int repeats, Work&& work) {
    std::vector<double> wall;
    std::vector<double> cpu;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const std::clock_t cpu_start = std::clock();
        work();
        cpu.push_back(1e3 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return Timing{*std::min_element(wall.begin(), wall.end()), median(wall), *std::max_element(wall.begin(), wall.end()),
                  median(cpu)};
}

nlohmann::ordered_json to_json(const Timing& timing) {
    return {{"min_ms", timing.min_ms},
            {"median_ms", timing.median_ms},
            {"max_ms", timing.max_ms},
            {"median_cpu_ms", timing.median_cpu_ms}};
}

}  // namespace

int main(int argc, char** argv) try {
    std::uint64_t seed = 1;
    int repeats = 200;
    std::size_t pareto_points = 100;
    std::string problem_path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        dyadic::require(i + 1 < argc, "missing value after " + arg);
        if (arg == "--seed") seed = std::stoull(argv[++i]);
        else if (arg == "--repeats") repeats = std::stoi(argv[++i]);
        else if (arg == "--pareto-points") pareto_points = std::stoul(argv[++i]);
        else if (arg == "--write-problem") problem_path = argv[++i];
        else throw dyadic::Error("unknown option " + arg);
    }
    const Problem problem = bench::resnet50_problem(seed);
    if (!problem_path.empty()) {
        std::ofstream(problem_path) << problem_to_json(problem);
    }

    Solution solution;
    const Timing solve_timing = time_repeats(repeats, [&] { solution = solve(problem); });
    Frontier frontier;
    const std::size_t sweep_metric = *find_metric(problem, "bops");
    const Timing sweep_timing =
        time_repeats(std::max(1, repeats / 40), [&] { frontier = sweep_pareto(problem, sweep_metric, pareto_points); });

    std::size_t four_bit = 0;
    for (std::size_t l = 0; l < problem.layers.size(); ++l) {
        four_bit += problem.layers[l].choices[solution.assignment[l]].label == "4" ? 1 : 0;
    }
    std::size_t feasible_points = 0;
    for (const auto& point : frontier.points) feasible_points += point.assignment ? 1 : 0;

    nlohmann::ordered_json report;
    report["problem"] = {{"layers", problem.layers.size()}, {"choices_per_layer", 2}, {"ties", problem.ties.size()},
                         {"budgets", problem.budgets.size()}, {"seed", seed}};
    report["solve"] = to_json(solve_timing);
    report["solve"]["repeats"] = repeats;
    report["solve"]["status"] = solution.status_name;
    report["solve"]["objective"] = solution.objective;
    report["solve"]["layers_at_4_bits"] = four_bit;
    report["pareto"] = to_json(sweep_timing);
    report["pareto"]["points"] = pareto_points;
    report["pareto"]["feasible_points"] = feasible_points;
    report["pareto"]["distinct_trade_offs"] = distinct_trade_offs(frontier).size();
    report["pareto"]["repeats"] = std::max(1, repeats / 40);
    std::cout << report.dump(2) << "\n\n";

    std::printf("%-34s %10s %10s %10s %14s\n", "benchmark", "min ms", "median ms", "max ms", "median CPU ms");
    std::printf("%-34s %10.3f %10.3f %10.3f %14.3f\n", "solve (52 layers, 3 budgets)", solve_timing.min_ms,
                solve_timing.median_ms, solve_timing.max_ms, solve_timing.median_cpu_ms);
    std::printf("%-34s %10.3f %10.3f %10.3f %14.3f\n",
                ("pareto sweep (" + std::to_string(pareto_points) + " bops budgets)").c_str(), sweep_timing.min_ms,
                sweep_timing.median_ms, sweep_timing.max_ms, sweep_timing.median_cpu_ms);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_ilp: " << e.what() << "\n";
    return 1;
}
