// dyadic eval: top-1 accuracy of an integer model file on labelled data (the Fashion-MNIST test
// split, a .npy batch with labels, an image folder), computed integer-only on the cpu backend (or
// --backend ref, the reference executor); --fake-quant also runs the same quantization in float
// and reports its accuracy and how often its predictions agree with the integer model's.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/dataset_eval.h"
#include "graph/quant/model_file.h"
#include "util/error.h"

namespace dyadic::cli::commands {

int eval(const Args& args) {
    ArgParser parser("dyadic eval",
                     "Top-1 accuracy of an integer model (.dyqm) on the Fashion-MNIST test split (or --npy with\n"
                     "--labels, or --folder), integer-only. Raw pixels get the model file's recorded preprocessing\n"
                     "unless --mean/--std/--resize replace it (docs/data.md).");
    parser.positional("model", "integer model (.dyqm)")
        .option("--count", "n", "number of images (default: all)")
        .option("--batch", "n", "images per batch (1..10000)", std::string("100"))
        .flag("--fake-quant", "also evaluate the fake-quantized float model and the agreement of predictions")
        .flag("--json", "print the results as JSON");
    add_data_options(parser);
    add_backend_options(parser, "cpu");
    parser.parse(args);
    const std::unique_ptr<quant::LayerBackend> backend = backend_from_args(parser);
    const std::string label = backend_label(*backend);
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const int64_t batch = parser.get_int("--batch", 1, 10000);
    const auto data = open_model_data(model, parser, dataset::Split::test);
    const int64_t count = parser.has("--count") ? count_option(parser, "--count", data->size()) : data->size();
    const bool fake = parser.has("--fake-quant");
    const QuantizedAccuracy accuracy = evaluate_quantized(model, *backend, *data, count, batch, fake);
    const int64_t integer_correct = accuracy.integer_correct, fake_correct = accuracy.fake_quant_correct,
                  agree = accuracy.agreements;
    const double total = static_cast<double>(count);
    if (parser.has("--json")) {
        nlohmann::json doc = {{"model", parser.get("model")}, {"images", count}, {"backend", label},
                              {"data", data->provenance()}, {"integer_top1", integer_correct / total}};
        if (fake) {
            doc["fake_quant_top1"] = fake_correct / total;
            doc["agreement"] = agree / total;
        }
        std::cout << doc.dump(2) << '\n';
        return 0;
    }
    std::printf("%s: %lld images of %s, integer model on backend %s\n  integer top-1     %.2f%%\n",
                parser.get("model").c_str(), static_cast<long long>(count), data->description().c_str(), label.c_str(),
                100.0 * integer_correct / total);
    if (fake) {
        std::printf("  fake-quant top-1  %.2f%%\n  agreement         %.2f%% (%lld of %lld predictions equal)\n",
                    100.0 * fake_correct / total, 100.0 * agree / total, static_cast<long long>(agree),
                    static_cast<long long>(count));
    }
    return 0;
}

}  // namespace dyadic::cli::commands
