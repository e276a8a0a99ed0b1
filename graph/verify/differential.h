#pragma once
// Randomized differential testing: seeded single-layer and small-graph cases (random_case.h) run
// on every given backend and on the reference, compared with == (tensor_diff.h). The engine of
// `dyadic fuzz-diff` and of the CI batch.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"
#include "graph/verify/random_case.h"
#include "graph/verify/tensor_diff.h"

namespace dyadic::verify {

struct DifferentialOptions {
    int64_t layer_cases = 1000;
    int64_t graph_cases = 0;
    uint64_t seed = 1;  // case i (layers) uses seed + i; graph case j uses seed + j
    std::function<void(int64_t done, int64_t total)> on_progress;
    // A single-layer case on which backend `backend` differs from the reference or failed.
    std::function<void(const LayerCase&, const std::string& backend, const std::string& what)> on_layer_failure;
};

struct BackendTally {
    std::string name;
    std::string unavailable;  // non-empty: every case skipped
    int64_t equal = 0, differ = 0, failed = 0, skipped = 0;  // counted per case (a graph is one case)
    std::vector<std::string> failures;                      // "seed 17: conv2d ...: 3 of 96 differ, ..." (first 20)
};

struct DifferentialReport {
    int64_t layer_cases = 0;
    int64_t graph_cases = 0;
    uint64_t seed = 0;
    TieCount ties;                          // exact rounding ties over all single-layer cases
    std::map<std::string, int64_t> kinds;   // cases per op kind
    std::vector<BackendTally> backends;
    double seconds = 0;

    // Nothing differs or failed and something was compared; with require_all nothing was skipped.
    bool passed(bool require_all) const;
};

DifferentialReport run_differential(const std::vector<quant::LayerBackend*>& backends, const DifferentialOptions& options);

std::string differential_json(const DifferentialReport& report, bool require_all);
std::string differential_table(const DifferentialReport& report);

}  // namespace dyadic::verify
