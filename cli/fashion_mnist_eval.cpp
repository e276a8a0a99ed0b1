#include "cli/fashion_mnist_eval.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "cli/progress.h"
#include "graph/ir/executor.h"
#include "graph/quant/fake_quant.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli {
namespace {

// Index of the largest value of each row of a float [N, C] tensor (ties: lowest index, as
// quant::argmax_rows does for integer logits).
std::vector<int> argmax_rows(const ir::FloatTensor& logits) {
    const int64_t rows = logits.shape.at(0), columns = logits.size() / rows;
    std::vector<int> best(static_cast<size_t>(rows), 0);
    for (int64_t r = 0; r < rows; ++r) {
        const auto row = logits.data.begin() + r * columns;
        best[static_cast<size_t>(r)] = static_cast<int>(std::max_element(row, row + columns) - row);
    }
    return best;
}

dataset::FloatBatch test_batch(const dataset::LabelledImages& test, int64_t first, int64_t count,
                               const dataset::InputNormalization& normalization) {
    return dataset::normalized_batch(test, static_cast<size_t>(first), static_cast<size_t>(count), normalization);
}

}  // namespace

dataset::InputNormalization model_normalization(const quant::QuantizedModel& model, const ArgParser& parser) {
    const auto mean = parser.get_optional("--mean");
    const auto std = parser.get_optional("--std");
    const auto stored_mean = quant::metadata_number(model, quant::kMetadataInputMean);
    const auto stored_std = quant::metadata_number(model, quant::kMetadataInputStd);
    require((mean || stored_mean) && (std || stored_std),
            "the model file has no input_mean/input_std metadata: pass --mean and --std");
    return {mean ? parser.get_double("--mean") : *stored_mean, std ? parser.get_double("--std") : *stored_std};
}

QuantizedAccuracy evaluate_quantized(const quant::QuantizedModel& model, quant::LayerBackend& backend,
                                     const dataset::LabelledImages& test,
                                     const dataset::InputNormalization& normalization, int64_t count, int64_t batch,
                                     bool with_fake_quant) {
    std::unique_ptr<quant::FakeQuantModel> fake_model;
    if (with_fake_quant) fake_model = std::make_unique<quant::FakeQuantModel>(model);
    QuantizedAccuracy result;
    result.images = count;
    ProgressBar progress("eval " + model.name + " on " + backend.name(), count);
    const quant::LayerRunner runner = [&](const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs) {
        return backend.run_layer(layer, inputs);
    };
    for (int64_t first = 0; first < count; first += batch) {
        const int64_t n = std::min(batch, count - first);
        const dataset::FloatBatch data = test_batch(test, first, n, normalization);
        const Shape shape(data.shape.begin(), data.shape.end());
        const std::vector<int> integer =
            quant::argmax_rows(quant::run_model(model, quant::quantize_model_input(model, data.values, shape), {}, runner).at(0));
        std::vector<int> fake;
        if (fake_model) fake = argmax_rows(fake_model->run(ir::FloatTensor(shape, data.values), n));
        for (int64_t i = 0; i < n; ++i) {
            const int label = test.labels[static_cast<size_t>(first + i)];
            result.integer_correct += integer[static_cast<size_t>(i)] == label;
            if (fake_model) {
                result.fake_quant_correct += fake[static_cast<size_t>(i)] == label;
                result.agreements += fake[static_cast<size_t>(i)] == integer[static_cast<size_t>(i)];
            }
        }
        progress.update(first + n);
    }
    return result;
}

int64_t evaluate_float(const ir::Graph& graph, const dataset::LabelledImages& test,
                       const dataset::InputNormalization& normalization, int64_t count, int64_t batch) {
    const ir::FloatExecutor executor(graph);
    const dataset::FloatBatch data = test_batch(test, 0, count, normalization);
    const ir::FloatTensor logits =
        executor.run_in_batches(ir::FloatTensor(Shape(data.shape.begin(), data.shape.end()), data.values), batch);
    const std::vector<int> predicted = argmax_rows(logits);
    int64_t correct = 0;
    for (int64_t i = 0; i < count; ++i) correct += predicted[static_cast<size_t>(i)] == test.labels[static_cast<size_t>(i)];
    return correct;
}

}  // namespace dyadic::cli
