#pragma once
// lp_solve's solve() return codes, reported by name (OPTIMAL, SUBOPTIMAL, INFEASIBLE, ...) so a
// result always says what the solver actually concluded.
#include <string>

namespace dyadic::ilp {

// "OPTIMAL", "SUBOPTIMAL", "INFEASIBLE", ...; "UNKNOWN(<code>)" for codes lp_solve does not define.
std::string lp_status_name(int status);

// OPTIMAL or SUBOPTIMAL: lp_solve has an integer solution to read.
bool lp_status_has_solution(int status);

bool lp_status_is_optimal(int status);
bool lp_status_is_infeasible(int status);
bool lp_status_is_timeout(int status);

}  // namespace dyadic::ilp
