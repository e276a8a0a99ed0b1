#include "cli/explore/pareto_accuracy.h"

#include <iostream>
#include <map>

#include "cli/dataset_eval.h"
#include "graph/quant/bit_candidates.h"
#include "graph/quant/bit_config.h"
#include "util/error.h"

namespace dyadic::cli::explore {
namespace {

// The row's allocation as a bit configuration: each layer takes its label's widths.
quant::BitConfig bit_config_of(const SweepRow& row) {
    require(row.layers.size() == row.bits.size(), "sweep row '" + row.name + "': layers and bits disagree");
    quant::BitConfig config;
    for (std::size_t l = 0; l < row.layers.size(); ++l) {
        const quant::BitCandidate candidate = quant::parse_bit_candidates(row.bits[l]).front();
        config.layers[row.layers[l]] = quant::LayerBits{candidate.weight_bits, candidate.activation_bits};
    }
    return config;
}

}  // namespace

void evaluate_pareto_accuracy(std::vector<SweepRow>& rows, const ir::Graph& graph, QuantizeRequest request,
                              const Calibration& calibration, const dataset::DataSource& evaluation, int64_t images,
                              quant::LayerBackend& backend) {
    // One calibration for every allocation: the statistics do not depend on the bits.
    const quant::CalibrationStatistics statistics = calibration_statistics(graph, request, calibration);

    std::map<std::vector<std::string>, double> by_bits;  // allocation -> integer top-1
    for (SweepRow& row : rows) {
        if (!row.pareto && !row.pareto_energy) continue;
        auto found = by_bits.find(row.bits);
        if (found == by_bits.end()) {
            std::cerr << "accuracy of " << row.name << " [" << row.budget << "]\n";
            request.options.bits = bit_config_of(row);
            const QuantizedAccuracy accuracy =
                evaluate_quantized(quantize_graph(graph, request, calibration, statistics), backend, evaluation, images, 100, false);
            found = by_bits.emplace(row.bits, static_cast<double>(accuracy.integer_correct) /
                                                  static_cast<double>(accuracy.images)).first;
        }
        row.integer_top1 = found->second;
        row.accuracy_images = images;
    }
}

}  // namespace dyadic::cli::explore
