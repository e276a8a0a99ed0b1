#include "graph/golden/golden_reader.h"

#include <map>

#include <nlohmann/json.hpp>

#include "graph/golden/golden_writer.h"
#include "graph/golden/layer_record.h"
#include "graph/golden/tensor_files.h"
#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::golden {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

json read_manifest(const std::string& directory) {
    const fs::path path = fs::path(directory) / "manifest.json";
    const std::string text = read_file(path.string(), "golden manifest");
    json manifest;
    try {
        manifest = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(path.string() + ": not valid JSON: " + e.what());
    }
    require(manifest.is_object() && manifest.value("format", "") == kGoldenFormat,
            path.string() + ": not a golden manifest (\"format\" is not \"" + kGoldenFormat + "\")");
    require(manifest.value("version", 0) == kGoldenFormatVersion,
            path.string() + ": unsupported golden format version (supported: " + std::to_string(kGoldenFormatVersion) +
                ")");
    require(manifest.contains("layers") && manifest["layers"].is_array(), path.string() + ": no \"layers\" array");
    return manifest;
}

}  // namespace

size_t golden_layer_count(const std::string& directory) { return read_manifest(directory)["layers"].size(); }

GoldenLayer read_golden_layer(const std::string& directory, size_t index) {
    const json manifest = read_manifest(directory);
    const json& layers = manifest["layers"];
    require(index < layers.size(), directory + ": layer " + std::to_string(index) + " does not exist (the manifest lists " +
                                       std::to_string(layers.size()) + ")");
    const json& entry = layers[index];
    require(entry.is_object() && entry.contains("name") && entry["name"].is_string() && entry.contains("op") &&
                entry["op"].is_string(),
            directory + ": layer " + std::to_string(index) + " has no name or op");
    const std::string what = directory + ": layer " + std::to_string(index) + " '" + entry["name"].get<std::string>() + "'";
    require(entry.contains("inputs") && entry["inputs"].is_array() && entry.contains("output") &&
                entry.contains("parameters") && entry["parameters"].is_object() && entry.contains("attributes"),
            what + ": needs inputs, output, parameters and attributes");

    GoldenLayer golden;
    golden.index = index;
    std::map<std::string, Tensor> parameters;
    for (const auto& [role, file] : entry["parameters"].items()) {
        parameters[role] = read_tensor_files(directory, file, what + " parameter '" + role + "'");
    }
    golden.layer.name = entry["name"].get<std::string>();
    golden.layer.op = layer_op_from_record(entry["op"].get<std::string>(), entry["attributes"], parameters, what);
    for (size_t i = 0; i < entry["inputs"].size(); ++i) {
        golden.inputs.push_back(read_tensor_files(directory, entry["inputs"][i], what + " input " + std::to_string(i)));
        golden.layer.inputs.push_back(static_cast<quant::TensorId>(i));
    }
    golden.output = read_tensor_files(directory, entry["output"], what + " output");
    golden.layer.output = static_cast<quant::TensorId>(golden.inputs.size());
    return golden;
}

}  // namespace dyadic::golden
