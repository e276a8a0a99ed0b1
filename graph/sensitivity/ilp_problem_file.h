#pragma once
// The bit-allocation problem file (the format ilp/problem_json.h reads) assembled from a model
// and its sensitivity file: per weight layer and candidate (w-bit weights, a-bit activations)
//   sensitivity = Omega_w(w) + Omega_a(a)  (the activation term when the file has it),
//   size_bits   = n_params * w,  bops = MACs * w * a,
//   latency     = the latency table's entry "w<w>a<a>" (only with a table),
//   energy      = its energy in picojoules (only with a table that has energy),
// and tie groups for layers that read the same tensor (each reader would otherwise quantize it
// differently). graph/ does not depend on ilp/: this writes the file format, ilp/ reads it.
// Header is C++17.
#include <string>
#include <vector>

#include "graph/ir/graph.h"
#include "graph/quant/bit_candidates.h"
#include "graph/sensitivity/latency_table.h"
#include "graph/sensitivity/sensitivity_json.h"

namespace dyadic::sensitivity {

struct ProblemOptions {
    // Symmetric candidates w = a = b, written as "bits": b (the --bits form).
    std::vector<int> bits = {4, 8};
    // Per-operand candidates, written as "bits": "w4a8"; when not empty they replace `bits`.
    std::vector<quant::BitCandidate> candidates;
    const LatencyTable* latency = nullptr;  // optional
};

// Names of the Conv / FullyConnected layers that read the same data input (a downsample conv and
// the first conv of its residual unit), one group per shared tensor with at least two readers,
// in topological order.
std::vector<std::vector<std::string>> shared_input_ties(const ir::Graph& graph);

// The problem as JSON text. The graph needs inferred shapes. Throws Error when the sensitivity
// file and the graph disagree on the layers or their sizes, a bit width lacks an Omega, a
// candidate with w != a meets a file without activation sensitivities, or the latency table
// lacks a layer or candidate.
std::string ilp_problem_json(const ir::Graph& graph, const SensitivityReport& report, const ProblemOptions& options);

}  // namespace dyadic::sensitivity
