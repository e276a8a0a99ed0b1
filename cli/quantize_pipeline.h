#pragma once
// The one path from a float ONNX model to an integer model that `quantize` and `compare` share:
// import, standard passes, calibration on Fashion-MNIST training images, PTQ, provenance metadata.
#include <optional>
#include <string>

#include "graph/dataset/normalized_batch.h"
#include "graph/ir/graph.h"
#include "graph/quant/quantized_model.h"
#include "graph/quant/quantizer.h"

namespace dyadic::cli {

struct QuantizeRequest {
    std::string model_path;               // float ONNX model
    std::optional<std::string> sidecar;   // default: the model path with .json
    std::optional<std::string> data_dir;  // default: dataset::default_fashion_mnist_directory()
    quant::QuantizeOptions options;
    int calibration_images = 512;
    int batch = 64;
};

// The imported graph after the standard passes (BN folded, fusions, non-negativity marked).
ir::Graph import_for_quantization(const std::string& model_path);

// The input normalization from the model's sidecar JSON.
dataset::InputNormalization sidecar_normalization(const QuantizeRequest& request);

// Quantizes `graph` (import_for_quantization(request.model_path)) as `request` says, calibrating
// on the first request.calibration_images training images, and records provenance metadata.
quant::QuantizedModel quantize_graph(const ir::Graph& graph, const QuantizeRequest& request);

}  // namespace dyadic::cli
