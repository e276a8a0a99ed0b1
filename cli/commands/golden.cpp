// dyadic golden: every layer of an integer model, run by the reference executor on Fashion-MNIST
// images or seeded random inputs, written as a golden directory (docs/golden.md): .npy files,
// $readmemh images and manifest.json, for testbenches and tools outside the project. With
// --fuzz-case S, the one layer that `dyadic fuzz-diff` generates for seed S instead, so that a
// differential failure (which prints its seed) becomes files a testbench can replay.
#include <iostream>
#include <limits>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/model_input.h"
#include "graph/golden/golden_writer.h"
#include "graph/quant/model_file.h"
#include "graph/verify/random_case.h"
#include "util/error.h"

namespace dyadic::cli::commands {

int golden(const Args& args) {
    ArgParser parser("dyadic golden",
                     "Write golden vectors: every layer's integer inputs, output, weights, bias, multipliers and\n"
                     "shifts as .npy files and $readmemh images, with a manifest.json (docs/golden.md).");
    parser.positional("model", "integer model (.dyqm); not with --fuzz-case", false)
        .option("--out", "dir", "golden directory to create");
    add_image_options(parser);
    add_random_options(parser);
    parser.option("--fuzz-case", "seed", "instead of a model: the single-layer case fuzz-diff generates for this seed")
        .flag("--force", "replace --out when it exists and is not empty");
    parser.parse(args);
    const std::string out = parser.get("--out");
    golden::GoldenOptions options;
    options.replace_existing = parser.has("--force");

    if (parser.has("--fuzz-case")) {
        if (parser.has("model")) throw UsageError("--fuzz-case writes a generated layer: give no model");
        const int seed = parser.get_int("--fuzz-case", 0, std::numeric_limits<int>::max());
        const verify::LayerCase c = verify::random_layer_case(static_cast<uint64_t>(seed));
        options.source = {{"kind", "fuzz-diff case"}, {"seed", std::to_string(seed)}, {"description", c.description}};
        golden::write_layer_golden(out, c.layer, c.inputs, options);
        std::cerr << "wrote " << out << ": fuzz-diff case " << seed << " (" << c.description << ")\n";
        return 0;
    }
    if (!parser.has("model")) throw UsageError("missing <model> (or --fuzz-case)");
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const ModelInput input = parser.has("--random")
                                 ? random_input(model, parser.get_int("--random", 1, 1024),
                                                static_cast<uint64_t>(parser.get_int("--seed", 0, std::numeric_limits<int>::max())))
                                 : data_input(model, parser);
    options.source = input.source;
    golden::write_model_golden(out, model, input.quantized, input.floats.empty() ? nullptr : &input.floats, options);
    std::cerr << "wrote " << out << ": " << model.layers.size() << " layers, batch " << input.quantized.shape.at(0)
              << " (manifest.json)\n";
    return 0;
}

}  // namespace dyadic::cli::commands
