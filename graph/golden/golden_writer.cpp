#include "graph/golden/golden_writer.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include <nlohmann/json.hpp>

#include "graph/golden/layer_record.h"
#include "graph/golden/npy.h"
#include "graph/golden/staged_directory.h"
#include "graph/golden/tensor_files.h"
#include "graph/quant/integer_executor.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace dyadic::golden {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

// Layer names come from ONNX ("/layer1/conv/Conv"): keep them readable but safe as file names.
std::string file_name_part(const std::string& name) {
    std::string out;
    for (const char c : name) {
        const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        out += keep ? c : '_';
    }
    while (!out.empty() && (out.front() == '_' || out.front() == '.')) out.erase(out.begin());
    if (out.size() > 64) out.resize(64);
    return out.empty() ? "layer" : out;
}

std::string zero_padded(size_t value, size_t width) {
    std::string text = std::to_string(value);
    return text.size() >= width ? text : std::string(width - text.size(), '0') + text;
}

void make_directory(const fs::path& path) {
    std::error_code error;
    fs::create_directory(path, error);
    require(!error, "cannot create '" + path.string() + "': " + error.message());
}

// Builds manifest.json while the layer files are written into the staged directory.
class GoldenWriter {
public:
    GoldenWriter(const std::string& directory, const GoldenOptions& options, std::string model_name, size_t layer_count)
        : stage_(directory, options.replace_existing),
          index_width_(std::max<size_t>(3, std::to_string(layer_count == 0 ? 0 : layer_count - 1).size())) {
        manifest_["format"] = kGoldenFormat;
        manifest_["version"] = kGoldenFormatVersion;
        manifest_["model"] = std::move(model_name);
        manifest_["source"] = options.source;
        manifest_["layers"] = json::array();
        make_directory(root() / "layers");
    }

    const fs::path& root() const { return stage_.path(); }
    json& manifest() { return manifest_; }

    // input_names / output_name: the model's tensor names (may be empty for a lone layer).
    void add_layer(size_t index, const quant::QuantizedLayer& layer, const std::vector<const Tensor*>& inputs,
                   const std::vector<std::string>& input_names, const Tensor& output, const std::string& output_name) {
        const std::string directory = "layers/" + zero_padded(index, index_width_) + "_" + file_name_part(layer.name);
        make_directory(root() / directory);
        const LayerRecord record = record_layer(layer.op);
        json entry;
        entry["index"] = index;
        entry["name"] = layer.name;
        entry["op"] = quant::op_name(layer.op);
        entry["directory"] = directory;
        entry["attributes"] = record.attributes;
        entry["inputs"] = json::array();
        for (size_t i = 0; i < inputs.size(); ++i) {
            json input = write_tensor_files(root(), directory + "/input" + std::to_string(i), *inputs[i],
                                            ScaleKind::per_tensor);
            input["tensor"] = input_names.at(i);
            entry["inputs"].push_back(std::move(input));
        }
        entry["output"] = write_tensor_files(root(), directory + "/output", output, ScaleKind::per_tensor);
        entry["output"]["tensor"] = output_name;
        entry["parameters"] = json::object();
        for (const auto& [role, tensor] : record.parameters) {
            entry["parameters"][role] = write_tensor_files(root(), directory + "/" + role, tensor, ScaleKind::per_channel);
        }
        manifest_["layers"].push_back(std::move(entry));
    }

    void commit() {
        write_file_atomically((root() / "manifest.json").string(), manifest_.dump(1) + "\n");
        stage_.commit();
    }

private:
    StagedDirectory stage_;
    size_t index_width_;
    json manifest_;
};

}  // namespace

void write_model_golden(const std::string& directory, const quant::QuantizedModel& model, const Tensor& quantized_input,
                        const std::vector<float>* float_input, const GoldenOptions& options) {
    GoldenWriter writer(directory, options, model.name, model.layers.size());
    const auto tensor_name = [&](quant::TensorId id) { return model.tensors.at(static_cast<size_t>(id)).name; };

    Tensor input = quantized_input;
    input.scales = {model.tensors.at(static_cast<size_t>(model.input)).scale};
    json& manifest = writer.manifest();
    manifest["batch"] = input.shape.empty() ? 0 : input.shape[0];
    manifest["input"] = write_tensor_files(writer.root(), "input", input, ScaleKind::per_tensor);
    manifest["input"]["tensor"] = tensor_name(model.input);
    if (float_input) {
        write_npy((writer.root() / "input_float.npy").string(), npy_from_floats(input.shape, *float_input));
        manifest["input_float"] = {{"file", "input_float.npy"}, {"shape", input.shape}, {"dtype", "float32"}};
    }

    std::map<quant::TensorId, size_t> producer;
    quant::run_model(model, input, [&](size_t index, const quant::QuantizedLayer& layer,
                                       const std::vector<const Tensor*>& inputs, const Tensor& output) {
        std::vector<std::string> names;
        for (const quant::TensorId id : layer.inputs) names.push_back(tensor_name(id));
        writer.add_layer(index, layer, inputs, names, output, tensor_name(layer.output));
        producer[layer.output] = index;
    });
    manifest["outputs"] = json::array();
    for (const quant::TensorId id : model.outputs) {
        const size_t index = producer.at(id);
        manifest["outputs"].push_back({{"tensor", tensor_name(id)},
                                       {"layer", index},
                                       {"file", manifest["layers"][index]["output"]["file"]}});
    }
    writer.commit();
}

void write_layer_golden(const std::string& directory, const quant::QuantizedLayer& layer,
                        const std::vector<Tensor>& inputs, const GoldenOptions& options) {
    std::vector<const Tensor*> pointers;
    std::vector<std::string> names;
    for (size_t i = 0; i < inputs.size(); ++i) {
        pointers.push_back(&inputs[i]);
        names.push_back("input" + std::to_string(i));
    }
    const Tensor output = quant::run_layer(layer, pointers);
    GoldenWriter writer(directory, options, layer.name, 1);
    writer.manifest()["batch"] = inputs.empty() || inputs[0].shape.empty() ? 0 : inputs[0].shape[0];
    writer.add_layer(0, layer, pointers, names, output, "output");
    writer.manifest()["outputs"] = json::array({{{"tensor", "output"}, {"layer", 0},
                                                 {"file", writer.manifest()["layers"][0]["output"]["file"]}}});
    writer.commit();
}

}  // namespace dyadic::golden
