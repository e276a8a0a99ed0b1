#pragma once
// Settings shared by every solve (single solves, diagnosis, Pareto sweeps).

namespace dyadic::ilp {

struct SolveOptions {
    // Wall-clock limit for each lp_solve run, in whole seconds; 0 means none. When it is reached
    // lp_solve returns its best assignment so far as SUBOPTIMAL, or TIMEOUT when it has none.
    long time_limit_s = 0;
};

}  // namespace dyadic::ilp
