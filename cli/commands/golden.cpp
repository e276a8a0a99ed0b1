// dyadic golden: every layer of an integer model, run by the reference executor on Fashion-MNIST
// images or seeded random inputs, written as a golden directory (docs/golden.md): .npy files,
// $readmemh images and manifest.json, for testbenches and tools outside the project.
#include <iostream>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/model_input.h"
#include "graph/golden/golden_writer.h"
#include "graph/quant/model_file.h"
#include "util/error.h"

namespace dyadic::cli::commands {

int golden(const Args& args) {
    ArgParser parser("dyadic golden",
                     "Write golden vectors: every layer's integer inputs, output, weights, bias, multipliers and\n"
                     "shifts as .npy files and $readmemh images, with a manifest.json (docs/golden.md).");
    parser.positional("model", "integer model (.dyqm)").option("--out", "dir", "golden directory to create");
    add_image_options(parser);
    add_random_options(parser);
    parser.flag("--force", "replace --out when it exists and is not empty");
    parser.parse(args);
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const ModelInput input = parser.has("--random")
                                 ? random_input(model, parser.get_int("--random"),
                                                static_cast<uint64_t>(parser.get_int("--seed")))
                                 : fashion_mnist_input(model, parser);
    const std::string out = parser.get("--out");
    golden::GoldenOptions options;
    options.replace_existing = parser.has("--force");
    options.source = input.source;
    golden::write_model_golden(out, model, input.quantized, input.floats.empty() ? nullptr : &input.floats, options);
    std::cerr << "wrote " << out << ": " << model.layers.size() << " layers, batch " << input.quantized.shape.at(0)
              << " (manifest.json)\n";
    return 0;
}

}  // namespace dyadic::cli::commands
