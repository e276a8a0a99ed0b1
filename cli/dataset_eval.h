#pragma once
// Top-1 evaluation on a labelled data source (Fashion-MNIST, a .npy batch, an image folder),
// shared by `eval`, `compare` and `explore`: the integer model on a backend (cpu or the reference),
// optionally its fake-quantized float twin, and the float graph itself. Shows a progress bar.
#include <cstdint>

#include "graph/dataset/data_source.h"
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

// Throws Error naming the source when it has no labels or fewer than `count` inputs.
void require_labelled(const dataset::DataSource& data, int64_t count);

// The first `count` inputs of `data`, `batch` at a time, the integer model on `backend`.
QuantizedAccuracy evaluate_quantized(const quant::QuantizedModel& model, quant::LayerBackend& backend,
                                     const dataset::DataSource& data, int64_t count, int64_t batch,
                                     bool with_fake_quant);

// Top-1 correct count of the float graph on the first `count` inputs of `data`.
int64_t evaluate_float(const ir::Graph& graph, const dataset::DataSource& data, int64_t count, int64_t batch);

}  // namespace dyadic::cli
