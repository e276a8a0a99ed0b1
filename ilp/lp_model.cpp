#include "ilp/lp_model.h"

#include <algorithm>
#include <cmath>

#include <lpsolve/lp_lib.h>

#include "ilp/lp_status.h"
#include "ilp/number_text.h"
#include "util/error.h"

namespace dyadic::ilp {

void BitAllocationModel::LpDeleter::operator()(_lprec* lp) const { delete_lp(lp); }

BitAllocationModel::BitAllocationModel(const Problem& problem)
    : problem_(problem), limits_(problem.metrics.size()) {
    validate_problem(problem_);
    groups_ = build_tie_groups(problem_);
    const std::size_t metric_count = problem_.metrics.size();

    // The base candidate of each decision: the cheapest overall, so that lp_solve's floor-first
    // branching (non-base variables at 0) tries cheap, likely feasible assignments first. Metrics
    // are compared relative to their largest value so that bops do not drown latency.
    std::vector<double> magnitude(metric_count, 1.0);
    for (std::size_t m = 0; m < metric_count; ++m) {
        for (std::size_t g = 0; g < groups_.size(); ++g) {
            for (std::size_t k = 0; k < groups_[g].labels.size(); ++k) {
                magnitude[m] = std::max(magnitude[m], std::fabs(group_metric(g, k, m)));
            }
        }
    }
    for (std::size_t g = 0; g < groups_.size(); ++g) base_.push_back(cheapest_candidate(g, magnitude));

    column_.resize(groups_.size());
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        column_[g].assign(groups_[g].labels.size(), 0);
        for (std::size_t k = 0; k < groups_[g].labels.size(); ++k) {
            if (k == base_[g]) continue;
            candidate_of_column_.emplace_back(g, k);
            column_[g][k] = static_cast<int>(candidate_of_column_.size());
        }
    }
    const int column_count = static_cast<int>(candidate_of_column_.size());

    // Costs relative to the base candidate; the base assignment's totals go to the right-hand side.
    base_total_.assign(metric_count, 0.0);
    row_scale_.assign(metric_count, 1.0);
    std::vector<std::vector<double>> coefficients(metric_count, std::vector<double>(column_count, 0.0));
    for (std::size_t m = 0; m < metric_count; ++m) {
        for (std::size_t g = 0; g < groups_.size(); ++g) base_total_[m] += group_metric(g, base_[g], m);
        double largest = 0.0;
        for (int c = 0; c < column_count; ++c) {
            const auto [g, k] = candidate_of_column_[c];
            coefficients[m][c] = group_metric(g, k, m) - group_metric(g, base_[g], m);
            largest = std::max(largest, std::fabs(coefficients[m][c]));
        }
        row_scale_[m] = largest > 0.0 ? largest : 1.0;
    }

    // lp_solve does not run a model without columns (NOTRUN); when every decision is forced, one
    // column fixed at 0 stands in, so feasibility is still judged, and reported, by lp_solve.
    lp_.reset(make_lp(0, std::max(column_count, 1)));
    require(lp_ != nullptr, "lp_solve could not allocate the bit-allocation model");
    lprec* lp = lp_.get();
    set_verbose(lp, NEUTRAL);
    set_minim(lp);
    // Floor first: every decision starts at its base (cheapest) candidate. Reduced-cost fixing
    // prunes most of the tree on these knapsack-like models.
    set_bb_floorfirst(lp, BRANCH_FLOOR);
    set_bb_rule(lp, NODE_FIRSTSELECT + NODE_RCOSTFIXING);
    set_scaling(lp, SCALE_GEOMETRIC + SCALE_EQUILIBRATE);
    // lp_solve guesses a smallest possible objective improvement (MIP_stepOF) from the objective's
    // coefficients and prunes nodes that cannot improve by that much; with fractional
    // sensitivities the guess can be far too large and the true optimum is skipped while the
    // answer is still called OPTIMAL. The guess is only made when the solution limit is 1, and the
    // limit otherwise only counts equal-valued solutions, so 2 switches the guess off.
    set_solutionlimit(lp, 2);
    for (int c = 1; c <= column_count; ++c) set_binary(lp, c, TRUE);
    if (column_count == 0) set_upbo(lp, 1, 0.0);

    set_add_rowmode(lp, TRUE);
    std::vector<double> values;
    std::vector<int> columns;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        if (groups_[g].labels.size() < 3) continue;  // one binary needs no at-most-one row
        columns.clear();
        for (int column : column_[g]) {
            if (column != 0) columns.push_back(column);
        }
        values.assign(columns.size(), 1.0);
        require(add_constraintex(lp, static_cast<int>(columns.size()), values.data(), columns.data(), LE, 1.0),
                "lp_solve could not add an at-most-one-candidate row");
    }
    for (std::size_t m = 0; m < metric_count; ++m) {
        values.clear();
        columns.clear();
        for (int c = 0; c < column_count; ++c) {
            if (coefficients[m][c] == 0.0) continue;
            values.push_back(coefficients[m][c] / row_scale_[m]);
            columns.push_back(c + 1);
        }
        require(add_constraintex(lp, static_cast<int>(columns.size()), values.data(), columns.data(), LE,
                                 get_infinite(lp)),
                "lp_solve could not add the '" + problem_.metrics[m] + "' row");
        metric_row_.push_back(get_Nrows(lp));
    }
    set_add_rowmode(lp, FALSE);

    for (const auto& budget : problem_.budgets) set_limit(budget.metric, budget.limit);
    minimise_sensitivity();
}

double BitAllocationModel::group_metric(std::size_t group, std::size_t candidate, std::size_t metric) const {
    const TieGroup& g = groups_[group];
    double sum = 0.0;
    for (std::size_t m = 0; m < g.layers.size(); ++m) {
        sum += problem_.layers[g.layers[m]].choices[g.choice_index[candidate][m]].metric_values[metric];
    }
    return sum;
}

double BitAllocationModel::group_sensitivity(std::size_t group, std::size_t candidate) const {
    const TieGroup& g = groups_[group];
    double sum = 0.0;
    for (std::size_t m = 0; m < g.layers.size(); ++m) {
        sum += problem_.layers[g.layers[m]].choices[g.choice_index[candidate][m]].sensitivity;
    }
    return sum;
}

std::size_t BitAllocationModel::cheapest_candidate(std::size_t group, const std::vector<double>& magnitude) const {
    std::size_t best = 0;
    double best_cost = 0.0;
    for (std::size_t k = 0; k < groups_[group].labels.size(); ++k) {
        double cost = 0.0;
        for (std::size_t m = 0; m < problem_.metrics.size(); ++m) cost += group_metric(group, k, m) / magnitude[m];
        if (k == 0 || cost < best_cost) best = k, best_cost = cost;
    }
    return best;
}

void BitAllocationModel::set_objective(const std::vector<double>& per_column) {
    if (per_column.empty()) return;  // every decision is forced; lp_solve refuses an empty objective
    std::vector<double> values(per_column);
    std::vector<int> columns(per_column.size());
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c] = static_cast<int>(c) + 1;
    require(set_obj_fnex(lp_.get(), static_cast<int>(columns.size()), values.data(), columns.data()),
            "lp_solve could not set the objective");
}

void BitAllocationModel::minimise_sensitivity() {
    std::vector<double> costs;
    for (const auto& [g, k] : candidate_of_column_) costs.push_back(group_sensitivity(g, k) - group_sensitivity(g, base_[g]));
    set_objective(costs);
}

void BitAllocationModel::minimise_metric(std::size_t metric) {
    std::vector<double> costs;
    for (const auto& [g, k] : candidate_of_column_) {
        costs.push_back((group_metric(g, k, metric) - group_metric(g, base_[g], metric)) / row_scale_[metric]);
    }
    set_objective(costs);
}

double BitAllocationModel::slack(std::size_t metric) const {
    return kRelativeSlack * std::max(row_scale_[metric], std::fabs(*limits_[metric]));
}

void BitAllocationModel::set_time_limit(long seconds) { set_timeout(lp_.get(), seconds); }

void BitAllocationModel::set_limit(std::size_t metric, std::optional<double> limit) {
    require(metric < limits_.size(), "no such metric");
    require(!limit || std::isfinite(*limit), "budget '" + problem_.metrics[metric] + "' is not finite");
    limits_[metric] = limit;
    lprec* lp = lp_.get();
    if (!limit) {
        set_rh(lp, metric_row_[metric], get_infinite(lp));
        return;
    }
    // lp_solve judges feasibility within tolerances and has been seen to call a budget met with
    // equality (e.g. exactly min_total) infeasible. The row is therefore loosened by a hair; solve()
    // checks every answer exactly and excludes one that exceeds the true budget.
    set_rh(lp, metric_row_[metric], (*limit - base_total_[metric] + slack(metric)) / row_scale_[metric]);
}

LpOutcome BitAllocationModel::solve() {
    lprec* lp = lp_.get();
    LpOutcome outcome;
    const int base_rows = get_Nrows(lp);
    // Cuts added below exclude specific assignments for this solve only; later solves (other
    // limits or objectives) must see the full model again.
    auto remove_cuts = [&] {
        for (int row = get_Nrows(lp); row > base_rows; --row) del_constraint(lp, row);
    };
    for (int cuts = 0;; ++cuts) {
        // Start every solve from the slack basis: a basis left over from an earlier solve (notably
        // an infeasible one) can lead lp_solve to a wrong INFEASIBLE verdict on a re-solve.
        default_basis(lp);
        outcome.lp_status = ::solve(lp);
        if (!lp_status_has_solution(outcome.lp_status)) break;
        Assignment assignment = read_assignment();
        outcome.totals = totals_of(problem_, assignment);
        outcome.objective = objective_of(problem_, assignment);
        const std::optional<std::size_t> violated = first_violated_limit(outcome.totals);
        if (!violated) {
            outcome.assignment = std::move(assignment);
            break;
        }
        // The rows are loosened by kRelativeSlack, so lp_solve may pick an assignment that exceeds
        // a budget by a hair. Exclude exactly that assignment and solve again. Exceeding it by more
        // than the slack (plus lp_solve's own tolerance) is a solver failure, not to be papered over.
        const double excess = outcome.totals[*violated] - *limits_[*violated];
        if (excess > 2.0 * slack(*violated)) {
            remove_cuts();
            throw Error("lp_solve reported " + lp_status_name(outcome.lp_status) + " but its assignment exceeds the '" +
                        problem_.metrics[*violated] + "' budget: total " + number_text(outcome.totals[*violated]) +
                        " > budget " + number_text(*limits_[*violated]));
        }
        if (cuts == kMaxExclusionCuts) {
            remove_cuts();
            throw Error("lp_solve keeps returning assignments that exceed the '" + problem_.metrics[*violated] +
                        "' budget (total " + number_text(outcome.totals[*violated]) + " > budget " +
                        number_text(*limits_[*violated]) + "): the budget is too close to many assignments' totals");
        }
        exclude(assignment);
    }
    remove_cuts();
    return outcome;
}

Assignment BitAllocationModel::read_assignment() const {
    REAL* variables = nullptr;
    require(get_ptr_variables(lp_.get(), &variables) && variables != nullptr, "lp_solve returned no variable values");
    Assignment assignment(problem_.layers.size(), 0);
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        std::size_t chosen = base_[g];
        bool chose_non_base = false;
        for (std::size_t k = 0; k < groups_[g].labels.size(); ++k) {
            // Binary within lp_solve's integrality tolerance; two non-base picks would break the model.
            if (column_[g][k] == 0 || variables[column_[g][k] - 1] <= 0.5) continue;
            require(!chose_non_base, "lp_solve chose two candidates for layer '" +
                                         problem_.layers[groups_[g].layers.front()].name + "'");
            chosen = k;
            chose_non_base = true;
        }
        for (std::size_t m = 0; m < groups_[g].layers.size(); ++m) {
            assignment[groups_[g].layers[m]] = groups_[g].choice_index[chosen][m];
        }
    }
    return assignment;
}

std::optional<std::size_t> BitAllocationModel::first_violated_limit(const std::vector<double>& totals) const {
    for (std::size_t m = 0; m < limits_.size(); ++m) {
        if (limits_[m] && !(totals[m] <= *limits_[m])) return m;
    }
    return std::nullopt;
}

void BitAllocationModel::exclude(const Assignment& assignment) {
    // A no-good cut on the binaries y: sum_{y*=0} y - sum_{y*=1} y >= 1 - |{y*=1}|, which every
    // binary vector except y* satisfies.
    std::vector<double> values;
    std::vector<int> columns;
    double ones = 0.0;
    for (std::size_t c = 0; c < candidate_of_column_.size(); ++c) {
        const auto [g, k] = candidate_of_column_[c];
        const bool chosen = assignment[groups_[g].layers.front()] == groups_[g].choice_index[k][0];
        values.push_back(chosen ? -1.0 : 1.0);
        columns.push_back(static_cast<int>(c) + 1);
        ones += chosen ? 1.0 : 0.0;
    }
    require(add_constraintex(lp_.get(), static_cast<int>(columns.size()), values.data(), columns.data(), GE, 1.0 - ones),
            "lp_solve could not add an exclusion cut");
}

}  // namespace dyadic::ilp
