// dyadic quantize: float ONNX model -> integer model file (.dyqm). Imports the model, runs the
// standard passes, calibrates on Fashion-MNIST training images, quantizes with the given bit
// configuration and writes the model all-or-nothing.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/model_sidecar.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_metadata.h"
#include "graph/quant/model_stats.h"
#include "graph/quant/quantizer.h"
#include "reference/error.h"

namespace dyadic::cli::commands {

int quantize(const Args& args) {
    ArgParser parser("dyadic quantize",
                     "Post-training quantization of a float ONNX model into an integer model file (.dyqm,\n"
                     "docs/model-format.md). Calibrates on the first N Fashion-MNIST training images, normalized\n"
                     "as the model's sidecar JSON says.");
    parser.positional("model", "float ONNX model")
        .option("--output", "path", "output integer model (.dyqm)")
        .option("--bits", "config", "w8a8, w4a4, ... or a bit-configuration JSON file", std::string("w8a8"))
        .option("--calibration", "method", "auto, minmax, percentile or mse", std::string("auto"))
        .option("--percentile", "p", "percentile for --calibration percentile", std::string("99.99"))
        .option("--calibration-images", "n", "number of training images to calibrate on", std::string("512"))
        .option("--batch", "n", "images per float batch", std::string("64"))
        .option("--sidecar", "path", "model sidecar JSON (default: the model path with .json)")
        .option("--data", "dir", "Fashion-MNIST directory (default: $DYADIC_FASHION_MNIST_DIR or "
                                 "/usr/share/datasets/fashion-mnist)")
        .flag("--no-weight-mse", "use max |w| for every weight channel, also at <= 4 bits");
    parser.parse(args);
    const std::string model_path = parser.get("model");
    const std::string output = parser.get("--output");
    const int images = parser.get_int("--calibration-images");
    const int batch = parser.get_int("--batch");
    if (images < 1 || batch < 1) throw UsageError("--calibration-images and --batch must be >= 1");

    quant::QuantizeOptions options;
    options.bits = quant::load_bit_config(parser.get("--bits"));
    options.calibration.method = quant::parse_calibration_method(parser.get("--calibration"));
    options.calibration.percentile = parser.get_double("--percentile");
    options.mse_weight_clipping = !parser.has("--no-weight-mse");

    const dataset::ModelSidecar sidecar = dataset::read_model_sidecar(
        parser.get_optional("--sidecar").value_or(dataset::sidecar_path_for_model(model_path)));
    ir::Graph graph = ir::import_onnx_file(model_path);
    ir::run_standard_passes(graph);

    const dataset::LabelledImages train = dataset::load_fashion_mnist(
        dataset::Split::train, parser.get_optional("--data").value_or(dataset::default_fashion_mnist_directory()));
    require(static_cast<size_t>(images) <= train.count, "--calibration-images " + std::to_string(images) +
                                                            " exceeds the " + std::to_string(train.count) +
                                                            " training images");
    const dataset::FloatBatch batch_data =
        dataset::normalized_batch(train, 0, static_cast<size_t>(images), sidecar.normalization);
    const ir::FloatTensor calibration(Shape(batch_data.shape.begin(), batch_data.shape.end()), batch_data.values);
    const quant::CalibrationStatistics stats =
        quant::collect_statistics(graph, calibration, batch, quant::needs_histograms(options.calibration));

    const std::string base = model_path.substr(model_path.find_last_of('/') + 1);
    quant::QuantizedModel model = quant::quantize(graph, stats, options, base.substr(0, base.find_last_of('.')));
    model.metadata[quant::kMetadataSource] = base;
    model.metadata[quant::kMetadataBits] = nlohmann::json::parse(quant::to_json(options.bits)).dump();
    model.metadata[quant::kMetadataCalibration] = std::string(quant::calibration_method_name(options.calibration.method)) +
                                                  ", " + std::to_string(images) + " training images";
    model.metadata[quant::kMetadataInputMean] = quant::number_text(sidecar.normalization.mean);
    model.metadata[quant::kMetadataInputStd] = quant::number_text(sidecar.normalization.std);
    model.metadata[quant::kMetadataClasses] = nlohmann::json(sidecar.classes).dump();
    quant::save_model(model, output);

    const quant::ModelStats stats_out = quant::model_stats(model);
    std::cout << "wrote " << output << ": " << model.layers.size() << " layers, "
              << (stats_out.total_weight_size_bits + 7) / 8 << " weight bytes, " << stats_out.total_macs
              << " MACs and " << stats_out.total_bops << " BOPS per image\n";
    return 0;
}

}  // namespace dyadic::cli::commands
