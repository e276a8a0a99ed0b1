#pragma once
// Integer-only accuracy of a sweep's Pareto points: each distinct bit allocation on a front
// (latency or energy) is
// quantized from the float model (the `dyadic quantize` pipeline) and evaluated on the first
// `images` Fashion-MNIST test images on the given integer backend (`dyadic eval --backend`; every
// backend equals the reference bit for bit). Rows with the same
// bits share one evaluation. Off the front, nothing is evaluated: the evaluation is the sweep's
// most expensive step.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/explore/sweep_plan.h"
#include "cli/explore/sweep_report.h"
#include "graph/quant/layer_backend.h"

namespace dyadic::cli::explore {

// Sets integer_top1 and accuracy_images of every row on either front. Throws Error for a model or data
// set that cannot be read, or `images` outside 1..(test images).
void evaluate_pareto_accuracy(std::vector<SweepRow>& rows, const SweepPlan& plan, int64_t images,
                              const std::optional<std::string>& data_directory, quant::LayerBackend& backend);

}  // namespace dyadic::cli::explore
