// dyadic sensitivity: HAWQ-V3 per-layer sensitivities Omega_i(b) of a float ONNX model on
// calibration images: Fashion-MNIST or the user's (--npy, --folder) (graph/sensitivity, docs/sensitivity.md).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <random>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/progress.h"
#include "cli/quantize_pipeline.h"
#include "graph/sensitivity/bit_widths.h"
#include "graph/sensitivity/float_model.h"
#include "graph/sensitivity/layer_sensitivity.h"
#include "graph/sensitivity/sensitivity_json.h"
#include "graph/sensitivity/weight_layers.h"
#include "util/error.h"
#include "util/atomic_file.h"

namespace dyadic::cli::commands {
namespace {

// `count` images of the model's input shape with independent standard-normal elements, seeded:
// the calibration set of a model that has no dataset (synthetic weights at real shapes).
ir::FloatTensor random_images(const ir::Graph& graph, int count, uint64_t seed) {
    Shape shape = graph.value(graph.inputs().front()).shape;
    require(shape.size() >= 2, "--random-images: the model's input has no batch and feature dimensions");
    shape[0] = count;
    ir::FloatTensor images(shape);
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : images.data) v = normal(rng);
    return images;
}

void print_table(const std::vector<sensitivity::LayerSensitivity>& layers, const std::vector<int>& bits) {
    int name_width = 5;
    for (const auto& layer : layers) name_width = std::max(name_width, static_cast<int>(layer.name.size()));
    std::printf("%-*s %-14s %9s %12s %10s %8s", name_width, "layer", "op", "params", "Tr(H)", "stderr", "cpu s");
    for (const int b : bits) std::printf(" %11s", ("Omega(" + std::to_string(b) + ")").c_str());
    std::printf("\n");
    for (const sensitivity::LayerSensitivity& layer : layers) {
        std::printf("%-*s %-14s %9lld %12.5g %10.3g %8.2f", name_width, layer.name.c_str(), layer.op.c_str(),
                    static_cast<long long>(layer.n_params), layer.trace.trace, layer.trace.standard_error,
                    layer.cpu_seconds);
        for (const auto& b : layer.per_bits) std::printf(" %11.4e", b.omega);
        std::printf("\n");
    }
    if (layers.empty() || !layers.front().activation) {
        std::fflush(stdout);
        return;
    }
    // The activation side: the layer's input as it reads it.
    std::printf("\n%-*s %-14s %9s %12s %10s %8s", name_width, "input of", "", "elements", "Tr(Hx)", "stderr", "cpu s");
    for (const int b : bits) std::printf(" %11s", ("Omega_a(" + std::to_string(b) + ")").c_str());
    std::printf("\n");
    for (const sensitivity::LayerSensitivity& layer : layers) {
        const sensitivity::ActivationSensitivity& input = *layer.activation;
        std::printf("%-*s %-14s %9lld %12.5g %10.3g %8.2f", name_width, layer.name.c_str(), "",
                    static_cast<long long>(input.n_elements), input.trace.trace, input.trace.standard_error,
                    input.cpu_seconds);
        for (const auto& b : input.per_bits) std::printf(" %11.4e", b.omega);
        std::printf("\n");
    }
    std::fflush(stdout);
}

}  // namespace

int sensitivity(const Args& args) {
    ArgParser parser("dyadic sensitivity",
                     "Per-layer HAWQ-V3 sensitivity Omega(b) = Tr(H)/n * ||Q_b(W) - W||^2 of a float ONNX model, with\n"
                     "Tr(H) estimated by Hutchinson's method on Fashion-MNIST training images (or --npy, --folder), and\n"
                     "the same for each layer's input quantized to b bits, Omega_a(b) (docs/sensitivity.md).");
    parser.positional("model", "float ONNX model (input normalization from the .json beside it)")
        .option("--images", "n", "calibration images (the first n of the training split or of --npy/--folder, 1..60000)",
                "256")
        .flag("--random-images", "seeded standard-normal images of the model's input shape instead of a dataset\n"
                                 "(models without a dataset, e.g. ResNet18 shapes; no normalization applies)")
        .option("--samples", "s", "Hutchinson samples (Rademacher vectors) per layer (2..100000)", "32")
        .option("--bits", "list", "candidate weight and activation bit widths", "2,3,4,5,6,8")
        .flag("--weights-only", "skip the activation sensitivities (the layers' inputs)")
        .option("--seed", "n", "seed of the Rademacher vectors (0..2^31-1)", "1")
        .option("--batch", "n", "images per forward pass (1..10000)", "64")
        .option("--json", "path", "write the per-layer results as JSON");
    add_data_options(parser);
    parser.parse(args);

    const std::string model = parser.get("model");
    sensitivity::SensitivityOptions options;
    // At least 2 samples, for a standard error.
    options.samples = parser.get_int("--samples", 2, 100000);
    options.batch_size = parser.get_int("--batch", 1, 10000);
    options.seed = static_cast<uint64_t>(parser.get_int("--seed", 0, std::numeric_limits<int>::max()));
    options.bits = sensitivity::parse_bit_widths(parser.get("--bits"));
    options.activations = !parser.has("--weights-only");
    const int images = parser.get_int("--images", 1, 60000);

    const ir::Graph graph = sensitivity::load_float_model(model);
    const ir::FloatTensor calibration = [&] {
        if (parser.has("--random-images")) return random_images(graph, images, options.seed);
        QuantizeRequest request;
        request.model_path = model;
        request.calibration_images = images;
        const auto sidecar = read_sidecar(request);
        const Shape& input_shape = graph_input_shape(graph);
        PreprocessingChoice choice = float_model_preprocessing(input_shape, sidecar, parser);
        const auto data =
            open_data(parser, dataset::Split::train, choice, image_shape(input_shape, model), "the sidecar");
        return calibration_from(*data, request, choice.preprocessing, sidecar).images;
    }();

    std::vector<sensitivity::LayerSensitivity> layers;
    {
        const int64_t batches = (images + options.batch_size - 1) / options.batch_size;
        const auto layer_count = static_cast<int64_t>(sensitivity::weight_layers(graph).size());
        ProgressBar progress("sensitivity", batches * layer_count * options.samples * (options.activations ? 2 : 1));
        layers = sensitivity::estimate_layer_sensitivities(graph, calibration, options,
                                                           [&](int64_t done, int64_t) { progress.update(done); });
    }
    print_table(layers, options.bits);

    if (const auto path = parser.get_optional("--json")) {
        sensitivity::SensitivityReport report;
        report.model = model;
        report.images = images;
        report.samples = options.samples;
        report.seed = options.seed;
        report.layers = layers;
        write_file_atomically(*path, sensitivity::sensitivity_report_json(report));
        std::cerr << "wrote " << *path << '\n';
    }
    return 0;
}

}  // namespace dyadic::cli::commands
