// dyadic eval: top-1 accuracy of an integer model file on the Fashion-MNIST test split, computed
// integer-only on the cpu backend (or --backend ref, the reference executor); --fake-quant also runs the same quantization in float
// and reports its accuracy and how often its predictions agree with the integer model's.
#include <cstdio>
#include <memory>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/commands.h"
#include "cli/fashion_mnist_eval.h"
#include "graph/dataset/fashion_mnist.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli::commands {

int eval(const Args& args) {
    ArgParser parser("dyadic eval",
                     "Top-1 accuracy of an integer model (.dyqm) on the Fashion-MNIST test split, integer-only.");
    parser.positional("model", "integer model (.dyqm)")
        .option("--count", "n", "number of test images (default: all)")
        .option("--batch", "n", "images per batch (1..10000)", std::string("100"))
        .option("--data", "dir", "Fashion-MNIST directory")
        .option("--mean", "value", "input normalization mean (default: from the model file)")
        .option("--std", "value", "input normalization std (default: from the model file)")
        .flag("--fake-quant", "also evaluate the fake-quantized float model and the agreement of predictions")
        .flag("--json", "print the results as JSON");
    add_backend_options(parser, "cpu");
    parser.parse(args);
    const std::unique_ptr<quant::LayerBackend> backend = backend_from_args(parser);
    const std::string label = backend_label(*backend);
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const dataset::LabelledImages test = dataset::load_fashion_mnist(
        dataset::Split::test, parser.get_optional("--data").value_or(dataset::default_fashion_mnist_directory()));
    const int64_t count =
        parser.has("--count") ? parser.get_int("--count", 1, static_cast<int>(test.count)) : static_cast<int64_t>(test.count);
    const int64_t batch = parser.get_int("--batch", 1, 10000);
    const dataset::InputNormalization normalization = model_normalization(model, parser);
    const bool fake = parser.has("--fake-quant");
    const QuantizedAccuracy accuracy = evaluate_quantized(model, *backend, test, normalization, count, batch, fake);
    const int64_t integer_correct = accuracy.integer_correct, fake_correct = accuracy.fake_quant_correct,
                  agree = accuracy.agreements;
    const double total = static_cast<double>(count);
    if (parser.has("--json")) {
        nlohmann::json doc = {{"model", parser.get("model")}, {"images", count}, {"backend", label},
                              {"integer_top1", integer_correct / total}};
        if (fake) {
            doc["fake_quant_top1"] = fake_correct / total;
            doc["agreement"] = agree / total;
        }
        std::cout << doc.dump(2) << '\n';
        return 0;
    }
    std::printf("%s: %lld test images, integer model on backend %s\n  integer top-1     %.2f%%\n",
                parser.get("model").c_str(), static_cast<long long>(count), label.c_str(), 100.0 * integer_correct / total);
    if (fake) {
        std::printf("  fake-quant top-1  %.2f%%\n  agreement         %.2f%% (%lld of %lld predictions equal)\n",
                    100.0 * fake_correct / total, 100.0 * agree / total, static_cast<long long>(agree),
                    static_cast<long long>(count));
    }
    return 0;
}

}  // namespace dyadic::cli::commands
