#include "cli/quantize_pipeline.h"

#include <nlohmann/json.hpp>

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/model_sidecar.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli {
namespace {

dataset::ModelSidecar read_sidecar(const QuantizeRequest& request) {
    return dataset::read_model_sidecar(
        request.sidecar.value_or(dataset::sidecar_path_for_model(request.model_path)));
}

}  // namespace

ir::Graph import_for_quantization(const std::string& model_path) {
    ir::Graph graph = ir::import_onnx_file(model_path);
    ir::run_standard_passes(graph);
    return graph;
}

dataset::InputNormalization sidecar_normalization(const QuantizeRequest& request) {
    return read_sidecar(request).normalization;
}

quant::QuantizedModel quantize_graph(const ir::Graph& graph, const QuantizeRequest& request) {
    require(request.calibration_images >= 1 && request.batch >= 1,
            "calibration images and batch size must be >= 1");
    const dataset::ModelSidecar sidecar = read_sidecar(request);
    const dataset::LabelledImages train = dataset::load_fashion_mnist(
        dataset::Split::train, request.data_dir.value_or(dataset::default_fashion_mnist_directory()));
    require(static_cast<size_t>(request.calibration_images) <= train.count,
            std::to_string(request.calibration_images) + " calibration images requested, the training split has " +
                std::to_string(train.count));
    const dataset::FloatBatch batch_data =
        dataset::normalized_batch(train, 0, static_cast<size_t>(request.calibration_images), sidecar.normalization);
    const ir::FloatTensor calibration(Shape(batch_data.shape.begin(), batch_data.shape.end()), batch_data.values);
    const quant::CalibrationStatistics stats = quant::collect_statistics(
        graph, calibration, request.batch, quant::needs_histograms(request.options.calibration));

    const std::string& path = request.model_path;
    const std::string base = path.substr(path.find_last_of('/') + 1);
    quant::QuantizedModel model = quant::quantize(graph, stats, request.options, base.substr(0, base.find_last_of('.')));
    model.metadata[quant::kMetadataSource] = base;
    model.metadata[quant::kMetadataBits] = nlohmann::json::parse(quant::to_json(request.options.bits)).dump();
    model.metadata[quant::kMetadataCalibration] =
        std::string(quant::calibration_method_name(request.options.calibration.method)) + ", " +
        std::to_string(request.calibration_images) + " training images";
    model.metadata[quant::kMetadataInputMean] = quant::number_text(sidecar.normalization.mean);
    model.metadata[quant::kMetadataInputStd] = quant::number_text(sidecar.normalization.std);
    model.metadata[quant::kMetadataClasses] = nlohmann::json(sidecar.classes).dump();
    return model;
}

}  // namespace dyadic::cli
