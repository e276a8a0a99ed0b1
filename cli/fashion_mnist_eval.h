#pragma once
// Top-1 evaluation on the Fashion-MNIST test split, shared by `eval` and `compare`: the integer
// model on a backend (cpu or the reference), optionally its fake-quantized float twin, and the float
// graph itself. Shows a progress bar on a terminal.
#include <cstdint>

#include "cli/args.h"

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/ir/graph.h"
#include "graph/quant/layer_backend.h"
#include "graph/quant/quantized_model.h"

namespace dyadic::cli {

struct QuantizedAccuracy {
    int64_t images = 0;
    int64_t integer_correct = 0;
    int64_t fake_quant_correct = 0;  // only with fake quantization
    int64_t agreements = 0;          // integer and fake-quant predictions equal
};

// The input normalization: --mean/--std when given, else the model file's metadata; throws
// Error when neither has it.
dataset::InputNormalization model_normalization(const quant::QuantizedModel& model, const ArgParser& parser);

// The first `count` test images, `batch` at a time, the integer model on `backend`.
QuantizedAccuracy evaluate_quantized(const quant::QuantizedModel& model, quant::LayerBackend& backend,
                                     const dataset::LabelledImages& test,
                                     const dataset::InputNormalization& normalization, int64_t count, int64_t batch,
                                     bool with_fake_quant);

// Top-1 correct count of the float graph on the first `count` test images.
int64_t evaluate_float(const ir::Graph& graph, const dataset::LabelledImages& test,
                       const dataset::InputNormalization& normalization, int64_t count, int64_t batch);

}  // namespace dyadic::cli
