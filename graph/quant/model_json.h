#pragma once
// The whole integer model as JSON, for `dyadic inspect --json` and for scripts that must not
// read the model file themselves: per layer its op, attributes (stride, padding, dilation,
// groups, pooling windows, reshape target), dyadic multipliers (b, c) per channel, input, output
// and weight scales, bias and weight statistics, next to the cost figures of model_stats.
#include <string>

#include "graph/quant/quantized_model.h"

namespace dyadic::quant {

// The model must be valid (validate(); load_model validates). The document:
//   {"name", "metadata": {key: value}, "input": tensor, "outputs": [tensor name...],
//    "tensors": [tensor...], "layers": [layer...], "total": {"macs", "weight_size_bits", "bias_size_bits", "bops"}}
//   tensor     = {"name", "shape", "type", "scale"}
//   multiplier = {"b", "c", "value"}            value = b / 2^c (for reading; backends use b and c)
//   layer      = the stats_json fields ("name", "op", "output_shape", "weight_bits",
//                "activation_bits", "output_bits", "macs", "weight_size_bits", "bias_size_bits",
//                "bops") plus
//                "inputs": [tensor...], "output": tensor, "attributes": {...} and per op:
//     conv2d              attributes {"kernel": [kh, kw], "stride": [sh, sw], "dilation": [dh, dw],
//                         "padding": {"top", "left", "bottom", "right"}, "groups"}; "weight"; "bias";
//                         "output_stage" (null with a fused residual); "residual_stage" (or null)
//     fully_connected     "weight"; "bias"; "output_stage"
//     residual_add        "residual_stage"
//     max_pool2d          attributes {"kernel", "stride", "padding"}
//     average_pool2d      attributes {"kernel", "stride", "padding", "count_include_pad"};
//                         "multiplier_by_count": [multiplier...] (window count 1..kh*kw); "output_type"
//     global_average_pool "multiplier"; "output_type"
//     concat, requantize  "multipliers": [multiplier per input] / "multiplier"; "output_type"
//     reshape             attributes {"shape": the target without the batch dimension}
//   weight         = {"shape", "type", "scales": [one per output channel], "count", "min", "max",
//                     "mean_abs", "histogram": {"first", "counts"}}   counts[i]: elements == first + i
//   bias           = null (absent) or {"type", "count", "min", "max", "values"}
//   output_stage   = {"multipliers": [multiplier per output channel, or one shared], "type", "relu"}
//   residual_stage = {"main_multipliers": [...], "identity_multiplier": multiplier, "type", "relu"}
std::string model_json(const QuantizedModel& model);

}  // namespace dyadic::quant
