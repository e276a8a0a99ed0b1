#include "ilp/lp_status.h"

#include <lpsolve/lp_lib.h>

namespace dyadic::ilp {

std::string lp_status_name(int status) {
    switch (status) {
        case NOMEMORY: return "NOMEMORY";
        case NOTRUN: return "NOTRUN";
        case OPTIMAL: return "OPTIMAL";
        case SUBOPTIMAL: return "SUBOPTIMAL";
        case INFEASIBLE: return "INFEASIBLE";
        case UNBOUNDED: return "UNBOUNDED";
        case DEGENERATE: return "DEGENERATE";
        case NUMFAILURE: return "NUMFAILURE";
        case USERABORT: return "USERABORT";
        case TIMEOUT: return "TIMEOUT";
        case RUNNING: return "RUNNING";
        case PRESOLVED: return "PRESOLVED";
        case PROCFAIL: return "PROCFAIL";
        case PROCBREAK: return "PROCBREAK";
        case FEASFOUND: return "FEASFOUND";
        case NOFEASFOUND: return "NOFEASFOUND";
        case FATHOMED: return "FATHOMED";
        case ACCURACYERROR: return "ACCURACYERROR";
        default: return "UNKNOWN(" + std::to_string(status) + ")";
    }
}

bool lp_status_has_solution(int status) { return status == OPTIMAL || status == SUBOPTIMAL; }
bool lp_status_is_optimal(int status) { return status == OPTIMAL; }
bool lp_status_is_infeasible(int status) { return status == INFEASIBLE; }
bool lp_status_is_timeout(int status) { return status == TIMEOUT; }

}  // namespace dyadic::ilp
