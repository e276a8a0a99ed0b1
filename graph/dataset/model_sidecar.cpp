#include "graph/dataset/model_sidecar.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::dataset {

namespace {

double finite_number(const nlohmann::json& document, const char* key, const std::string& source) {
    require(document.contains(key), source + ": missing field '" + key + "'");
    const nlohmann::json& value = document.at(key);
    require(value.is_number(), source + ": field '" + key + "' must be a number");
    const double number = value.get<double>();
    require(std::isfinite(number), source + ": field '" + key + "' must be finite");
    return number;
}

}  // namespace

ModelSidecar parse_model_sidecar(const std::string& json_text, const std::string& source) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& error) {
        throw Error(source + ": invalid JSON: " + error.what());
    }
    require(document.is_object(), source + ": expected a JSON object");

    ModelSidecar sidecar;
    sidecar.normalization.mean = finite_number(document, "input_mean", source);
    sidecar.normalization.std = finite_number(document, "input_std", source);
    require(sidecar.normalization.std > 0.0, source + ": 'input_std' must be positive");
    sidecar.fp32_top1 = finite_number(document, "fp32_top1", source);
    require(sidecar.fp32_top1 >= 0.0 && sidecar.fp32_top1 <= 1.0,
            source + ": 'fp32_top1' must be a fraction in [0, 1]");

    require(document.contains("classes"), source + ": missing field 'classes'");
    const nlohmann::json& classes = document.at("classes");
    require(classes.is_array() && !classes.empty(), source + ": 'classes' must be a non-empty array");
    for (const nlohmann::json& name : classes) {
        require(name.is_string(), source + ": every entry of 'classes' must be a string");
        sidecar.classes.push_back(name.get<std::string>());
    }
    return sidecar;
}

ModelSidecar read_model_sidecar(const std::string& path) {
    return parse_model_sidecar(read_file(path, "model sidecar"), "'" + path + "'");
}

std::string sidecar_path_for_model(const std::string& onnx_path) {
    const std::size_t slash = onnx_path.find_last_of('/');
    const std::size_t dot = onnx_path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return onnx_path + ".json";
    return onnx_path.substr(0, dot) + ".json";
}

}  // namespace dyadic::dataset
