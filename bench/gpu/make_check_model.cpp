// Writes an integer model for the GPU checks (scripts/gpu-check.sh) without any dataset: a float
// ONNX model (the bundled Fashion-MNIST ones) or ResNet18/ResNet50 at ImageNet shapes (synthetic
// seeded weights, graph/ir/builders), quantized post-training on seeded random calibration images.
// Bit-exactness does not depend on how good the scales are, only on the integers.
//   make_check_model --net resnet50|resnet18|path.onnx --bits w8a8|w4a4|w4a8|mixed|config.json --out m.dyqm
// "mixed" keeps the stem, downsample and fully connected layers at w8a8 and puts every conv2/conv3
// (the 3x3 and last 1x1 convs of each residual block, most of the MACs) at w4a4.
#include <cstdio>
#include <random>
#include <string>

#include "graph/ir/builders/resnet.h"
#include "graph/ir/float_tensor.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/calibration.h"
#include "graph/quant/model_file.h"
#include "graph/quant/quantizer.h"
#include "util/error.h"

using namespace dyadic;

namespace {

quant::BitConfig bit_config(const ir::Graph& graph, const std::string& bits) {
    if (bits != "mixed") return quant::load_bit_config(bits);
    quant::BitConfig config = quant::uniform_bit_config("w8a8");
    for (const ir::NodeId id : graph.topological_order()) {
        const ir::Node& node = graph.node(id);
        if (node.op == ir::OpKind::Conv &&
            (node.name.find("conv2") != std::string::npos || node.name.find("conv3") != std::string::npos)) {
            config.layers[node.name] = quant::LayerBits{4, 4};
        }
    }
    return config;
}

// "models/fmnist_resnet.onnx" -> "fmnist_resnet"
std::string stem(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

int main(int argc, char** argv) {
    std::string net, bits = "w8a8", out;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i], value = argv[i + 1];
        if (arg == "--net") net = value;
        else if (arg == "--bits") bits = value;
        else if (arg == "--out") out = value;
    }
    if (net.empty() || out.empty()) {
        std::fprintf(stderr, "usage: make_check_model --net resnet18|resnet50|model.onnx [--bits w8a8|w4a4|w4a8|mixed|config.json] --out m.dyqm\n");
        return 2;
    }
    try {
        ir::Graph graph = net == "resnet18"   ? ir::build_resnet18()
                          : net == "resnet50" ? ir::build_resnet50()
                                              : ir::import_onnx_file(net);
        ir::run_standard_passes(graph);
        require(graph.inputs().size() == 1, "make_check_model: the model must have one input");
        Shape shape = graph.value(graph.inputs()[0]).shape;
        require(!shape.empty(), "make_check_model: the input has no shape");
        shape[0] = 2;  // calibration images
        ir::FloatTensor images(shape);
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        for (float& v : images.data) v = normal(rng);
        quant::QuantizeOptions options;
        options.bits = bit_config(graph, bits);
        const std::string name = stem(net) + "_" + stem(bits);
        const quant::QuantizedModel model = quant::quantize(
            graph, quant::collect_statistics(graph, images, 1, quant::needs_histograms(options.calibration)), options, name);
        quant::save_model(model, out);
        std::printf("wrote %s: %s, %zu layers\n", out.c_str(), model.name.c_str(), model.layers.size());
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "make_check_model: %s\n", e.what());
        return 1;
    }
}
