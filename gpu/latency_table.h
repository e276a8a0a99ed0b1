#pragma once
// Measured per-layer GPU latency in the ILP's latency-table format (docs/latency-table.md): every
// conv2d and fully connected layer of a model, re-typed to each candidate precision the way the
// sim backend re-types them, timed by GpuBackend::time_layer_ms (CUDA events, warm-up, median).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gpu/gpu_backend.h"
#include "graph/quant/quantized_model.h"

namespace dyadic::gpu {

struct LatencyCandidate {
    std::string label;  // "w4a8"
    int weight_bits = 8;
    int activation_bits = 8;
};

struct LatencyTiming {
    int64_t batch = 1;
    int warmup = 10;
    int repeats = 50;
};

struct LatencyCell {
    std::string label;
    double latency_ms = 0;
};

struct LatencyLayer {
    std::string name;
    std::string op;
    std::vector<LatencyCell> candidates;
};

// Candidate layer: weights random signed weight_bits, input random at activation_bits with the
// model's signedness, output at activation_bits unless the model's output is wider (a residual
// stream keeps its type), a fused residual's identity as in the model. Values are seeded random:
// the kernels' time does not depend on them.
std::vector<LatencyLayer> measure_latency_table(GpuBackend& backend, const quant::QuantizedModel& model,
                                                const std::vector<LatencyCandidate>& candidates,
                                                const LatencyTiming& timing,
                                                const std::function<void(size_t, size_t)>& progress = {});

// The table as JSON: backend "gpu", config {device, batch, warmup, repeats}, unit "ns" with
// clock_mhz 1000 (one cycle is one nanosecond, so cycles and latency_ms keep their meaning).
std::string latency_table_json(const std::string& model_name, const std::string& device, const LatencyTiming& timing,
                               const std::vector<LatencyLayer>& rows);

}  // namespace dyadic::gpu
