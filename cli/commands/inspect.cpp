// dyadic inspect: what an integer model file holds: metadata, input quantization, and per layer
// the op, bit widths, MACs, weight size and BOPS (table, or --json).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_stats.h"

namespace dyadic::cli::commands {

int inspect(const Args& args) {
    ArgParser parser("dyadic inspect",
                     "Show an integer model file: metadata, input quantization, and per layer the op, output\n"
                     "shape, weight/activation/output bits, MACs, weight bits and BOPS (MACs x w bits x a bits).");
    parser.positional("model", "integer model (.dyqm)").flag("--json", "print JSON instead of a table");
    parser.parse(args);
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const quant::ModelStats stats = quant::model_stats(model);
    const quant::TensorInfo& input = model.tensors[static_cast<size_t>(model.input)];

    if (parser.has("--json")) {
        nlohmann::json doc = nlohmann::json::parse(quant::stats_json(stats));
        doc["name"] = model.name;
        doc["metadata"] = model.metadata;
        doc["input"] = {{"name", input.name}, {"shape", input.shape}, {"type", input.type.name()},
                        {"scale", input.scale}};
        nlohmann::json tensors = nlohmann::json::array();
        for (const quant::TensorInfo& t : model.tensors) {
            tensors.push_back({{"name", t.name}, {"shape", t.shape}, {"type", t.type.name()}, {"scale", t.scale}});
        }
        doc["tensors"] = tensors;
        std::cout << doc.dump(2) << '\n';
        return 0;
    }
    std::cout << "model " << model.name << " (format version " << quant::kModelFormatVersion << ")\n";
    for (const auto& [key, value] : model.metadata) std::cout << "  " << key << ": " << value << '\n';
    std::cout << "input " << input.name << " " << to_string(input.shape) << " " << input.type.name() << " scale "
              << input.scale << "\n\n"
              << quant::stats_table(stats);
    return 0;
}

}  // namespace dyadic::cli::commands
