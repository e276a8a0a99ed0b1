#pragma once
// The one path from a float ONNX model to an integer model that `quantize`, `compare` and
// `explore` share: import, standard passes, calibration on a data source, PTQ, provenance and
// preprocessing metadata.
#include <optional>
#include <string>
#include <vector>

#include "graph/dataset/data_source.h"
#include "graph/dataset/model_sidecar.h"
#include "graph/dataset/preprocessing.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/graph.h"
#include "graph/quant/quantized_model.h"
#include "graph/quant/quantizer.h"

namespace dyadic::cli {

struct QuantizeRequest {
    std::string model_path;              // float ONNX model
    std::optional<std::string> sidecar;  // default: the model path with .json, when that file exists
    quant::QuantizeOptions options;
    int calibration_images = 512;
    int batch = 64;
};

// The calibration inputs and what the model file records about them.
struct Calibration {
    ir::FloatTensor images;                 // [N, C, H, W]
    dataset::Preprocessing preprocessing;   // how raw pixels became `images`
    std::vector<std::string> classes;       // class names in label order; may be empty
    std::string description;                // "512 images of the Fashion-MNIST training split"
};

// The imported graph after the standard passes (BN folded, fusions, non-negativity marked).
ir::Graph import_for_quantization(const std::string& model_path);

// [N, C, H, W] of the graph's single input.
const Shape& graph_input_shape(const ir::Graph& graph);

// The sidecar JSON: request.sidecar when given (it must exist), else the model path with .json
// when that file exists, else nothing.
std::optional<dataset::ModelSidecar> read_sidecar(const QuantizeRequest& request);

// The first request.calibration_images inputs of `source` (Error when it has fewer), with the
// sidecar's class names, else the source's.
Calibration calibration_from(const dataset::DataSource& source, const QuantizeRequest& request,
                             const dataset::Preprocessing& preprocessing,
                             const std::optional<dataset::ModelSidecar>& sidecar);

// The sidecar's normalization on Fashion-MNIST's grey levels (Error without a sidecar), and the
// calibration on the first request.calibration_images training images of `directory` (default:
// dataset::default_fashion_mnist_directory()): the bundled models' path, used by `explore`.
dataset::Preprocessing sidecar_preprocessing(const QuantizeRequest& request);
Calibration fashion_mnist_calibration(const QuantizeRequest& request, const std::optional<std::string>& directory);

// The statistics of `graph`'s tensors on `calibration` (with a progress bar). They depend on the
// graph, the images, the batch and the calibration method, never on the bit widths: a command
// that quantizes one graph at several bit configurations collects them once.
quant::CalibrationStatistics calibration_statistics(const ir::Graph& graph, const QuantizeRequest& request,
                                                    const Calibration& calibration);

// Quantizes `graph` (import_for_quantization(request.model_path)) as `request` says from
// `statistics` (calibration_statistics of the same graph, request and calibration), and records
// provenance and preprocessing metadata.
quant::QuantizedModel quantize_graph(const ir::Graph& graph, const QuantizeRequest& request,
                                     const Calibration& calibration, const quant::CalibrationStatistics& statistics);

// The same, collecting the statistics first.
quant::QuantizedModel quantize_graph(const ir::Graph& graph, const QuantizeRequest& request,
                                     const Calibration& calibration);

}  // namespace dyadic::cli
