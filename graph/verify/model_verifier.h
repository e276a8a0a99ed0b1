#pragma once
// Layer-by-layer comparison of backends with the reference over a whole integer model: the engine
// of `dyadic verify` and of the differential tests. Header is C++17.
//
// Independent mode (default): the reference runs the model, and every layer of every backend is
// fed the reference's inputs of that layer, so one wrong layer shows as exactly one wrong layer
// instead of cascading. Chained mode: each backend runs the whole model on its own outputs (end to
// end), and each layer's output is compared with the reference's at that layer.
//
// A backend that is unavailable, or that does not support a layer, is recorded as skipped with its
// reason, never as equal; one that throws is recorded as failed with the message. In chained mode
// the reference stands in for a skipped or failed layer so that the chain can go on.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graph/quant/layer_backend.h"
#include "graph/quant/quantized_model.h"
#include "graph/verify/tensor_diff.h"
#include "reference/tensor.h"

namespace dyadic::verify {

enum class Outcome { equal, differ, failed, skipped };
const char* outcome_name(Outcome outcome);  // "equal", "differ", "failed", "skipped"

// One backend on one layer, over every batch added so far.
struct LayerCheck {
    Outcome outcome = Outcome::equal;
    std::string reason;     // skipped or failed: why (the first batch's reason)
    TensorDiff diff;        // compared elements, differing count, first difference, largest difference
    double seconds = 0;     // the backend's wall time on this layer
    int64_t batches = 0;    // batches in which the layer was compared
};

struct BackendInfo {
    std::string name;
    std::string unavailable;  // empty when available
};

struct VerifyReport {
    std::string model;
    bool chained = false;
    int64_t images = 0;
    std::vector<BackendInfo> backends;
    std::vector<std::string> layer_names;
    std::vector<std::string> layer_ops;
    std::vector<std::vector<LayerCheck>> checks;  // [layer][backend]

    int64_t count(Outcome outcome) const;
    // Nothing differs or failed, something was compared, and with require_all nothing was skipped.
    bool passed(bool require_all) const;
};

struct VerifyOptions {
    bool chained = false;
    // Called after each layer of each batch (layer index, layer count), for progress on long runs.
    std::function<void(size_t, size_t)> on_layer;
};

class ModelVerifier {
public:
    // The model is assumed validated; backends must outlive the verifier. The reference is always
    // the expected side, so a backend named "ref" in the list is compared with itself only if given.
    ModelVerifier(const quant::QuantizedModel& model, std::vector<quant::LayerBackend*> backends,
                  VerifyOptions options = {});

    // Runs one batch (the model's input type, any batch size) through the reference and every
    // backend; first_image is the index of the batch's first image in the whole input, so that
    // reported coordinates count from the start of the whole input.
    void add_batch(const Tensor& quantized_input, int64_t first_image);

    const VerifyReport& report() const { return report_; }

private:
    void check_independent(const Tensor& input, int64_t first_image);
    void check_chained(const Tensor& input, int64_t first_image);
    // Runs backend b on one layer, compares with `expected`, folds the result into the report and
    // returns the backend's output (or nothing when skipped or failed).
    bool run_and_compare(size_t layer_index, size_t b, const std::vector<const Tensor*>& inputs,
                         const Tensor& expected, int64_t first_image, Tensor* output);

    const quant::QuantizedModel& model_;
    std::vector<quant::LayerBackend*> backends_;
    VerifyOptions options_;
    VerifyReport report_;
};

}  // namespace dyadic::verify
