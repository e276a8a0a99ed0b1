#pragma once
// The bit-allocation problem in memory: per layer a list of candidate choices (a bits label, a
// sensitivity to minimise, and cost metrics such as size_bits, bops, latency), tie groups of layers
// that must take the same candidate, and upper budgets on summed metrics (HAWQ-V3, section 3.3).
// Metrics are not a fixed set: any numeric field that every choice carries can be totalled and
// budgeted, so a new hardware cost (energy, area, ...) needs no code change.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace dyadic::ilp {

struct Choice {
    // The candidate's name: "4", "8" or a string such as "w4a8". Ties match candidates by it.
    std::string label;
    // Set when the file gave bits as an integer, so outputs can write it back as a number.
    std::optional<long long> numeric_bits;
    double sensitivity = 0.0;
    std::vector<double> metric_values;  // indexed like Problem::metrics
};

struct Layer {
    std::string name;
    std::vector<Choice> choices;
};

struct Budget {
    std::size_t metric = 0;  // index into Problem::metrics
    double limit = 0.0;      // the summed metric must be <= limit
};

struct Problem {
    std::vector<Layer> layers;
    std::vector<std::string> metrics;             // the metrics every choice carries, in file order
    std::vector<std::vector<std::size_t>> ties;   // groups of layer indices, as written in the file
    std::vector<Budget> budgets;                  // at most one per metric, in file order
};

// Checks the structural invariants the solver relies on (parse_problem guarantees them; problems
// built in code are checked here): layers and choices non-empty, unique layer names and labels,
// one value per metric in every choice, finite numbers, budget and tie indices in range.
void validate_problem(const Problem& problem);

// Index of the metric named exactly `name`; nullopt when no such metric.
std::optional<std::size_t> find_metric(const Problem& problem, const std::string& name);

// Index of the metric named `name` or, failing that, the only metric that starts with `name`
// (so "size" means "size_bits"). Throws Error when none or several match.
std::size_t resolve_metric(const Problem& problem, const std::string& name);

// The budget on `metric`, or nullopt when that metric is not budgeted.
std::optional<double> budget_on(const Problem& problem, std::size_t metric);

// Sets (or replaces) the budget on `metric`.
void set_budget(Problem& problem, std::size_t metric, double limit);

}  // namespace dyadic::ilp
