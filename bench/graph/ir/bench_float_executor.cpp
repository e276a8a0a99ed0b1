// Float executor throughput: a bundled Fashion-MNIST model over the whole test split (10000
// images), and the ImageNet-shaped builders at batch 1. See README.md for the recorded numbers.
//
//   bench_float_executor [model.onnx] [batch_size]
// defaults: models/fmnist_resnet_small.onnx (relative to the working directory), 256.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>

#include "graph/dataset/fashion_mnist.h"
#include "graph/dataset/model_sidecar.h"
#include "graph/dataset/normalized_batch.h"
#include "graph/ir/builders/inception_v3.h"
#include "graph/ir/builders/resnet.h"
#include "graph/ir/executor.h"
#include "graph/ir/mac_count.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"

using namespace dyadic;

namespace {

double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void fashion_mnist(const std::string& model_path, int64_t batch_size) {
    ir::Graph graph = ir::import_onnx_file(model_path);
    const ir::PassReport passes = ir::run_standard_passes(graph);
    const dataset::ModelSidecar sidecar = dataset::read_model_sidecar(dataset::sidecar_path_for_model(model_path));
    const dataset::LabelledImages test = dataset::load_fashion_mnist(dataset::Split::test);
    const dataset::FloatBatch batch = dataset::normalized_batch(test, 0, test.count, sidecar.normalization);
    const ir::FloatTensor input(Shape(batch.shape.begin(), batch.shape.end()), batch.values);

    const ir::FloatExecutor executor(graph);
    const double wall0 = wall_seconds(), cpu0 = process_cpu_seconds();
    const ir::FloatTensor logits = executor.run_in_batches(input, batch_size);
    const double wall = wall_seconds() - wall0, cpu = process_cpu_seconds() - cpu0;

    const int64_t classes = logits.dim(1);
    int64_t correct = 0;
    for (int64_t n = 0; n < logits.dim(0); ++n) {
        int64_t best = 0;
        for (int64_t c = 1; c < classes; ++c)
            if (logits.data[n * classes + c] > logits.data[n * classes + best]) best = c;
        correct += best == test.labels[n] ? 1 : 0;
    }
    const double macs = double(ir::total_mac_count(graph)) * double(test.count);
    std::printf("{\"model\": \"%s\", \"nodes_after_passes\": %zu, \"bn_folded\": %d, \"residual_fused\": %d, "
                "\"images\": %zu, \"batch\": %lld, \"wall_s\": %.3f, \"cpu_s\": %.3f, \"images_per_s\": %.0f, "
                "\"gmac_per_s\": %.2f, \"top1\": %.4f, \"sidecar_fp32_top1\": %.4f}\n",
                model_path.c_str(), graph.node_count(), passes.batch_norms_folded, passes.residual_adds_fused,
                test.count, static_cast<long long>(batch_size), wall, cpu, double(test.count) / wall,
                macs / wall * 1e-9, double(correct) / double(test.count), sidecar.fp32_top1);
}

void imagenet(const char* name, ir::Graph graph, const Shape& shape) {
    ir::run_standard_passes(graph);
    const ir::FloatExecutor executor(graph);
    const ir::FloatTensor image(shape, std::vector<float>(size_t(element_count(shape)), 0.5f));
    executor.run(image);  // warm-up: first-touch allocations
    const double wall0 = wall_seconds(), cpu0 = process_cpu_seconds();
    executor.run(image);
    const double wall = wall_seconds() - wall0, cpu = process_cpu_seconds() - cpu0;
    const double gmac = double(ir::total_mac_count(graph)) * 1e-9;
    std::printf("{\"model\": \"%s\", \"batch\": 1, \"gmac\": %.3f, \"wall_s\": %.3f, \"cpu_s\": %.3f, "
                "\"gmac_per_s\": %.2f}\n",
                name, gmac, wall, cpu, gmac / wall);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string model = argc > 1 ? argv[1] : "models/fmnist_resnet_small.onnx";
        const int64_t batch_size = argc > 2 ? std::stoll(argv[2]) : 256;
        fashion_mnist(model, batch_size);
        imagenet("resnet18", ir::build_resnet18(), Shape{1, 3, 224, 224});
        imagenet("resnet50", ir::build_resnet50(), Shape{1, 3, 224, 224});
        imagenet("inception_v3", ir::build_inception_v3(), Shape{1, 3, 299, 299});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_float_executor: %s\n", e.what());
        return 1;
    }
    return 0;
}
