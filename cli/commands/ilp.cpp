// dyadic ilp: per-layer bit allocation by integer linear programming (HAWQ-V3, section 3.3) on a
// problem file (ilp/problem_json.h): the least summed sensitivity within the budgets, optionally a
// Pareto sweep of one metric's budget.
#include <iostream>
#include <optional>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "ilp/budget_fraction.h"
#include "ilp/frontier_csv.h"
#include "ilp/frontier_svg.h"
#include "ilp/pareto.h"
#include "ilp/problem_json.h"
#include "ilp/result_json.h"
#include "ilp/result_table.h"
#include "ilp/solver.h"
#include "util/atomic_file.h"

namespace dyadic::cli::commands {

int ilp(const Args& args) {
    ArgParser parser("dyadic ilp",
                     "Choose one candidate (bits) per layer minimising the summed sensitivity within the problem's\n"
                     "budgets (lp_solve ILP; tied layers choose together). An infeasible budget is an error that\n"
                     "states the smallest achievable value.");
    parser.positional("problem", "bit-allocation problem file (JSON: layers, choices, ties, budgets)")
        .option("--frac", "metric=t[,...]",
                "budget a metric at min_total + t * (max_total - min_total), t in [0, 1]; repeatable; a metric "
                "may be named by a unique prefix (size = size_bits)")
        .option("--pareto", "N", "also sweep N budgets (2..1000) of --pareto-metric from its min to its max total")
        .option("--pareto-metric", "metric", "the metric --pareto sweeps (other budgets are kept)", std::string("bops"))
        .option("--out", "path", "write the result (assignment, totals, objective, status, time) as JSON")
        .option("--csv", "path", "write the Pareto sweep as CSV (needs --pareto)")
        .option("--plot", "path", "write the Pareto sweep as an SVG plot (needs --pareto)")
        .option("--time-limit", "seconds",
                "stop each lp_solve run after this many seconds (0..86400) with its best assignment (SUBOPTIMAL); "
                "0 = none",
                std::string("60"));
    parser.parse(args);
    const bool sweep = parser.get_optional("--pareto").has_value();
    if (!sweep && (parser.get_optional("--csv") || parser.get_optional("--plot"))) {
        throw UsageError("--csv and --plot write the Pareto sweep: add --pareto N");
    }
    const int points = sweep ? parser.get_int("--pareto", 2, 1000) : 0;
    ilp::SolveOptions options;
    options.time_limit_s = parser.get_int("--time-limit", 0, 86400);

    ilp::Problem problem = ilp::load_problem_file(parser.get("problem"));
    for (const auto& fractions : parser.get_all("--frac")) {
        ilp::apply_budget_fractions(problem, ilp::parse_budget_fractions(fractions));
    }
    // Everything is computed before anything is written: an infeasible budget leaves no output.
    const ilp::Solution solution = ilp::solve(problem, options);
    std::optional<ilp::Frontier> frontier;
    if (sweep) {
        const std::size_t metric = ilp::resolve_metric(problem, parser.get("--pareto-metric"));
        frontier = ilp::sweep_pareto(problem, metric, static_cast<std::size_t>(points), options);
    }

    std::cout << ilp::solution_table(problem, solution);
    if (solution.status_name != "OPTIMAL") {
        std::cerr << "warning: lp_solve reports " << solution.status_name << ": the assignment may not be optimal\n";
    }
    if (const auto path = parser.get_optional("--out")) {
        write_file_atomically(*path, ilp::solution_to_json(problem, solution));
        std::cerr << "wrote " << *path << '\n';
    }
    if (frontier) {
        std::cout << '\n' << ilp::frontier_table(problem, *frontier);
        if (const auto path = parser.get_optional("--csv")) {
            write_file_atomically(*path, ilp::frontier_to_csv(problem, *frontier));
            std::cerr << "wrote " << *path << '\n';
        }
        if (const auto path = parser.get_optional("--plot")) {
            write_file_atomically(*path, ilp::frontier_to_svg(problem, *frontier));
            std::cerr << "wrote " << *path << '\n';
        }
    }
    return 0;
}

}  // namespace dyadic::cli::commands
