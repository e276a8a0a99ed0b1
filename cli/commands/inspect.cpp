// dyadic inspect: what an integer model file holds: metadata, input quantization, and per layer
// the op, bit widths, MACs, weight size and BOPS (table), or with --json every layer's attributes,
// multipliers, scales, bias and weight statistics as well (graph/quant/model_json.h).
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_json.h"
#include "graph/quant/model_stats.h"

namespace dyadic::cli::commands {

int inspect(const Args& args) {
    ArgParser parser("dyadic inspect",
                     "Show an integer model file: metadata, input quantization, and per layer the op, output\n"
                     "shape, weight/activation/output bits, MACs, weight bits and BOPS (MACs x w bits x a bits).\n"
                     "--json adds every layer's attributes (stride, padding, dilation, groups, pooling window),\n"
                     "dyadic multipliers (b, c), input/output/weight scales, bias and weight statistics.");
    parser.positional("model", "integer model (.dyqm)").flag("--json", "print JSON instead of a table");
    parser.parse(args);
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    if (parser.has("--json")) {
        std::cout << quant::model_json(model);
        return 0;
    }
    const quant::TensorInfo& input = model.tensors[static_cast<size_t>(model.input)];
    std::cout << "model " << model.name << " (format version " << quant::kModelFormatVersion << ")\n";
    for (const auto& [key, value] : model.metadata) std::cout << "  " << key << ": " << value << '\n';
    std::cout << "input " << input.name << " " << to_string(input.shape) << " " << input.type.name() << " scale "
              << input.scale << "\n\n"
              << quant::stats_table(quant::model_stats(model));
    return 0;
}

}  // namespace dyadic::cli::commands
