#include "cli/quantize_pipeline.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/progress.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli {

ir::Graph import_for_quantization(const std::string& model_path) {
    ir::Graph graph = ir::import_onnx_file(model_path);
    ir::run_standard_passes(graph);
    return graph;
}

const Shape& graph_input_shape(const ir::Graph& graph) {
    require(graph.inputs().size() == 1, "the model must have exactly one input");
    return graph.value(graph.inputs().front()).shape;
}

std::optional<dataset::ModelSidecar> read_sidecar(const QuantizeRequest& request) {
    if (request.sidecar) return dataset::read_model_sidecar(*request.sidecar);
    const std::string path = dataset::sidecar_path_for_model(request.model_path);
    if (!std::filesystem::exists(path)) return std::nullopt;
    return dataset::read_model_sidecar(path);
}

Calibration calibration_from(const dataset::DataSource& source, const QuantizeRequest& request,
                             const dataset::Preprocessing& preprocessing,
                             const std::optional<dataset::ModelSidecar>& sidecar) {
    require(request.calibration_images >= 1 && request.calibration_images <= source.size(),
            std::to_string(request.calibration_images) + " calibration images requested, " + source.description() +
                " has " + std::to_string(source.size()));
    const dataset::LabelledBatch batch = source.batch(0, request.calibration_images);
    Calibration calibration;
    calibration.images = ir::FloatTensor(Shape(batch.inputs.shape.begin(), batch.inputs.shape.end()), batch.inputs.values);
    calibration.preprocessing = preprocessing;
    calibration.classes = sidecar ? sidecar->classes : source.classes();
    calibration.description = std::to_string(request.calibration_images) + " images of " + source.description();
    return calibration;
}

dataset::Preprocessing sidecar_preprocessing(const QuantizeRequest& request) {
    const auto sidecar = read_sidecar(request);
    require(sidecar.has_value(), request.model_path + ": no sidecar JSON (" +
                                     dataset::sidecar_path_for_model(request.model_path) + ") with the input mean and std");
    dataset::Preprocessing preprocessing;
    preprocessing.mean = {sidecar->normalization.mean};
    preprocessing.std = {sidecar->normalization.std};
    return preprocessing;
}

Calibration fashion_mnist_calibration(const QuantizeRequest& request, const std::optional<std::string>& directory) {
    const dataset::Preprocessing preprocessing = sidecar_preprocessing(request);
    const auto train = dataset::fashion_mnist_source(
        dataset::load_fashion_mnist(dataset::Split::train, directory.value_or(dataset::default_fashion_mnist_directory())),
        "Fashion-MNIST training split", preprocessing);
    return calibration_from(*train, request, preprocessing, read_sidecar(request));
}

quant::CalibrationStatistics calibration_statistics(const ir::Graph& graph, const QuantizeRequest& request,
                                                    const Calibration& calibration) {
    require(request.batch >= 1, "the batch size must be >= 1");
    const bool histograms = quant::needs_histograms(request.options.calibration);
    // With histograms every image runs twice (ranges, then histograms).
    ProgressBar progress(histograms ? "calibrate (2 passes)" : "calibrate",
                         calibration.images.shape.at(0) * (histograms ? 2 : 1), "images");
    return quant::collect_statistics(graph, calibration.images, request.batch, histograms,
                                     [&](int64_t done, int64_t) { progress.update(done); });
}

quant::QuantizedModel quantize_graph(const ir::Graph& graph, const QuantizeRequest& request,
                                     const Calibration& calibration) {
    return quantize_graph(graph, request, calibration, calibration_statistics(graph, request, calibration));
}

quant::QuantizedModel quantize_graph(const ir::Graph& graph, const QuantizeRequest& request,
                                     const Calibration& calibration, const quant::CalibrationStatistics& stats) {
    const std::string& path = request.model_path;
    const std::string base = path.substr(path.find_last_of('/') + 1);
    quant::QuantizedModel model = quant::quantize(graph, stats, request.options, base.substr(0, base.find_last_of('.')));
    model.metadata[quant::kMetadataSource] = base;
    model.metadata[quant::kMetadataBits] = nlohmann::json::parse(quant::to_json(request.options.bits)).dump();
    model.metadata[quant::kMetadataCalibration] =
        std::string(quant::calibration_method_name(request.options.calibration.method)) + ", " + calibration.description;
    const dataset::Preprocessing& p = calibration.preprocessing;
    model.metadata[quant::kMetadataInputPreprocessing] = dataset::preprocessing_json(p);
    // The version-1 keys, for readers that predate input_preprocessing (one mean and std only).
    if (p.mean.size() == 1 && p.std.size() == 1) {
        model.metadata[quant::kMetadataInputMean] = quant::number_text(p.mean[0]);
        model.metadata[quant::kMetadataInputStd] = quant::number_text(p.std[0]);
    }
    if (!calibration.classes.empty()) model.metadata[quant::kMetadataClasses] = nlohmann::json(calibration.classes).dump();
    return model;
}

}  // namespace dyadic::cli
