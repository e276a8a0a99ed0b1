#include "cli/dataset_eval.h"

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

Shape shape_of(const dataset::FloatBatch& batch) { return Shape(batch.shape.begin(), batch.shape.end()); }

}  // namespace

void require_labelled(const dataset::DataSource& data, int64_t count) {
    require(data.labelled(), data.description() + " has no labels (give --labels with --npy)");
    require(count >= 1 && count <= data.size(), data.description() + " has " + std::to_string(data.size()) +
                                                    " inputs, " + std::to_string(count) + " asked for");
}

QuantizedAccuracy evaluate_quantized(const quant::QuantizedModel& model, quant::LayerBackend& backend,
                                     const dataset::DataSource& data, int64_t count, int64_t batch,
                                     bool with_fake_quant) {
    require_labelled(data, count);
    std::unique_ptr<quant::FakeQuantModel> fake_model;
    if (with_fake_quant) fake_model = std::make_unique<quant::FakeQuantModel>(model);
    QuantizedAccuracy result;
    result.images = count;
    ProgressBar progress("eval " + model.name + " on " + backend.name(), count, "images");
    for (int64_t first = 0; first < count; first += batch) {
        const int64_t n = std::min(batch, count - first);
        const dataset::LabelledBatch data_batch = data.batch(first, n);
        const dataset::FloatBatch& inputs = data_batch.inputs;
        const Shape shape = shape_of(inputs);
        const std::vector<int> integer = quant::argmax_rows(
            quant::run_model_in_parts(model, inputs.values, shape, backend)
                .at(0));
        std::vector<int> fake;
        if (fake_model) fake = argmax_rows(fake_model->run(ir::FloatTensor(shape, inputs.values), n));
        for (int64_t i = 0; i < n; ++i) {
            const int label = data_batch.labels[static_cast<size_t>(i)];
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

int64_t evaluate_float(const ir::Graph& graph, const dataset::DataSource& data, int64_t count, int64_t batch) {
    require_labelled(data, count);
    const ir::FloatExecutor executor(graph);
    ProgressBar progress("eval float model", count, "images");
    int64_t correct = 0;
    // Several batches at a time through run_in_batches (which may spread them over threads), few
    // enough that the inputs of an image folder stay small.
    const int64_t chunk = batch * std::max<int64_t>(1, 1024 / batch);
    for (int64_t first = 0; first < count; first += chunk) {
        const int64_t n = std::min(chunk, count - first);
        const dataset::LabelledBatch data_batch = data.batch(first, n);
        const std::vector<int> predicted = argmax_rows(
            executor.run_in_batches(ir::FloatTensor(shape_of(data_batch.inputs), data_batch.inputs.values), batch));
        for (int64_t i = 0; i < n; ++i) correct += predicted[static_cast<size_t>(i)] == data_batch.labels[static_cast<size_t>(i)];
        progress.update(first + n);
    }
    return correct;
}

}  // namespace dyadic::cli
