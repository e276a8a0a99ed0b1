#pragma once
// HAWQ-V3 sensitivity of every weight layer:
//   Omega_i(b) = Tr(H_i) / n_i * ||Q_b(W_i) - W_i||^2,
// H_i the Hessian of the mean cross-entropy over the calibration images w.r.t. layer i's weight,
// Tr(H_i) from Hutchinson's estimator with exact quadratic forms v^T H_i v (tangent_propagation.h).
// The same for the layer's data input x (what its activation bits quantize):
//   Omega_a,i(a) = Tr(H_x,i) / n_x,i * mean_n ||Q_a(x_n) - x_n||^2,
// H_x,i = mean_n d^2 L_n / dx_n^2 (per image), n_x,i the input's elements per image
// (docs/sensitivity.md, "Activation sensitivity").
// Header is C++17.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"
#include "graph/sensitivity/hutchinson.h"

namespace dyadic::sensitivity {

struct SensitivityOptions {
    int samples = 32;                        // Rademacher vectors per layer (>= 2)
    uint64_t seed = 1;                       // base of every vector's seed (hutchinson.h)
    int64_t batch_size = 64;                 // images per forward pass (bounds memory)
    std::vector<int> bits = {2, 3, 4, 5, 6, 8};  // candidate weight and activation bit widths
    bool activations = true;                 // also estimate the activation sensitivities
};

struct BitWidthSensitivity {
    int bits = 0;
    double weight_error = 0.0;  // ||Q_b(W) - W||^2
    double omega = 0.0;         // trace / n_params * weight_error
};

struct ActivationBitSensitivity {
    int bits = 0;
    double error = 0.0;  // mean over the images of ||Q_a(x_n) - x_n||^2
    double omega = 0.0;  // trace / n_elements * error
};

// The sensitivity to quantizing the layer's data input, as the layer reads it.
struct ActivationSensitivity {
    int64_t n_elements = 0;  // input elements per image
    TraceEstimate trace;     // of mean_n d^2 L_n / dx_n^2
    std::vector<double> quadratic_forms;
    std::vector<ActivationBitSensitivity> per_bits;
    double cpu_seconds = 0.0;
};

struct LayerSensitivity {
    std::string name;
    std::string op;  // "Conv" or "FullyConnected"
    int64_t n_params = 0;
    TraceEstimate trace;
    std::vector<double> quadratic_forms;  // v_s^T H v_s, one per sample
    std::vector<BitWidthSensitivity> per_bits;
    // Processor time spent on this layer's quadratic forms (CPU, not wall clock, so that a busy
    // machine does not inflate it; the executor is single-threaded).
    double cpu_seconds = 0.0;
    std::optional<ActivationSensitivity> activation;  // absent when not estimated
};

// Called after each unit of work with (done, total).
using ProgressCallback = std::function<void(int64_t done, int64_t total)>;

// Every Conv / FullyConnected layer of `graph` (shapes inferred, one input, one logits output), in
// topological order. `images` is the calibration batch [N, ...] for the graph input. The labels
// are not needed: the cross-entropy's Hessian w.r.t. the logits does not depend on them.
// Throws Error for an empty batch, fewer than two samples, bits outside 2..8, or a graph the
// sensitivity cannot differentiate (no weight layers).
std::vector<LayerSensitivity> estimate_layer_sensitivities(const ir::Graph& graph, const ir::FloatTensor& images,
                                                           const SensitivityOptions& options,
                                                           const ProgressCallback& progress = {});

}  // namespace dyadic::sensitivity
