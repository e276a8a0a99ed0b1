// Images/s of an integer model (.dyqm) on the Fashion-MNIST test split: the cpu backend with 1
// and 2 threads and the reference, each over the same images in batches of 100, timing input
// quantization and the integer model (the images are decoded and normalized beforehand, as
// bench/cpu/ort_bench.py does for ONNX Runtime). Checks that every backend predicts the same
// classes and prints a table (stderr) and one JSON object (stdout). Best of `repeat` runs, by
// wall time and by the process's CPU time (all threads), the steadier number on a shared machine.
//
//   bench_cpu_model model.dyqm [count (default 10000)] [repeat (default 3)] [reference count (default 1000)] [random]
//
// With `random` as the fifth argument the inputs are seeded random tensors over the model's
// input type (verify::random_model_input), one image per batch, for models that do not read
// Fashion-MNIST (ResNet50 at 224x224); top-1 is then not reported, predictions are still compared.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cpu/cpu_backend.h"
#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/quant/integer_executor.h"
#include "graph/quant/model_file.h"
#include "graph/quant/model_metadata.h"
#include "graph/quant/reference_backend.h"
#include "graph/verify/random_input.h"
#include "util/error.h"

namespace {

using namespace dyadic;


struct Result {
    std::string backend;
    int threads;
    int64_t images;
    double seconds;      // wall
    double cpu_seconds;  // all threads of the process: on a shared machine the steadier number
    double top1;
};

double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) try {
    require(argc >= 2, "usage: bench_cpu_model model.dyqm [count] [repeat] [reference count] [random]");
    const bool random = argc > 5 && std::string(argv[5]) == "random";
    const int64_t kBatch = random ? 1 : 100;
    const quant::QuantizedModel model = quant::load_model(argv[1]);
    const int64_t count = argc > 2 ? std::atoll(argv[2]) : 10000;
    const int repeat = argc > 3 ? std::atoi(argv[3]) : 3;
    const int64_t reference_count = argc > 4 ? std::atoll(argv[4]) : 1000;
    dataset::LabelledImages test;
    std::vector<Tensor> random_inputs;
    std::vector<dataset::FloatBatch> batches;
    if (random) {
        require(count >= 1 && count <= 1000 && repeat >= 1 && reference_count >= 1, "bad count or repeat");
        for (int64_t b = 0; b < count; ++b) random_inputs.push_back(verify::random_model_input(model, static_cast<uint64_t>(b), 1));
    } else {
        test = dataset::load_fashion_mnist(dataset::Split::test);
        require(count >= 1 && static_cast<size_t>(count) <= test.count && repeat >= 1 && reference_count >= 1,
                "bad count or repeat");
        const dataset::InputNormalization normalization{*quant::metadata_number(model, quant::kMetadataInputMean),
                                                        *quant::metadata_number(model, quant::kMetadataInputStd)};
        for (int64_t first = 0; first < count; first += kBatch) {
            batches.push_back(dataset::normalized_batch(test, static_cast<size_t>(first),
                                                        static_cast<size_t>(std::min(kBatch, count - first)), normalization));
        }
    }

    std::vector<int> reference_predictions;
    std::vector<Result> results;
    const auto measure = [&](quant::LayerBackend& backend, const std::string& label, int threads, int64_t images) {
        std::vector<int> predictions;
        double best = 1e30, best_cpu = 1e30;
        for (int run = 0; run < repeat; ++run) {
            predictions.clear();
            const auto start = std::chrono::steady_clock::now();
            const double cpu_start = process_cpu_seconds();
            for (int64_t b = 0; b * kBatch < images; ++b) {
                Tensor logits;
                if (random) {
                    logits = quant::run_model_in_parts(model, random_inputs[static_cast<size_t>(b)], backend).at(0);
                } else {
                    const dataset::FloatBatch& data = batches[static_cast<size_t>(b)];
                    logits = quant::run_model_in_parts(model, data.values, Shape(data.shape.begin(), data.shape.end()),
                                                       backend).at(0);
                }
                for (const int p : quant::argmax_rows(logits)) predictions.push_back(p);
            }
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            best_cpu = std::min(best_cpu, process_cpu_seconds() - cpu_start);
        }
        int64_t correct = 0;
        for (int64_t i = 0; !random && i < images; ++i) {
            correct += predictions[static_cast<size_t>(i)] == test.labels[static_cast<size_t>(i)];
        }
        if (reference_predictions.empty()) reference_predictions = predictions;
        const size_t common = std::min(predictions.size(), reference_predictions.size());
        require(std::equal(predictions.begin(), predictions.begin() + static_cast<long>(common), reference_predictions.begin()),
                label + ": predictions differ from the reference's");
        results.push_back({label, threads, images, best, best_cpu, static_cast<double>(correct) / static_cast<double>(images)});
    };
    quant::ReferenceBackend reference;
    measure(reference, "ref", 1, std::min(reference_count, count));
    for (const int threads : {1, 2}) {
        cpu::CpuBackend backend(threads);
        measure(backend, "cpu " + std::string(cpu::isa_name(backend.isa())), threads, count);
    }

    std::fprintf(stderr, "%-18s %7s %7s %10s %10s %10s %12s %8s\n", "backend", "threads", "images", "wall s", "images/s",
                 "cpu s", "images/cpu-s", "top-1");
    for (const Result& r : results) {
        const double images = static_cast<double>(r.images);
        std::fprintf(stderr, "%-18s %7d %7lld %10.3f %10.1f %10.3f %12.1f %7.2f%%\n", r.backend.c_str(), r.threads,
                     static_cast<long long>(r.images), r.seconds, images / r.seconds, r.cpu_seconds,
                     images / r.cpu_seconds, 100 * r.top1);
    }
    std::printf("{\"benchmark\": \"cpu_model\", \"model\": \"%s\", \"results\": [", argv[1]);
    for (size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        std::printf("%s{\"backend\": \"%s\", \"threads\": %d, \"images\": %lld, \"seconds\": %.4f, "
                    "\"images_per_s\": %.1f, \"cpu_seconds\": %.4f, \"images_per_cpu_s\": %.1f, \"top1\": %.4f}",
                    i ? ", " : "", r.backend.c_str(), r.threads, static_cast<long long>(r.images), r.seconds,
                    static_cast<double>(r.images) / r.seconds, r.cpu_seconds,
                    static_cast<double>(r.images) / r.cpu_seconds, r.top1);
    }
    std::printf("]}\n");
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_cpu_model: %s\n", e.what());
    return 1;
}
