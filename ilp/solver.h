#pragma once
// Solving a bit-allocation problem: the assignment of least summed sensitivity within every budget.
// An infeasible problem is an InfeasibleBudgetError that names the budget(s) at fault and the
// smallest value each could take.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ilp/assignment.h"
#include "ilp/problem.h"
#include "ilp/solve_options.h"
#include "util/error.h"

namespace dyadic::ilp {

struct Solution {
    int lp_status = 0;            // lp_solve's code: OPTIMAL, or SUBOPTIMAL when it stopped early
    std::string status_name;      // lp_status_name(lp_status)
    Assignment assignment;        // [layer] -> choice index
    double objective = 0.0;       // summed sensitivity
    std::vector<double> totals;   // per metric
    double solve_seconds = 0.0;   // wall time to build and solve the ILP
};

// What one budget could be, given the others.
struct BudgetDiagnosis {
    std::size_t metric = 0;
    double limit = 0.0;
    double smallest_alone = 0.0;  // the metric's min_total, ignoring every other budget
    // The least total of this metric over assignments within the other budgets; nullopt when the
    // other budgets cannot be met even without this one.
    std::optional<double> smallest_achievable;
    bool unreachable() const { return smallest_achievable && *smallest_achievable > limit; }
};

class InfeasibleBudgetError : public Error {
public:
    InfeasibleBudgetError(const std::string& message, std::vector<BudgetDiagnosis> diagnoses)
        : Error(message), diagnoses_(std::move(diagnoses)) {}
    const std::vector<BudgetDiagnosis>& diagnoses() const { return diagnoses_; }

private:
    std::vector<BudgetDiagnosis> diagnoses_;
};

// Solves the problem. Throws InfeasibleBudgetError when no assignment meets the budgets, and Error
// when the problem is invalid or lp_solve fails or times out without an assignment (its status
// named in the message). A time limit can end it with a SUBOPTIMAL solution.
Solution solve(const Problem& problem, const SolveOptions& options = {});

// For every budget of the problem, its smallest achievable value under the other budgets (one
// secondary ILP minimising that metric; just min_total when there is no other budget).
std::vector<BudgetDiagnosis> diagnose_budgets(const Problem& problem, const SolveOptions& options = {});

}  // namespace dyadic::ilp
