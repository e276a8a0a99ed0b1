#pragma once
// Calibration: runs the float model over sample images and records, for every tensor, its range
// and (on a second pass, when asked) a histogram of |x| for percentile and MSE clipping.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"
#include "graph/quant/clipping.h"

namespace dyadic::quant {

using CalibrationStatistics = std::map<std::string, TensorStatistics>;

inline constexpr int kHistogramBins = 2048;

// `images`: [N, ...] matching the graph's single input (any N >= 1), evaluated `batch_size` at a
// time. With `histograms`, a second pass fills a kHistogramBins-bin histogram over [0, max |x|].
// `progress` (optional) hears (images done, images to do) after each batch of each pass.
using CalibrationProgress = std::function<void(int64_t done, int64_t total)>;
CalibrationStatistics collect_statistics(const ir::Graph& graph, const ir::FloatTensor& images, int64_t batch_size,
                                         bool histograms, const CalibrationProgress& progress = {});

// Whether `options` needs histograms for some tensor.
bool needs_histograms(const CalibrationOptions& options);

}  // namespace dyadic::quant
