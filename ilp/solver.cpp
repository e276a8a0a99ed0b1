#include "ilp/solver.h"

#include <chrono>

#include "ilp/bounds.h"
#include "ilp/lp_model.h"
#include "ilp/lp_status.h"
#include "ilp/number_text.h"

namespace dyadic::ilp {
namespace {

std::vector<BudgetDiagnosis> diagnose_with(BitAllocationModel& model, const Problem& problem) {
    std::vector<BudgetDiagnosis> diagnoses;
    for (const auto& budget : problem.budgets) {
        BudgetDiagnosis diagnosis;
        diagnosis.metric = budget.metric;
        diagnosis.limit = budget.limit;
        diagnosis.smallest_alone = metric_range(problem, budget.metric).min_total;
        if (problem.budgets.size() == 1) {
            diagnosis.smallest_achievable = diagnosis.smallest_alone;
        } else {
            model.set_limit(budget.metric, std::nullopt);
            model.minimise_metric(budget.metric);
            const LpOutcome outcome = model.solve();
            model.set_limit(budget.metric, budget.limit);
            if (outcome.assignment) {
                diagnosis.smallest_achievable = outcome.totals[budget.metric];
            } else {
                require(lp_status_is_infeasible(outcome.lp_status),
                        "lp_solve failed (" + lp_status_name(outcome.lp_status) + ") while minimising '" +
                            problem.metrics[budget.metric] + "'");
            }
        }
        diagnoses.push_back(diagnosis);
    }
    model.minimise_sensitivity();
    return diagnoses;
}

std::string infeasibility_message(const Problem& problem, const std::vector<BudgetDiagnosis>& diagnoses) {
    std::string message;
    for (const auto& d : diagnoses) {
        if (!d.unreachable()) continue;
        const std::string& name = problem.metrics[d.metric];
        message += (message.empty() ? "" : "; ") + std::string("budget '") + name + "' <= " + number_text(d.limit) +
                   " is infeasible: the smallest achievable " + name + " is " + number_text(*d.smallest_achievable);
        message += d.smallest_alone > d.limit && *d.smallest_achievable == d.smallest_alone
                       ? " (even with no other budget)"
                       : " under the other budgets (" + number_text(d.smallest_alone) + " without them)";
    }
    if (!message.empty()) return "infeasible budget: " + message;
    // No single budget is to blame: without any one of them the others still cannot be met.
    message = "the budgets cannot be met together, and dropping any single one does not help:";
    for (const auto& d : diagnoses) {
        message += " " + problem.metrics[d.metric] + " <= " + number_text(d.limit) + " (alone it could be as low as " +
                   number_text(d.smallest_alone) + ");";
    }
    message.pop_back();
    return message;
}

}  // namespace

Solution solve(const Problem& problem, const SolveOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    BitAllocationModel model(problem);
    model.set_time_limit(options.time_limit_s);
    const LpOutcome outcome = model.solve();
    if (lp_status_is_infeasible(outcome.lp_status)) {
        auto diagnoses = diagnose_with(model, problem);
        const std::string message = infeasibility_message(problem, diagnoses);
        throw InfeasibleBudgetError(message, std::move(diagnoses));
    }
    require(!lp_status_is_timeout(outcome.lp_status), "lp_solve found no assignment within the time limit (TIMEOUT)");
    require(outcome.assignment.has_value(), "lp_solve failed: " + lp_status_name(outcome.lp_status));
    Solution solution;
    solution.lp_status = outcome.lp_status;
    solution.status_name = lp_status_name(outcome.lp_status);
    solution.assignment = *outcome.assignment;
    solution.objective = outcome.objective;
    solution.totals = outcome.totals;
    solution.solve_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return solution;
}

std::vector<BudgetDiagnosis> diagnose_budgets(const Problem& problem, const SolveOptions& options) {
    BitAllocationModel model(problem);
    model.set_time_limit(options.time_limit_s);
    return diagnose_with(model, problem);
}

}  // namespace dyadic::ilp
