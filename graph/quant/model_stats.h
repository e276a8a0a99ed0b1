#pragma once
// Per-layer cost figures for `dyadic inspect`, the ILP and latency tables: multiply-accumulates,
// weight storage and bit operations (BOPS = MACs * weight bits * activation bits, as in HAWQ-V3).
#include <cstdint>
#include <string>
#include <vector>

#include "graph/quant/quantized_model.h"

namespace dyadic::quant {

struct LayerStats {
    std::string name;
    std::string op;              // op_name()
    Shape output_shape;          // from the model's tensor info (batch 1)
    int weight_bits = 0;         // 0: no weights
    int activation_bits = 0;     // width of the first input
    int output_bits = 0;
    int64_t macs = 0;            // per image; 0 for layers without weights
    int64_t weight_size_bits = 0;  // weight elements * weight bits
    int64_t bias_size_bits = 0;    // bias elements * 32
    int64_t bops = 0;              // macs * weight_bits * activation_bits
};

struct ModelStats {
    std::vector<LayerStats> layers;
    int64_t total_macs = 0;
    int64_t total_weight_size_bits = 0;
    int64_t total_bias_size_bits = 0;
    int64_t total_bops = 0;
};

// The model must be valid (validate()).
ModelStats model_stats(const QuantizedModel& model);

// The distribution of a layer's integer weights, for `dyadic inspect --json`.
struct WeightStatistics {
    int64_t count = 0;
    int32_t min = 0;  // 0 when there are no elements
    int32_t max = 0;
    double mean_abs = 0.0;  // mean of |w| over all elements
    // histogram[i] = how many elements equal histogram_first + i, over the type's whole range
    // (histogram_first = type.min(), type.max() - type.min() + 1 bins: 256 at most for weights).
    int64_t histogram_first = 0;
    std::vector<int64_t> histogram;
};

// Throws Error for a type wider than 16 bits (a histogram over the whole range would be huge).
WeightStatistics weight_statistics(const Tensor& weight);

// A fixed-width text table, one row per layer and a totals row.
std::string stats_table(const ModelStats& stats);

// {"layers": [{"name", "op", "output_shape", "weight_bits", "activation_bits", "output_bits", "macs",
//   "weight_size_bits", "bias_size_bits", "bops"}...], "total": {"macs", "weight_size_bits",
//   "bias_size_bits", "bops"}}
std::string stats_json(const ModelStats& stats);

}  // namespace dyadic::quant
