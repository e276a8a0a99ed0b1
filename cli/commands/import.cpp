// dyadic import: loads a float ONNX model (or builds one of the ImageNet-shaped architectures),
// runs the standard graph passes and prints the resulting IR layer by layer: op, output shape,
// whether the tensor is known non-negative (unsigned once quantized) and MACs per image.
#include <cstdio>
#include <sstream>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "graph/ir/builders/inception_v3.h"
#include "graph/ir/builders/resnet.h"
#include "graph/ir/mac_count.h"
#include "graph/ir/onnx_import.h"
#include "graph/ir/passes/passes.h"
#include "graph/ir/shape_inference.h"
#include "util/error.h"
#include "util/atomic_file.h"

namespace dyadic::cli::commands {
namespace {

ir::Graph load(const ArgParser& parser) {
    const auto builder = parser.get_optional("--builder");
    const auto model = parser.get_optional("model");
    if (builder.has_value() == model.has_value()) throw UsageError("give either a model file or --builder");
    if (!builder) return ir::import_onnx_file(*model);
    if (*builder == "resnet18") return ir::build_resnet18();
    if (*builder == "resnet50") return ir::build_resnet50();
    if (*builder == "inception_v3") return ir::build_inception_v3();
    throw UsageError("unknown builder '" + *builder + "' (resnet18, resnet50, inception_v3)");
}

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out += buffer;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string json_shape(const Shape& shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

// What a node does beyond its op name: fused residual add and activation.
std::string fused_suffix(const ir::Node& node) {
    std::string suffix;
    if (node.has_residual()) suffix += "+Add";
    if (node.op != ir::OpKind::Relu && node.activation.relu)
        suffix += node.activation.has_upper_bound() ? "+Clip(0," + std::to_string(node.activation.upper_bound) + ")"
                                                    : "+Relu";
    return suffix;
}

}  // namespace

int import_model(const Args& args) {
    ArgParser parser("dyadic import",
                     "Import a float ONNX model into dyadic's IR (or build ResNet18/ResNet50/InceptionV3 at ImageNet\n"
                     "shapes), run the standard passes (BatchNorm folding, conv+ReLU and conv+residual-add fusion,\n"
                     "non-negative marking) and print every layer with its output shape and MACs per image.");
    parser.positional("model", "float ONNX model", false)
        .option("--builder", "name", "build resnet18, resnet50 or inception_v3 instead of reading a model")
        .flag("--no-passes", "show the graph as imported, without passes")
        .option("--json", "path", "also write the layer table as JSON");
    parser.parse(args);

    ir::Graph graph = load(parser);
    ir::PassReport report;
    if (parser.has("--no-passes")) ir::infer_shapes(graph);
    else report = ir::run_standard_passes(graph);

    std::printf("%-40s %-24s %-20s %-4s %14s\n", "node", "op", "output shape", "sign", "MACs/image");
    std::ostringstream json;
    json << "{\n  \"inputs\": [";
    for (size_t i = 0; i < graph.inputs().size(); ++i)
        json << (i ? ", " : "") << "{\"name\": " << json_string(graph.inputs()[i])
             << ", \"shape\": " << json_shape(graph.value(graph.inputs()[i]).shape) << "}";
    json << "],\n  \"nodes\": [";
    bool first = true;
    for (const ir::NodeId id : graph.topological_order()) {
        const ir::Node& node = graph.node(id);
        const ir::Value& out = graph.value(node.outputs[0]);
        const std::string op = std::string(ir::op_name(node.op)) + fused_suffix(node);
        const int64_t macs = ir::mac_count(graph, id);
        std::printf("%-40s %-24s %-20s %-4s %14lld\n", node.name.c_str(), op.c_str(), to_string(out.shape).c_str(),
                    out.non_negative ? "+" : "+/-", static_cast<long long>(macs));
        json << (first ? "\n" : ",\n") << "    {\"name\": " << json_string(node.name) << ", \"op\": " << json_string(op)
             << ", \"output\": " << json_string(out.name) << ", \"shape\": " << json_shape(out.shape)
             << ", \"non_negative\": " << (out.non_negative ? "true" : "false") << ", \"macs\": " << macs << "}";
        first = false;
    }
    const int64_t total = ir::total_mac_count(graph);
    json << "\n  ],\n  \"total_macs\": " << total << "\n}\n";
    std::printf("\n%zu nodes, %.4f GMAC per image", graph.node_count(), double(total) * 1e-9);
    if (!parser.has("--no-passes"))
        std::printf("; passes: %d BatchNorm folded, %d residual adds and %d activations fused", report.batch_norms_folded,
                    report.residual_adds_fused, report.activations_fused);
    std::printf("\n");
    if (const auto path = parser.get_optional("--json")) write_file_atomically(*path, json.str());
    return 0;
}

}  // namespace dyadic::cli::commands
