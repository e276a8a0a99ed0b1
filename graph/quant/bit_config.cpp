#include "graph/quant/bit_config.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>
#include <set>

#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::quant {
namespace {

using nlohmann::json;

int read_bits(const json& object, const char* key, int lo, int hi, int fallback, const std::string& where) {
    if (!object.contains(key)) return fallback;
    const json& value = object.at(key);
    require(value.is_number_integer(), where + ": \"" + key + "\" must be an integer");
    const int64_t bits = value.get<int64_t>();
    require(bits >= lo && bits <= hi, where + ": \"" + key + "\" is " + std::to_string(bits) + ", must be " +
                                          std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(bits);
}

void reject_unknown_keys(const json& object, const std::set<std::string>& known, const std::string& where) {
    for (const auto& item : object.items()) {
        require(known.count(item.key()) != 0, where + ": unknown key \"" + item.key() + "\"");
    }
}

LayerBits read_layer_bits(const json& object, const LayerBits& fallback, const std::string& where) {
    require(object.is_object(), where + ": must be an object");
    reject_unknown_keys(object, {"weight_bits", "activation_bits"}, where);
    return LayerBits{read_bits(object, "weight_bits", 2, 8, fallback.weight_bits, where),
                     read_bits(object, "activation_bits", 2, 8, fallback.activation_bits, where)};
}

// An ILP result (`dyadic ilp --out`): {"assignment": {"layer": 4 | "w4a8", ...}, ...}. A plain
// number b means w = a = b, as `dyadic ilp-problem` writes its candidates. Layers the assignment
// does not name keep the 8-bit defaults.
BitConfig bit_config_from_assignment(const json& assignment, const std::string& where) {
    require(assignment.is_object(), where + ": \"assignment\" must be an object keyed by layer name");
    static const std::regex label("w([2-8])a([2-8])");
    BitConfig config;
    for (const auto& item : assignment.items()) {
        const std::string layer = where + ", layer \"" + item.key() + "\"";
        const json& bits = item.value();
        if (bits.is_number_integer()) {
            const int64_t b = bits.get<int64_t>();
            require(b >= 2 && b <= 8, layer + ": " + std::to_string(b) + " bits, must be 2..8");
            config.layers[item.key()] = LayerBits{static_cast<int>(b), static_cast<int>(b)};
            continue;
        }
        std::smatch match;
        const std::string text = bits.is_string() ? bits.get<std::string>() : std::string();
        require(std::regex_match(text, match, label), layer + ": expected a bit width 2..8 or a label like w4a8");
        config.layers[item.key()] = LayerBits{std::stoi(match[1]), std::stoi(match[2])};
    }
    return config;
}

}  // namespace

BitConfig uniform_bit_config(const std::string& shorthand) {
    static const std::regex pattern("w([2-8])a([2-8])");
    std::smatch match;
    require(std::regex_match(shorthand, match, pattern),
            "bit configuration '" + shorthand + "': expected a shorthand like w8a8 or w4a4 (2..8 bits) or a JSON file");
    BitConfig config;
    config.defaults = LayerBits{std::stoi(match[1]), std::stoi(match[2])};
    return config;
}

BitConfig parse_bit_config(const std::string& json_text, const std::string& source) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error("bit configuration '" + source + "': invalid JSON: " + e.what());
    }
    const std::string where = "bit configuration '" + source + "'";
    require(doc.is_object(), where + ": must be a JSON object");
    if (doc.contains("assignment")) return bit_config_from_assignment(doc["assignment"], where);
    reject_unknown_keys(doc, {"weight_bits", "activation_bits", "residual_bits", "output_bits", "layers"}, where);
    BitConfig config;
    config.defaults = LayerBits{read_bits(doc, "weight_bits", 2, 8, config.defaults.weight_bits, where),
                                read_bits(doc, "activation_bits", 2, 8, config.defaults.activation_bits, where)};
    config.residual_bits = read_bits(doc, "residual_bits", 2, 16, config.residual_bits, where);
    config.output_bits = read_bits(doc, "output_bits", 2, 16, config.output_bits, where);
    if (doc.contains("layers")) {
        require(doc["layers"].is_object(), where + ": \"layers\" must be an object keyed by layer name");
        for (const auto& item : doc["layers"].items()) {
            config.layers[item.key()] = read_layer_bits(item.value(), config.defaults,
                                                         where + ", layer \"" + item.key() + "\"");
        }
    }
    return config;
}

BitConfig load_bit_config(const std::string& shorthand_or_path) {
    static const std::regex shorthand("w[0-9]+a[0-9]+");
    if (std::regex_match(shorthand_or_path, shorthand)) return uniform_bit_config(shorthand_or_path);
    std::error_code ignored;
    require(std::filesystem::exists(shorthand_or_path, ignored),
            "bit configuration '" + shorthand_or_path + "': neither a shorthand like w8a8 nor an existing JSON file");
    return parse_bit_config(read_file(shorthand_or_path, "bit configuration"), shorthand_or_path);
}

std::string to_json(const BitConfig& config) {
    json layers = json::object();
    for (const auto& [name, bits] : config.layers) {
        layers[name] = {{"weight_bits", bits.weight_bits}, {"activation_bits", bits.activation_bits}};
    }
    const json doc = {{"weight_bits", config.defaults.weight_bits},
                      {"activation_bits", config.defaults.activation_bits},
                      {"residual_bits", config.residual_bits},
                      {"output_bits", config.output_bits},
                      {"layers", layers}};
    return doc.dump(2) + "\n";
}

}  // namespace dyadic::quant
