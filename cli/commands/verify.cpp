// dyadic verify: runs an integer model on several backends and compares every layer's output with
// the reference executor's (==), over dataset images (Fashion-MNIST, --npy, --folder) or seeded random inputs. Each layer of
// each backend is fed the reference's inputs (or, with --chained, the backend's own outputs), and
// each difference is named by its first differing element. Exit 0 only when everything compared is
// equal; a backend that is unavailable or does not run a layer is reported as skipped.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <string>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/model_input.h"
#include "cli/progress.h"
#include "graph/dataset/data_source.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_file.h"
#include "graph/verify/golden_replay.h"
#include "graph/verify/model_verifier.h"
#include "graph/verify/random_input.h"
#include "graph/verify/verify_report.h"
#include "util/atomic_file.h"

namespace dyadic::cli::commands {
namespace {

// Images [first, first + n) of a batch tensor [N, ...].
Tensor slice_batch(const Tensor& all, int first, int n) {
    Shape shape = all.shape;
    shape[0] = n;
    const size_t per_image = all.data.size() / static_cast<size_t>(all.shape[0]);
    const auto begin = all.data.begin() + static_cast<std::ptrdiff_t>(per_image * static_cast<size_t>(first));
    Tensor out(shape, all.type, TensorStorage(begin, begin + static_cast<std::ptrdiff_t>(per_image * static_cast<size_t>(n))));
    out.scales = all.scales;
    return out;
}

// Prints the table and the verdict, writes the JSON report, and returns the exit status.
int finish(const verify::VerifyReport& report, bool require_all, const std::optional<std::string>& json_path,
           double seconds) {
    std::cout << verify::report_table(report);
    std::printf("%s in %.2f s wall time\n", report.passed(require_all) ? "PASSED" : "FAILED", seconds);
    if (json_path) {
        write_file_atomically(*json_path, verify::report_json(report, require_all) + "\n");
        std::cerr << "wrote " << *json_path << '\n';
    }
    return report.passed(require_all) ? 0 : 1;
}

}  // namespace

int verify(const Args& args) {
    ArgParser parser("dyadic verify",
                     "Compare backends with the reference executor layer by layer (==) on Fashion-MNIST images or\n"
                     "seeded random inputs. Prints one row per layer and backend (equal, differ, failed, skipped),\n"
                     "the first differing element (layer, [n, c, y, x], expected, got), how many differ and the\n"
                     "largest difference. Exit status 0 only when everything compared is equal.");
    parser.positional("model", "integer model (.dyqm); omitted with --golden", false)
        .option("--golden", "dir", "instead of a model: run every layer of a golden directory (dyadic golden,\n"
                "a fuzz-diff failure) from its stored inputs and compare with its stored output")
        .option("--backends", "list", "backends to compare with the reference: ref, cpu, sim, rtl, gpu",
                std::string("sim"))
        .option("--input", "npy", "instead of images: the user's input tensor (.npy, integer of the input type\n"
                "or float32 to quantize as the model says)")
        .option("--batch", "n", "images per batch (memory grows with it)", std::string("32"))
        .flag("--chained", "each backend runs the model end to end on its own outputs")
        .flag("--require-all", "a skipped backend or layer is a failure")
        .option("--config", "json", "sim: accelerator configuration (default: built in)")
        .option("--trace", "vcd", "rtl: at the first conv/FC layer that differs, VCDs of the tile that computed its\n"
                                  "first differing element (the array to <vcd>, the PPU to <vcd> with .ppu.vcd)")
        .option("--json", "path", "write the report as JSON");
    add_image_options(parser);
    add_random_options(parser);
    parser.parse(args);
    const int batch_size = parser.get_int("--batch", 1, 4096);

    BackendOptions backend_options;
    backend_options.accel_config = parser.get_optional("--config");
    backend_options.rtl_trace = parser.get_optional("--trace");
    const BackendSet backend_set = make_backends(parser.get("--backends"), backend_options);
    const std::vector<quant::LayerBackend*> backends = backend_set.pointers();
    const bool require_all = parser.has("--require-all");
    if (const auto golden = parser.get_optional("--golden")) {
        if (parser.has("model")) throw UsageError("give a model or --golden, not both");
        const auto start = std::chrono::steady_clock::now();
        const verify::VerifyReport report = verify::replay_golden(*golden, backends);
        return finish(report, require_all, parser.get_optional("--json"),
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    if (!parser.has("model")) throw UsageError("missing the model (or --golden <dir>)");
    const quant::QuantizedModel model = quant::load_model(parser.get("model"));

    // The input, produced batch by batch so that memory stays bounded: images [first, first + count),
    // `count` random tensors (batch k from seed S + k * batch), or slices of the user's .npy tensor.
    const bool random = parser.has("--random");
    std::optional<ModelInput> user_input;
    if (const auto path = parser.get_optional("--input")) user_input = npy_input(model, *path);
    const int first = random || user_input ? 0 : parser.get_int("--image", 0, 59999);
    const int count = random      ? parser.get_int("--random", 1, 1000000)
                      : user_input ? static_cast<int>(user_input->quantized.shape.at(0))
                                   : parser.get_int("--count", 1, 60000);
    std::unique_ptr<dataset::DataSource> images;
    if (!random && !user_input) {
        const std::string split = parser.get("--split");
        if (split != "test" && split != "train") throw UsageError("--split must be test or train");
        images = open_model_data(model, parser, split == "test" ? dataset::Split::test : dataset::Split::train);
        if (first + static_cast<int64_t>(count) > images->size()) {
            throw UsageError("--image and --count select images [" + std::to_string(first) + ", " +
                             std::to_string(first + static_cast<int64_t>(count)) + "), the data has " +
                             std::to_string(images->size()));
        }
    }
    const uint64_t seed = static_cast<uint64_t>(parser.get_int("--seed", 0, std::numeric_limits<int>::max()));
    const auto batch_at = [&](int done, int n) -> Tensor {
        if (random) return verify::random_model_input(model, seed + static_cast<uint64_t>(done), n);
        if (user_input) return slice_batch(user_input->quantized, done, n);
        const dataset::FloatBatch floats = images->batch(first + done, n).inputs;
        return quant::quantize_model_input(model, floats.values, Shape(floats.shape.begin(), floats.shape.end()));
    };

    verify::VerifyOptions options;
    options.chained = parser.has("--chained");
    verify::ModelVerifier verifier(model, backends, options);
    const auto start = std::chrono::steady_clock::now();
    {
        ProgressBar progress("verify", count, random || user_input ? "inputs" : "images");
        for (int done = 0; done < count; done += batch_size) {
            const int n = std::min(batch_size, count - done);
            const Tensor input = batch_at(done, n);
            verifier.add_batch(input, first + done);
            progress.update(done + n);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return finish(verifier.report(), require_all, parser.get_optional("--json"), seconds);
}

}  // namespace dyadic::cli::commands
