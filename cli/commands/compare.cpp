// dyadic compare: the project's main job. Quantizes one float ONNX model at several bit
// configurations, evaluates each integer-only on the cpu backend (or --backend ref) on the Fashion-MNIST
// test split or the user's data (calibrated on held-out images when given), and tabulates FP32,
// fake-quant and integer top-1, weight size, BOPS and how often the integer model predicts the same
// class as its fake-quantized float twin.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/calibration_report.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/dataset_eval.h"
#include "cli/quantize_pipeline.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_stats.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace dyadic::cli::commands {
namespace {

struct ConfigResult {
    std::string bits;  // as given: shorthand or bit-config file
    quant::ModelStats stats;
    QuantizedAccuracy accuracy;
};

// The folder and its parents; Error naming it when it cannot be made (a file in the way, no permission).
void create_directories(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    require(!error && std::filesystem::is_directory(dir), "--save-dir " + dir + ": cannot create the folder" +
                                                              (error ? " (" + error.message() + ")" : std::string()));
}

double percent(int64_t part, int64_t whole) { return 100.0 * static_cast<double>(part) / static_cast<double>(whole); }

}  // namespace

int compare(const Args& args) {
    ArgParser parser("dyadic compare",
                     "Quantize a float ONNX model at several bit configurations and evaluate each integer-only on\n"
                     "the Fashion-MNIST test split (calibrated on the training split) or on --npy/--folder\n"
                     "(calibrated on --calibration-npy/--calibration-folder; without them on the data's own first\n"
                     "images, with a warning, and calibration_overlaps_evaluation in the JSON): FP32, fake-quant\n"
                     "and integer top-1, weight size, BOPS, and the fraction of images where the integer and\n"
                     "fake-quant models predict the same class.");
    parser.positional("model", "float ONNX model with its sidecar JSON", false)
        .option("--bits", "config", "w8a8, w4a4, ... or a bit-configuration JSON file (repeatable; default: "
                                    "w8a8, w4a4 and the model's <name>.mixed.json)")
        .option("--count", "n", "number of test images (default: all)")
        .option("--batch", "n", "images per batch (1..10000)", std::string("100"))
        .option("--save-dir", "dir", "also write each integer model there as <model>.<config>.dyqm (created when missing)")
        .option("--json", "path", "write the results as JSON to this file");
    add_data_options(parser);
    add_calibration_data_options(parser);
    add_backend_options(parser, "cpu");
    parser.parse(args);
    const std::unique_ptr<quant::LayerBackend> backend = backend_from_args(parser);
    const std::string backend_text = backend_label(*backend);

    QuantizeRequest request;
    request.model_path = parser.get_optional("model").value_or("models/fmnist_resnet.onnx");
    const std::string stem = request.model_path.substr(0, request.model_path.find_last_of('.'));
    std::vector<std::string> configs = parser.get_all("--bits");
    if (configs.empty()) configs = {"w8a8", "w4a4", stem + ".mixed.json"};
    const int64_t batch = parser.get_int("--batch", 1, 10000);
    // Every configuration is parsed before the long work starts, so a typo fails at once.
    std::vector<quant::BitConfig> bit_configs;
    for (const std::string& config : configs) bit_configs.push_back(quant::load_bit_config(config));
    const std::optional<std::string> save_dir = parser.get_optional("--save-dir");
    if (save_dir) create_directories(*save_dir);

    const ir::Graph graph = import_for_quantization(request.model_path);
    const auto sidecar = read_sidecar(request);
    const Shape& input_shape = graph_input_shape(graph);
    const std::array<int64_t, 3> image = image_shape(input_shape, request.model_path);
    PreprocessingChoice choice = float_model_preprocessing(input_shape, sidecar, parser);
    const CalibrationAndEvaluationData data = open_calibration_and_evaluation_data(parser, choice, image, "the sidecar");
    request.calibration_images = data.calibration_images;
    const dataset::DataSource* test = data.evaluation.get();
    const int64_t count = parser.has("--count") ? count_option(parser, "--count", test->size()) : test->size();
    const int64_t overlap = data.overlapping_images(count);
    data.warn_if_overlapping(count);
    const Calibration calibration = calibration_from(data.calibration_source(), request, choice.preprocessing, sidecar);
    const int64_t fp32_correct = evaluate_float(graph, *test, count, batch);

    // One calibration for every configuration: the statistics do not depend on the bits.
    const quant::CalibrationStatistics statistics = calibration_statistics(graph, request, calibration);
    std::vector<ConfigResult> results;
    for (size_t i = 0; i < configs.size(); ++i) {
        std::cerr << "quantizing " << request.model_path << " at " << configs[i] << '\n';
        request.options.bits = bit_configs[i];
        const quant::QuantizedModel model = quantize_graph(graph, request, calibration, statistics);
        if (save_dir) {
            const std::string label = configs[i].substr(configs[i].find_last_of('/') + 1);
            quant::save_model(model, *save_dir + "/" + stem.substr(stem.find_last_of('/') + 1) + "." +
                                         label.substr(0, label.find(".json")) + ".dyqm");
        }
        results.push_back({configs[i], quant::model_stats(model),
                           evaluate_quantized(model, *backend, *test, count, batch, true)});
    }

    std::printf("%s on %lld images of %s; FP32 top-1 %.2f%%; integer columns by backend %s\n",
                request.model_path.c_str(), static_cast<long long>(count), test->description().c_str(),
                percent(fp32_correct, count), backend_text.c_str());
    std::printf("calibrated on %s%s\n\n", calibration.description.c_str(),
                overlap > 0 ? (", " + std::to_string(overlap) + " of them evaluated too").c_str() : "");
    std::printf("%-28s %9s %11s %11s %10s %11s %14s\n", "bits", "FP32", "fake-quant", "integer", "agreement",
                "weights KiB", "BOPS/image");
    nlohmann::json doc = {{"model", request.model_path}, {"images", count}, {"data", test->provenance()},
                          {"integer_backend", backend_text},
                          {"fp32_top1", static_cast<double>(fp32_correct) / static_cast<double>(count)},
                          {"configurations", nlohmann::json::array()}};
    doc.update(calibration_report(data, count));
    for (const ConfigResult& r : results) {
        const QuantizedAccuracy& a = r.accuracy;
        const std::string label = r.bits.substr(r.bits.find_last_of('/') + 1);  // a config file by its name
        std::printf("%-28s %8.2f%% %10.2f%% %10.2f%% %9.2f%% %11.1f %14lld\n", label.c_str(),
                    percent(fp32_correct, count), percent(a.fake_quant_correct, count),
                    percent(a.integer_correct, count), percent(a.agreements, count),
                    static_cast<double>(r.stats.total_weight_size_bits) / 8.0 / 1024.0,
                    static_cast<long long>(r.stats.total_bops));
        doc["configurations"].push_back({{"bits", r.bits},
                                         {"integer_top1", percent(a.integer_correct, count) / 100.0},
                                         {"fake_quant_top1", percent(a.fake_quant_correct, count) / 100.0},
                                         {"agreement", percent(a.agreements, count) / 100.0},
                                         {"weight_size_bits", r.stats.total_weight_size_bits},
                                         {"macs", r.stats.total_macs},
                                         {"bops", r.stats.total_bops}});
    }
    if (const auto json_path = parser.get_optional("--json")) write_file_atomically(*json_path, doc.dump(2) + "\n");
    return 0;
}

}  // namespace dyadic::cli::commands
