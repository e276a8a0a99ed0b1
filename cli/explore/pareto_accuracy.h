#pragma once
// Integer-only accuracy of a sweep's Pareto points: each distinct bit allocation on a front
// (latency or energy) is quantized from the float model (the `dyadic quantize` pipeline) and
// evaluated on the first `images` images of the evaluation data on the given integer backend
// (`dyadic eval --backend`; every backend equals the reference bit for bit). Rows with the same
// bits share one evaluation. Off the front, nothing is evaluated: the evaluation is the sweep's
// most expensive step.
#include <cstdint>
#include <vector>

#include "cli/explore/sweep_report.h"
#include "cli/quantize_pipeline.h"
#include "graph/dataset/data_source.h"
#include "graph/ir/graph.h"
#include "graph/quant/layer_backend.h"

namespace dyadic::cli::explore {

// Sets integer_top1 and accuracy_images of every row on either front: its bits quantize `graph`
// (import_for_quantization(request.model_path)) as `request` says, calibrated on `calibration`,
// and the integer model runs on the first `images` of `evaluation` (labelled, with at least that many).
void evaluate_pareto_accuracy(std::vector<SweepRow>& rows, const ir::Graph& graph, QuantizeRequest request,
                              const Calibration& calibration, const dataset::DataSource& evaluation, int64_t images,
                              quant::LayerBackend& backend);

}  // namespace dyadic::cli::explore
