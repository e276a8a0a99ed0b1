#include "graph/quant/calibration.h"

#include "graph/ir/executor.h"
#include "util/error.h"

namespace dyadic::quant {

bool needs_histograms(const CalibrationOptions& options) { return options.method != CalibrationMethod::MinMax; }

CalibrationStatistics collect_statistics(const ir::Graph& graph, const ir::FloatTensor& images, int64_t batch_size,
                                         bool histograms, const CalibrationProgress& progress) {
    require(!images.shape.empty() && images.shape[0] >= 1, "calibration: needs at least one image");
    require(batch_size >= 1, "calibration: batch size must be >= 1");
    const ir::FloatExecutor executor(graph);
    CalibrationStatistics stats;
    // The graph output is observed once per batch: it counts the images done.
    const int64_t total = images.shape[0] * (histograms ? 2 : 1);
    int64_t done = 0;
    const auto count_batch = [&](const std::string& tensor, const ir::FloatTensor& value) {
        if (!progress || !graph.is_output(tensor)) return;
        done += value.shape.at(0);
        progress(done, total);
    };

    ir::RunOptions ranges;
    ranges.observe = [&](const std::string& tensor, const ir::FloatTensor& value) {
        stats[tensor].add_range(value.data.data(), value.size());
        count_batch(tensor, value);
    };
    executor.run_in_batches(images, batch_size, ranges);
    if (!histograms) return stats;

    for (auto& [name, s] : stats) s.histogram = AbsHistogram(s.abs_max(), kHistogramBins);
    ir::RunOptions counts;
    counts.observe = [&](const std::string& tensor, const ir::FloatTensor& value) {
        stats.at(tensor).histogram.add(value.data.data(), value.size());
        count_batch(tensor, value);
    };
    executor.run_in_batches(images, batch_size, counts);
    return stats;
}

}  // namespace dyadic::quant
