// dyadic run: runs an integer model file on a bit-exact integer backend (cpu by default, --backend
// ref for the reference executor) on dataset images (Fashion-MNIST, --npy, --folder), seeded random
// inputs or the user's own .npy tensor, and prints per input the predicted class and the logits
// (with the label for labelled images); --layers adds every layer's output (type, range, checksum)
// for comparing backends layer by layer; --json writes all of it, logits as integers and
// dequantized, for machines.
#include <algorithm>
#include <limits>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/commands.h"
#include "cli/model_input.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_metadata.h"
#include "util/error.h"

namespace dyadic::cli::commands {
namespace {

struct LayerSummary {
    size_t index;
    std::string name, op, type;
    Shape shape;
    int32_t min, max;
    int64_t sum;
};

}  // namespace

int run(const Args& args) {
    ArgParser parser("dyadic run",
                     "Run an integer model (.dyqm) on a bit-exact integer backend on Fashion-MNIST images (or\n"
                     "images of --npy/--folder, preprocessed as the model file records), seeded random inputs or an\n"
                     "input tensor of your own (--input x.npy).");
    parser.positional("model", "integer model (.dyqm)");
    add_image_options(parser);
    add_random_options(parser);
    parser
        .option("--input", "npy", "input tensor [N, ...]: integers of the model's input type, or float32 to quantize")
        .flag("--layers", "print every layer's output: type, shape, min, max and sum")
        .flag("--json", "write the results as JSON on standard output instead of text");
    add_backend_options(parser, "cpu");
    parser.parse(args);
    const std::unique_ptr<quant::LayerBackend> backend = backend_from_args(parser);
    if (parser.has("--input") && parser.has("--random")) throw UsageError("--input and --random exclude each other");
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));
    const ModelInput input = parser.has("--input")    ? npy_input(model, parser.get("--input"))
                             : parser.has("--random") ? random_input(model, parser.get_int("--random", 1, 1024),
                                                                     static_cast<uint64_t>(parser.get_int("--seed", 0, std::numeric_limits<int>::max())))
                                                      : data_input(model, parser);
    const bool json_output = parser.has("--json");

    std::vector<LayerSummary> layers;
    quant::LayerCallback on_layer;
    if (parser.has("--layers")) {
        on_layer = [&](size_t index, const quant::QuantizedLayer& layer, const std::vector<const Tensor*>&,
                       const Tensor& out) {
            const auto [lo, hi] = std::minmax_element(out.data.begin(), out.data.end());
            const LayerSummary s{index,      layer.name, quant::op_name(layer.op), out.type.name(), out.shape,
                                 lo == out.data.end() ? 0 : *lo, hi == out.data.end() ? 0 : *hi,
                                 std::accumulate(out.data.begin(), out.data.end(), int64_t{0})};
            if (!json_output) {
                std::printf("  layer %3zu %-28s %-20s %-7s %-18s min %6d max %6d sum %lld\n", s.index, s.name.c_str(),
                            s.op.c_str(), s.type.c_str(), to_string(s.shape).c_str(), s.min, s.max,
                            static_cast<long long>(s.sum));
            }
            layers.push_back(s);
        };
    }
    if (!json_output) std::printf("backend %s\n", backend_label(*backend).c_str());
    const Tensor logits =
        quant::run_model(model, input.quantized, on_layer, [&](const quant::QuantizedLayer& layer,
                                                               const std::vector<const Tensor*>& inputs) {
            return backend->run_layer(layer, inputs);
        }).at(0);
    const double scale = model.tensors[static_cast<size_t>(model.outputs.at(0))].scale;
    const std::vector<std::string> classes = quant::metadata_classes(model);
    const auto class_name = [&](int c) {
        return c >= 0 && static_cast<size_t>(c) < classes.size() ? classes[static_cast<size_t>(c)] : std::to_string(c);
    };
    const std::vector<int> predicted = quant::argmax_rows(logits);
    const int64_t count = logits.shape.at(0);
    const int64_t per_input = logits.size() / count;
    const bool labelled = !input.labels.empty();

    nlohmann::json results = nlohmann::json::array();
    for (int64_t i = 0; i < count; ++i) {
        const auto row = logits.data.begin() + i * per_input;
        const std::vector<int32_t> integers(row, row + per_input);
        std::vector<double> dequantized;
        for (const int32_t v : integers) dequantized.push_back(v * scale);
        const int p = predicted[static_cast<size_t>(i)];
        if (json_output) {
            nlohmann::json r = {{"index", i}, {"predicted", p}, {"predicted_name", class_name(p)},
                                {"logits", integers}, {"logits_dequantized", dequantized}};
            if (labelled) {
                const int label = input.labels[static_cast<size_t>(i)];
                r["image"] = input.first_image + i;
                r["label"] = label;
                r["label_name"] = class_name(label);
            }
            results.push_back(std::move(r));
            continue;
        }
        if (labelled) {
            const int label = input.labels[static_cast<size_t>(i)];
            std::printf("image %lld: label %s, predicted %s%s\n  logits", static_cast<long long>(input.first_image + i),
                        class_name(label).c_str(), class_name(p).c_str(), p == label ? "" : "  (wrong)");
        } else {
            std::printf("input %lld: predicted %s\n  logits", static_cast<long long>(i), class_name(p).c_str());
        }
        for (const double v : dequantized) std::printf(" %.4f", v);
        std::printf("\n");
    }
    if (json_output) {
        nlohmann::json report = {{"model", model.name},
                                 {"backend", backend_label(*backend)},
                                 {"input", input.source},
                                 {"logits_tensor", model.tensors[static_cast<size_t>(model.outputs.at(0))].name},
                                 {"logits_type", logits.type.name()},
                                 {"logits_scale", scale},
                                 {"results", results}};
        if (parser.has("--layers")) {
            report["layers"] = nlohmann::json::array();
            for (const LayerSummary& s : layers) {
                report["layers"].push_back({{"index", s.index}, {"name", s.name}, {"op", s.op}, {"type", s.type},
                                            {"shape", s.shape}, {"min", s.min}, {"max", s.max}, {"sum", s.sum}});
            }
        }
        std::cout << report.dump(1) << '\n';
    }
    return 0;
}

}  // namespace dyadic::cli::commands
