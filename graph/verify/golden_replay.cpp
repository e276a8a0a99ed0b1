#include "graph/verify/golden_replay.h"

#include <chrono>
#include <exception>

#include "graph/golden/golden_reader.h"

namespace dyadic::verify {

VerifyReport replay_golden(const std::string& directory, const std::vector<quant::LayerBackend*>& backends) {
    VerifyReport report;
    report.model = directory;
    for (quant::LayerBackend* b : backends) report.backends.push_back({b->name(), b->unavailable_reason()});
    const size_t count = golden::golden_layer_count(directory);
    for (size_t i = 0; i < count; ++i) {
        const golden::GoldenLayer g = golden::read_golden_layer(directory, i);
        if (i == 0 && !g.output.shape.empty()) report.images = g.output.shape[0];
        report.layer_names.push_back(g.layer.name);
        report.layer_ops.push_back(quant::op_name(g.layer.op));
        std::vector<const Tensor*> inputs;
        for (const Tensor& t : g.inputs) inputs.push_back(&t);
        std::vector<LayerCheck> row(backends.size());
        for (size_t b = 0; b < backends.size(); ++b) {
            LayerCheck& check = row[b];
            if (!report.backends[b].unavailable.empty()) {
                check.outcome = Outcome::skipped;
                check.reason = "unavailable: " + report.backends[b].unavailable;
                continue;
            }
            const std::string unsupported = backends[b]->unsupported_reason(g.layer, inputs);
            if (!unsupported.empty()) {
                check.outcome = Outcome::skipped;
                check.reason = "unsupported: " + unsupported;
                continue;
            }
            const auto start = std::chrono::steady_clock::now();
            try {
                check.diff = diff_tensors(g.output, backends[b]->run_layer(g.layer, inputs));
                check.batches = 1;
                check.outcome = check.diff.equal() ? Outcome::equal : Outcome::differ;
            } catch (const std::exception& e) {
                check.outcome = Outcome::failed;
                check.reason = e.what();
            }
            check.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        report.checks.push_back(std::move(row));
    }
    return report;
}

}  // namespace dyadic::verify
