// dyadic run: runs an integer model file on Fashion-MNIST images on the cpu backend (or --backend
// ref, the reference executor) and
// prints, per image, the label, the predicted class and the dequantized logits; --layers adds
// every layer's output (type, range, checksum) for comparing backends layer by layer.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/commands.h"
#include "cli/fashion_mnist_eval.h"
#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli::commands {

int run(const Args& args) {
    ArgParser parser("dyadic run",
                     "Run an integer model (.dyqm) on Fashion-MNIST images on a bit-exact integer backend.");
    parser.positional("model", "integer model (.dyqm)")
        .option("--image", "index", "first image", std::string("0"))
        .option("--count", "n", "number of images", std::string("1"))
        .option("--split", "name", "test or train", std::string("test"))
        .option("--data", "dir", "Fashion-MNIST directory")
        .option("--mean", "value", "input normalization mean (default: from the model file)")
        .option("--std", "value", "input normalization std (default: from the model file)")
        .flag("--layers", "print every layer's output: type, shape, min, max and sum");
    add_backend_options(parser, "cpu");
    parser.parse(args);
    const std::unique_ptr<quant::LayerBackend> backend = backend_from_args(parser);
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const std::string split_name = parser.get("--split");
    if (split_name != "test" && split_name != "train") throw UsageError("--split must be test or train");
    const dataset::LabelledImages images = dataset::load_fashion_mnist(
        split_name == "test" ? dataset::Split::test : dataset::Split::train,
        parser.get_optional("--data").value_or(dataset::default_fashion_mnist_directory()));
    const int first = parser.get_int("--image");
    const int count = parser.get_int("--count");
    if (first < 0 || count < 1) throw UsageError("--image must be >= 0 and --count >= 1");

    const dataset::FloatBatch batch = dataset::normalized_batch(images, static_cast<size_t>(first),
                                                                static_cast<size_t>(count), model_normalization(model, parser));
    const Tensor input = quant::quantize_model_input(model, batch.values, Shape(batch.shape.begin(), batch.shape.end()));
    quant::LayerCallback on_layer;
    if (parser.has("--layers")) {
        on_layer = [](size_t index, const quant::QuantizedLayer& layer, const std::vector<const Tensor*>&,
                      const Tensor& out) {
            const auto [lo, hi] = std::minmax_element(out.data.begin(), out.data.end());
            const int64_t sum = std::accumulate(out.data.begin(), out.data.end(), int64_t{0});
            std::printf("  layer %3zu %-28s %-20s %-7s %-18s min %6d max %6d sum %lld\n", index, layer.name.c_str(),
                        quant::op_name(layer.op), out.type.name().c_str(), to_string(out.shape).c_str(), *lo, *hi,
                        static_cast<long long>(sum));
        };
    }
    std::printf("backend %s\n", backend_label(*backend).c_str());
    const Tensor logits =
        quant::run_model(model, input, on_layer, [&](const quant::QuantizedLayer& layer,
                                                     const std::vector<const Tensor*>& inputs) {
            return backend->run_layer(layer, inputs);
        }).at(0);
    const double scale = model.tensors[static_cast<size_t>(model.outputs.at(0))].scale;
    const std::vector<std::string> classes = quant::metadata_classes(model);
    const auto class_name = [&](int c) {
        return c >= 0 && static_cast<size_t>(c) < classes.size() ? classes[static_cast<size_t>(c)] : std::to_string(c);
    };
    const std::vector<int> predicted = quant::argmax_rows(logits);
    const int64_t per_image = logits.size() / logits.shape[0];
    for (int i = 0; i < count; ++i) {
        const int label = images.labels[static_cast<size_t>(first + i)];
        std::printf("image %d: label %s, predicted %s%s\n  logits", first + i, class_name(label).c_str(),
                    class_name(predicted[static_cast<size_t>(i)]).c_str(),
                    predicted[static_cast<size_t>(i)] == label ? "" : "  (wrong)");
        for (int64_t c = 0; c < per_image; ++c) std::printf(" %.4f", logits.data[static_cast<size_t>(i * per_image + c)] * scale);
        std::printf("\n");
    }
    return 0;
}

}  // namespace dyadic::cli::commands
