#pragma once
// What every block sees of the layer being run: the job (layer registers), where to count, and a
// latch for the first error found while the simulation runs. A SystemC process must not throw
// (the kernel cannot resume after it), so blocks record the error, keep going with wrapped
// values, and the simulator throws it once the layer has finished.
#include <string>

#include "sim/compute_core.h"
#include "sim/layer_job.h"
#include "sim/layer_stats.h"

namespace dyadic::sim {

struct RunContext {
    const LayerJob* job = nullptr;
    LayerStats* stats = nullptr;
    ComputeCore* core = nullptr;  // null: the behavioural array and output stage
    std::string first_error;

    void report(const std::string& message) {
        if (first_error.empty()) first_error = message;
    }
};

}  // namespace dyadic::sim
