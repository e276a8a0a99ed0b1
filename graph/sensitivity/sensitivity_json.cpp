#include "graph/sensitivity/sensitivity_json.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace dyadic::sensitivity {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* key, const std::string& where) {
    require(object.is_object(), where + ": expected a JSON object");
    const auto it = object.find(key);
    require(it != object.end(), where + ": missing field \"" + key + "\"");
    return *it;
}

double number_field(const json& object, const char* key, const std::string& where) {
    const json& value = field(object, key, where);
    require(value.is_number(), where + ": field \"" + key + "\" must be a number");
    return value.get<double>();
}

int64_t integer_field(const json& object, const char* key, const std::string& where) {
    const json& value = field(object, key, where);
    require(value.is_number_integer(), where + ": field \"" + key + "\" must be an integer");
    return value.get<int64_t>();
}

int parse_bits_key(const std::string& key, const std::string& where) {
    int bits = 0;
    std::size_t used = 0;
    try {
        bits = std::stoi(key, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    require(used == key.size() && used > 0 && bits >= 2 && bits <= 8,
            where + ": bit-width key \"" + key + "\" is not an integer in 2..8");
    return bits;
}

}  // namespace

std::string sensitivity_report_json(const SensitivityReport& report) {
    json layers = json::array();
    for (const LayerSensitivity& layer : report.layers) {
        json omega = json::object(), weight_error = json::object();
        for (const BitWidthSensitivity& b : layer.per_bits) {
            omega[std::to_string(b.bits)] = b.omega;
            weight_error[std::to_string(b.bits)] = b.weight_error;
        }
        layers.push_back({{"name", layer.name},
                          {"op", layer.op},
                          {"n_params", layer.n_params},
                          {"trace", layer.trace.trace},
                          {"stderr", layer.trace.standard_error},
                          {"samples", layer.trace.samples},
                          {"cpu_seconds", layer.cpu_seconds},
                          {"weight_error", weight_error},
                          {"omega", omega},
                          {"quadratic_forms", layer.quadratic_forms}});
    }
    const json document = {{"format", "dyadic-sensitivity"}, {"version", 1},           {"model", report.model},
                           {"images", report.images},         {"samples", report.samples}, {"seed", report.seed},
                           {"layers", layers}};
    return document.dump(2) + "\n";
}

SensitivityReport parse_sensitivity_report(const std::string& json_text, const std::string& source) {
    json document;
    try {
        document = json::parse(json_text);
    } catch (const json::parse_error& error) {
        throw Error(source + ": not valid JSON: " + error.what());
    }
    const json& format = field(document, "format", source);
    require(format == "dyadic-sensitivity", source + ": \"format\" is not \"dyadic-sensitivity\"");
    require(integer_field(document, "version", source) == 1, source + ": unsupported sensitivity file version");

    SensitivityReport report;
    if (document.contains("model") && document["model"].is_string()) report.model = document["model"];
    report.images = integer_field(document, "images", source);
    report.samples = static_cast<int>(integer_field(document, "samples", source));
    if (document.contains("seed") && document["seed"].is_number_unsigned()) report.seed = document["seed"];

    const json& layers = field(document, "layers", source);
    require(layers.is_array(), source + ": \"layers\" must be an array");
    std::set<std::string> names;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string where = source + ": layers[" + std::to_string(i) + "]";
        const json& entry = layers[i];
        const json& name = field(entry, "name", where);
        require(name.is_string() && !name.get<std::string>().empty(), where + ": \"name\" must be a non-empty string");
        LayerSensitivity layer;
        layer.name = name;
        require(names.insert(layer.name).second, where + ": duplicate layer \"" + layer.name + "\"");
        const std::string here = source + ": layer \"" + layer.name + "\"";
        if (entry.contains("op") && entry["op"].is_string()) layer.op = entry["op"];
        layer.n_params = integer_field(entry, "n_params", here);
        require(layer.n_params >= 1, here + ": n_params must be positive");
        layer.trace.trace = number_field(entry, "trace", here);
        layer.trace.standard_error = number_field(entry, "stderr", here);
        layer.trace.samples = static_cast<int>(integer_field(entry, "samples", here));
        if (entry.contains("cpu_seconds") && entry["cpu_seconds"].is_number()) layer.cpu_seconds = entry["cpu_seconds"];
        const json& omega = field(entry, "omega", here);
        require(omega.is_object() && !omega.empty(), here + ": \"omega\" must be a non-empty object");
        for (const auto& [key, value] : omega.items()) {
            require(value.is_number(), here + ": omega[\"" + key + "\"] must be a number");
            BitWidthSensitivity b;
            b.bits = parse_bits_key(key, here);
            b.omega = value.get<double>();
            if (entry.contains("weight_error") && entry["weight_error"].contains(key) &&
                entry["weight_error"][key].is_number())
                b.weight_error = entry["weight_error"][key].get<double>();
            layer.per_bits.push_back(b);
        }
        if (entry.contains("quadratic_forms") && entry["quadratic_forms"].is_array())
            for (const json& q : entry["quadratic_forms"])
                if (q.is_number()) layer.quadratic_forms.push_back(q.get<double>());
        report.layers.push_back(std::move(layer));
    }
    return report;
}

SensitivityReport read_sensitivity_report(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    require(static_cast<bool>(file), "cannot open sensitivity file '" + path + "'");
    std::ostringstream text;
    text << file.rdbuf();
    require(!file.bad(), "cannot read sensitivity file '" + path + "'");
    return parse_sensitivity_report(text.str(), path);
}

double omega_at(const LayerSensitivity& layer, int bits) {
    for (const BitWidthSensitivity& b : layer.per_bits)
        if (b.bits == bits) return b.omega;
    throw Error("sensitivity of layer '" + layer.name + "' has no value for " + std::to_string(bits) +
                " bits (rerun dyadic sensitivity with --bits including " + std::to_string(bits) + ")");
}

}  // namespace dyadic::sensitivity
