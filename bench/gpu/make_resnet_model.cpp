// Writes ResNet18 or ResNet50 at ImageNet shapes (synthetic seeded weights, graph/ir/builders) as
// an integer model at a bit configuration, quantized with seeded random calibration images, for
// the GPU checks (scripts/gpu-check.sh):
//   make_resnet_model --net resnet50 --bits w4a8 --out resnet50_w4a8.dyqm
#include <cstdio>
#include <random>
#include <string>

#include "graph/ir/builders/resnet.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_file.h"
#include "graph/quant/quantizer.h"
#include "util/error.h"

using namespace dyadic;

int main(int argc, char** argv) {
    std::string net = "resnet50", bits = "w8a8", out;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i], value = argv[i + 1];
        if (arg == "--net") net = value;
        else if (arg == "--bits") bits = value;
        else if (arg == "--out") out = value;
    }
    if ((net != "resnet18" && net != "resnet50") || out.empty()) {
        std::fprintf(stderr, "usage: make_resnet_model --net resnet18|resnet50 [--bits w8a8|w4a4|w4a8|...|config.json] --out model.dyqm\n");
        return 2;
    }
    try {
        ir::Graph graph = net == "resnet18" ? ir::build_resnet18() : ir::build_resnet50();
        ir::run_standard_passes(graph);
        ir::FloatTensor images({2, 3, 224, 224});
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        for (float& v : images.data) v = normal(rng);
        quant::QuantizeOptions options;
        options.bits = quant::load_bit_config(bits);
        const quant::QuantizedModel model = quant::quantize(
            graph, quant::collect_statistics(graph, images, 1, quant::needs_histograms(options.calibration)), options,
            net + "_" + bits);
        quant::save_model(model, out);
        std::printf("wrote %s: %s, %zu layers\n", out.c_str(), model.name.c_str(), model.layers.size());
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "make_resnet_model: %s\n", e.what());
        return 1;
    }
}
