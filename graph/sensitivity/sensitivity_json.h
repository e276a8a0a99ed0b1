#pragma once
// The sensitivity file `dyadic sensitivity --json` writes and `dyadic ilp-problem` reads:
//   {"format": "dyadic-sensitivity", "version": 1, "model": "models/fmnist_resnet.onnx",
//    "images": 256, "samples": 32, "seed": 1,
//    "layers": [{"name": "conv1", "op": "Conv", "n_params": 432, "trace": 12.5, "stderr": 0.4,
//                "samples": 32, "cpu_seconds": 0.8,
//                "weight_error": {"2": 0.31, "4": 0.012, ...},   // ||Q_b(W) - W||^2
//                "omega": {"2": 0.0089, "4": 3.4e-4, ...},       // trace / n_params * weight_error
//                "quadratic_forms": [12.1, 13.0, ...],            // v_s^T H v_s, optional on input
//                "activation": {"n_elements": 784, "trace": 0.9, "stderr": 0.1, "samples": 32,
//                               "cpu_seconds": 0.7, "error": {"4": 3.1, ...},  // mean_n ||Q_a(x_n) - x_n||^2
//                               "omega": {"4": 0.0036, ...}, "quadratic_forms": [...]}}]}  // optional
// Header is C++17.
#include <cstdint>
#include <string>
#include <vector>

#include "graph/sensitivity/layer_sensitivity.h"

namespace dyadic::sensitivity {

struct SensitivityReport {
    std::string model;
    int64_t images = 0;
    int samples = 0;
    uint64_t seed = 0;
    std::vector<LayerSensitivity> layers;
};

std::string sensitivity_report_json(const SensitivityReport& report);

// Throws Error naming `source` and the problem for invalid JSON, a missing or mistyped field,
// a bit-width key that is not an integer in 2..8, or a duplicate layer name.
SensitivityReport parse_sensitivity_report(const std::string& json_text, const std::string& source);
SensitivityReport read_sensitivity_report(const std::string& path);

// The layer's Omega at `bits`; throws Error naming the layer and the bit width when absent.
double omega_at(const LayerSensitivity& layer, int bits);

// The layer's activation Omega at `bits`; throws Error naming the layer when the file has no
// activation sensitivities or none at that width.
double activation_omega_at(const LayerSensitivity& layer, int bits);

}  // namespace dyadic::sensitivity
