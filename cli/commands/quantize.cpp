// dyadic quantize: float ONNX model -> integer model file (.dyqm). Imports the model, runs the
// standard passes, calibrates on Fashion-MNIST training images, a .npy batch or an image folder,
// quantizes with the given bit configuration and writes the model, with the preprocessing it was
// calibrated with, all-or-nothing.
#include <iostream>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/quantize_pipeline.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_stats.h"

namespace dyadic::cli::commands {

int quantize(const Args& args) {
    ArgParser parser("dyadic quantize",
                     "Post-training quantization of a float ONNX model into an integer model file (.dyqm,\n"
                     "docs/model-format.md). Calibrates on the first N Fashion-MNIST training images (or --npy,\n"
                     "--folder), preprocessed as the model's sidecar JSON or --mean/--std/--resize say; the file\n"
                     "records that preprocessing, and eval/run/compare apply it (docs/data.md).");
    parser.positional("model", "float ONNX model")
        .option("--output", "path", "output integer model (.dyqm)")
        .option("--bits", "config", "w8a8, w4a4, ... or a bit-configuration JSON file", std::string("w8a8"))
        .option("--calibration", "method", "auto, minmax, percentile or mse", std::string("auto"))
        .option("--percentile", "p", "percentile for --calibration percentile", std::string("99.99"))
        .option("--calibration-images", "n", "number of images to calibrate on (1..60000)", std::string("512"))
        .option("--batch", "n", "images per float batch (1..10000)", std::string("64"))
        .option("--sidecar", "path", "model sidecar JSON (default: the model path with .json, when it exists)")
        .flag("--no-weight-mse", "use max |w| for every weight channel, also at <= 4 bits");
    add_data_options(parser);
    parser.parse(args);
    QuantizeRequest request;
    request.model_path = parser.get("model");
    request.sidecar = parser.get_optional("--sidecar");
    request.calibration_images = parser.get_int("--calibration-images", 1, 60000);
    request.batch = parser.get_int("--batch", 1, 10000);
    request.options.bits = quant::load_bit_config(parser.get("--bits"));
    request.options.calibration.method = quant::parse_calibration_method(parser.get("--calibration"));
    request.options.calibration.percentile = parser.get_double("--percentile");
    request.options.mse_weight_clipping = !parser.has("--no-weight-mse");
    const std::string output = parser.get("--output");

    const ir::Graph graph = import_for_quantization(request.model_path);
    const auto sidecar = read_sidecar(request);
    const Shape& input_shape = graph_input_shape(graph);
    PreprocessingChoice choice = float_model_preprocessing(input_shape, sidecar, parser);
    const auto source = open_data(parser, dataset::Split::train, choice, image_shape(input_shape, request.model_path),
                                  "the sidecar");
    const Calibration calibration = calibration_from(*source, request, choice.preprocessing, sidecar);
    const quant::QuantizedModel model = quantize_graph(graph, request, calibration);
    quant::save_model(model, output);

    const quant::ModelStats stats_out = quant::model_stats(model);
    std::cout << "wrote " << output << ": " << model.layers.size() << " layers, "
              << (stats_out.total_weight_size_bits + 7) / 8 << " weight bytes, " << stats_out.total_macs
              << " MACs and " << stats_out.total_bops << " BOPS per image\n";
    return 0;
}

}  // namespace dyadic::cli::commands
