#include "graph/verify/model_verifier.h"

#include <chrono>
#include <exception>
#include <optional>

#include "graph/quant/integer_executor.h"
#include "util/error.h"

namespace dyadic::verify {
namespace {

// failed > differ > skipped > equal: a layer's outcome over batches is its worst one.
int severity(Outcome o) {
    switch (o) {
        case Outcome::equal: return 0;
        case Outcome::skipped: return 1;
        case Outcome::differ: return 2;
        case Outcome::failed: return 3;
    }
    return 3;
}

void record(LayerCheck& check, Outcome outcome, const std::string& reason) {
    if (severity(outcome) > severity(check.outcome)) {
        check.outcome = outcome;
        check.reason = reason;
    }
}

}  // namespace

const char* outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::equal: return "equal";
        case Outcome::differ: return "differ";
        case Outcome::failed: return "failed";
        case Outcome::skipped: return "skipped";
    }
    return "unknown";
}

int64_t VerifyReport::count(Outcome outcome) const {
    int64_t n = 0;
    for (const auto& row : checks) {
        for (const LayerCheck& c : row) n += c.outcome == outcome ? 1 : 0;
    }
    return n;
}

bool VerifyReport::passed(bool require_all) const {
    if (count(Outcome::differ) > 0 || count(Outcome::failed) > 0) return false;
    if (require_all && count(Outcome::skipped) > 0) return false;
    return count(Outcome::equal) > 0;
}

ModelVerifier::ModelVerifier(const quant::QuantizedModel& model, std::vector<quant::LayerBackend*> backends,
                             VerifyOptions options)
    : model_(model), backends_(std::move(backends)), options_(std::move(options)) {
    report_.model = model.name;
    report_.chained = options_.chained;
    for (quant::LayerBackend* backend : backends_) {
        require(backend != nullptr, "verify: null backend");
        report_.backends.push_back({backend->name(), backend->unavailable_reason()});
    }
    for (const quant::QuantizedLayer& layer : model.layers) {
        report_.layer_names.push_back(layer.name);
        report_.layer_ops.push_back(quant::op_name(layer.op));
    }
    report_.checks.assign(model.layers.size(), std::vector<LayerCheck>(backends_.size()));
    for (size_t b = 0; b < backends_.size(); ++b) {
        if (report_.backends[b].unavailable.empty()) continue;
        for (auto& row : report_.checks) record(row[b], Outcome::skipped, "unavailable: " + report_.backends[b].unavailable);
    }
}

void ModelVerifier::add_batch(const Tensor& quantized_input, int64_t first_image) {
    require(!quantized_input.shape.empty(), "verify: the input has no batch dimension");
    if (options_.chained) {
        check_chained(quantized_input, first_image);
    } else {
        check_independent(quantized_input, first_image);
    }
    report_.images += quantized_input.shape[0];
}

bool ModelVerifier::run_and_compare(size_t layer_index, size_t b, const std::vector<const Tensor*>& inputs,
                                    const Tensor& expected, int64_t first_image, Tensor* output) {
    LayerCheck& check = report_.checks[layer_index][b];
    if (!report_.backends[b].unavailable.empty()) return false;
    quant::LayerBackend& backend = *backends_[b];
    const quant::QuantizedLayer& layer = model_.layers[layer_index];
    const std::string unsupported = backend.unsupported_reason(layer, inputs);
    if (!unsupported.empty()) {
        record(check, Outcome::skipped, "unsupported: " + unsupported);
        return false;
    }
    Tensor got;
    const auto start = std::chrono::steady_clock::now();
    try {
        got = backend.run_layer(layer, inputs);
    } catch (const std::exception& e) {
        record(check, Outcome::failed, e.what());
        return false;
    }
    check.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const TensorDiff diff = diff_tensors(expected, got);
    if (check.batches == 0) {
        check.diff = diff;
        if (!check.diff.first_at.empty()) check.diff.first_at[0] += first_image;
    } else {
        merge_batch(check.diff, diff, first_image);
    }
    ++check.batches;
    if (!diff.equal()) record(check, Outcome::differ, describe(check.diff));
    if (output != nullptr) *output = std::move(got);
    return true;
}

void ModelVerifier::check_independent(const Tensor& input, int64_t first_image) {
    const size_t layer_count = model_.layers.size();
    quant::run_model(model_, input, [&](size_t index, const quant::QuantizedLayer&,
                                        const std::vector<const Tensor*>& inputs, const Tensor& expected) {
        for (size_t b = 0; b < backends_.size(); ++b) run_and_compare(index, b, inputs, expected, first_image, nullptr);
        if (options_.on_layer) options_.on_layer(index, layer_count);
    });
}

void ModelVerifier::check_chained(const Tensor& input, int64_t first_image) {
    const size_t layer_count = model_.layers.size();
    std::vector<Tensor> expected(layer_count);
    quant::run_model(model_, input, [&](size_t index, const quant::QuantizedLayer&, const std::vector<const Tensor*>&,
                                        const Tensor& output) { expected[index] = output; });
    for (size_t b = 0; b < backends_.size(); ++b) {
        if (!report_.backends[b].unavailable.empty()) continue;
        size_t index = 0;
        const quant::LayerRunner runner = [&](const quant::QuantizedLayer& layer,
                                              const std::vector<const Tensor*>& inputs) -> Tensor {
            const size_t i = index++;
            Tensor got;
            if (run_and_compare(i, b, inputs, expected[i], first_image, &got)) return got;
            // Skipped or failed: the reference computes this layer from the backend's own inputs.
            return quant::run_layer(layer, inputs);
        };
        quant::run_model(model_, input, {}, runner);
        if (options_.on_layer) options_.on_layer(layer_count - 1, layer_count);
    }
}

}  // namespace dyadic::verify
