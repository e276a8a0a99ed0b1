#include "graph/sensitivity/sensitivity_json.h"

#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/read_file.h"

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

json activation_json(const ActivationSensitivity& input) {
    json omega = json::object(), error = json::object();
    for (const ActivationBitSensitivity& b : input.per_bits) {
        omega[std::to_string(b.bits)] = b.omega;
        error[std::to_string(b.bits)] = b.error;
    }
    return {{"n_elements", input.n_elements},
            {"trace", input.trace.trace},
            {"stderr", input.trace.standard_error},
            {"samples", input.trace.samples},
            {"cpu_seconds", input.cpu_seconds},
            {"error", error},
            {"omega", omega},
            {"quadratic_forms", input.quadratic_forms}};
}

// A bit-width keyed object of numbers ({"4": 0.1, "8": 0.002}) as (bits, value) pairs.
std::vector<std::pair<int, double>> bits_object(const json& object, const std::string& name, const std::string& where) {
    require(object.is_object() && !object.empty(), where + ": \"" + name + "\" must be a non-empty object");
    std::vector<std::pair<int, double>> values;
    for (const auto& [key, value] : object.items()) {
        require(value.is_number(), where + ": " + name + "[\"" + key + "\"] must be a number");
        values.emplace_back(parse_bits_key(key, where), value.get<double>());
    }
    return values;
}

ActivationSensitivity parse_activation(const json& entry, const std::string& where) {
    ActivationSensitivity input;
    input.n_elements = integer_field(entry, "n_elements", where);
    require(input.n_elements >= 1, where + ": n_elements must be positive");
    input.trace.trace = number_field(entry, "trace", where);
    input.trace.standard_error = number_field(entry, "stderr", where);
    input.trace.samples = static_cast<int>(integer_field(entry, "samples", where));
    if (entry.contains("cpu_seconds") && entry["cpu_seconds"].is_number()) input.cpu_seconds = entry["cpu_seconds"];
    const json* errors = entry.contains("error") ? &entry["error"] : nullptr;
    for (const auto& [bits, omega] : bits_object(field(entry, "omega", where), "omega", where)) {
        const std::string key = std::to_string(bits);
        const double error = errors && errors->contains(key) && (*errors)[key].is_number() ? (*errors)[key].get<double>() : 0.0;
        input.per_bits.push_back({bits, error, omega});
    }
    if (entry.contains("quadratic_forms") && entry["quadratic_forms"].is_array())
        for (const json& q : entry["quadratic_forms"])
            if (q.is_number()) input.quadratic_forms.push_back(q.get<double>());
    return input;
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
        json entry = {{"name", layer.name},
                      {"op", layer.op},
                      {"n_params", layer.n_params},
                      {"trace", layer.trace.trace},
                      {"stderr", layer.trace.standard_error},
                      {"samples", layer.trace.samples},
                      {"cpu_seconds", layer.cpu_seconds},
                      {"weight_error", weight_error},
                      {"omega", omega},
                      {"quadratic_forms", layer.quadratic_forms}};
        if (layer.activation) entry["activation"] = activation_json(*layer.activation);
        layers.push_back(std::move(entry));
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
        if (entry.contains("activation")) layer.activation = parse_activation(entry["activation"], here + ", activation");
        report.layers.push_back(std::move(layer));
    }
    return report;
}

SensitivityReport read_sensitivity_report(const std::string& path) {
    return parse_sensitivity_report(read_file(path, "sensitivity file"), path);
}

double activation_omega_at(const LayerSensitivity& layer, int bits) {
    require(layer.activation.has_value(), "sensitivity of layer '" + layer.name +
                                              "' has no activation sensitivities (rerun dyadic sensitivity)");
    for (const ActivationBitSensitivity& b : layer.activation->per_bits)
        if (b.bits == bits) return b.omega;
    throw Error("activation sensitivity of layer '" + layer.name + "' has no value for " + std::to_string(bits) +
                " bits (rerun dyadic sensitivity with --bits including " + std::to_string(bits) + ")");
}

double omega_at(const LayerSensitivity& layer, int bits) {
    for (const BitWidthSensitivity& b : layer.per_bits)
        if (b.bits == bits) return b.omega;
    throw Error("sensitivity of layer '" + layer.name + "' has no value for " + std::to_string(bits) +
                " bits (rerun dyadic sensitivity with --bits including " + std::to_string(bits) + ")");
}

}  // namespace dyadic::sensitivity
