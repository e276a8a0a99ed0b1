#pragma once
// Post-training quantization: float IR graph + calibration statistics + bit configuration ->
// integer model (docs/quantization.md).
#include <string>

#include "graph/ir/graph.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/clipping.h"
#include "graph/quant/quantized_model.h"

namespace dyadic::quant {

struct QuantizeOptions {
    BitConfig bits;
    CalibrationOptions calibration;
    bool mse_weight_clipping = true;  // per-channel MSE clip search for weights of <= 4 bits
};

// `graph` must have been through ir::run_standard_passes (shapes inferred, BatchNorm folded, ReLU
// and residual adds fused, non-negative tensors marked), have one 4-D input, and `stats` must
// come from collect_statistics on the same graph. Every dyadic multiplier is to_dyadic(ratio).
// Throws Error naming the layer for: an unfolded BatchNormalization, an unsupported axis, a
// multiplier outside to_dyadic's range, a bias that does not fit int32, a layer whose worst-case
// accumulator could overflow int32, and a bit configuration naming a layer the graph lacks.
QuantizedModel quantize(const ir::Graph& graph, const CalibrationStatistics& stats, const QuantizeOptions& options,
                        const std::string& model_name = "");

}  // namespace dyadic::quant
