#pragma once
// The HAWQ-V3 bit-allocation ILP, held in lp_solve.
//
// Model: a decision is a tie group (tied layers share their variables, which is the tie
// constraint; an untied layer is a group of one). Each decision g picks exactly one candidate k,
// x[g][k] binary with sum_k x[g][k] = 1. The equality is used to eliminate one variable per
// decision: with a base candidate b(g), x[g][b] = 1 - sum_{k != b} x[g][k], so lp_solve sees one
// binary per non-base candidate and, for decisions with three or more candidates, a row
// sum_{k != b} x[g][k] <= 1. Every cost becomes its difference from the base candidate's, and the
// base assignment's totals move to the right-hand sides. This is the same model; it only drops
// one equality row and one column per decision, which makes lp_solve's branch and bound several
// times faster (its LPs are a few rows instead of one per layer).
//
// Rows: one "<=" row per metric (rhs infinite while the metric is not budgeted), divided by its
// largest coefficient so bops (~1e10) and latency (~1) rows have comparable magnitudes. Objective:
// the summed sensitivity (or, for diagnostics, one metric).
//
// lp_solve works within tolerances, so every answer is re-checked against the budgets in the
// original units, exactly in double: an answer that exceeds a budget by less than the rows' slack
// is cut off and the ILP solved again, so what comes back always meets every budget exactly.
// The model is built once and re-solved with new limits (Pareto sweeps, infeasibility diagnosis).
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "ilp/assignment.h"
#include "ilp/problem.h"
#include "ilp/ties.h"

struct _lprec;  // lp_solve's model type (lprec); its header stays out of ours for its macros.

namespace dyadic::ilp {

struct LpOutcome {
    int lp_status = 0;                     // lp_solve's solve() code; see lp_status.h
    std::optional<Assignment> assignment;  // present when lp_solve found an integer solution
    double objective = 0.0;                // summed sensitivity of the assignment
    std::vector<double> totals;            // per metric, of the assignment
};

class BitAllocationModel {
public:
    // Builds the model with the problem's budgets and the sensitivity objective. `problem` must
    // outlive the model. Throws Error on an invalid problem or when lp_solve cannot build it.
    explicit BitAllocationModel(const Problem& problem);

    // Budgets `metric` at `limit` (original units), or removes its budget when nullopt.
    void set_limit(std::size_t metric, std::optional<double> limit);
    std::optional<double> limit(std::size_t metric) const { return limits_[metric]; }

    // Wall-clock limit for each lp_solve run in seconds (0: none); see solve_options.h.
    void set_time_limit(long seconds);

    void minimise_sensitivity();
    void minimise_metric(std::size_t metric);

    // Solves the ILP. Throws Error when lp_solve's assignment is malformed, exceeds a budget by more
    // than the rows' slack explains, or keeps landing inside that slack.
    LpOutcome solve();

private:
    struct LpDeleter {
        void operator()(_lprec* lp) const;
    };
    // How much each budget row is loosened (relative to the budget, or to the row's largest
    // coefficient when that is larger) and how many assignments one solve may exclude for landing
    // inside that slack before giving up.
    static constexpr double kRelativeSlack = 1e-9;
    static constexpr int kMaxExclusionCuts = 100;

    double group_metric(std::size_t group, std::size_t candidate, std::size_t metric) const;
    double group_sensitivity(std::size_t group, std::size_t candidate) const;
    // The candidate with the least sum of costs, each metric divided by its magnitude.
    std::size_t cheapest_candidate(std::size_t group, const std::vector<double>& magnitude) const;
    void set_objective(const std::vector<double>& per_candidate_cost);  // [column - 1]
    double slack(std::size_t metric) const;  // the loosening of a budgeted row, in original units
    Assignment read_assignment() const;
    std::optional<std::size_t> first_violated_limit(const std::vector<double>& totals) const;
    void exclude(const Assignment& assignment);

    const Problem& problem_;
    std::vector<TieGroup> groups_;
    std::vector<std::size_t> base_;               // per group: the candidate without a column
    std::vector<std::vector<int>> column_;        // [group][candidate]: lp_solve's column, 0 for the base
    std::vector<std::pair<std::size_t, std::size_t>> candidate_of_column_;  // [column - 1] -> (group, candidate)
    std::vector<double> base_total_;              // per metric: the all-base assignment's total
    std::vector<double> row_scale_;               // per metric: the divisor applied to its row
    std::vector<int> metric_row_;                 // per metric: lp_solve's row
    std::vector<std::optional<double>> limits_;
    std::unique_ptr<_lprec, LpDeleter> lp_;
};

}  // namespace dyadic::ilp
