#include "graph/sensitivity/latency_table.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "graph/quant/bit_candidates.h"
#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::sensitivity {

using nlohmann::json;

LatencyTable parse_latency_table(const std::string& json_text, const std::string& source) {
    json document;
    try {
        document = json::parse(json_text);
    } catch (const json::parse_error& error) {
        throw Error(source + ": not valid JSON: " + error.what());
    }
    require(document.is_object(), source + ": expected a JSON object");
    LatencyTable table;
    if (document.contains("backend") && document["backend"].is_string()) table.backend = document["backend"];
    if (document.contains("unit") && document["unit"].is_string()) table.unit = document["unit"];
    require(document.contains("layers") && document["layers"].is_array(), source + ": missing \"layers\" array");

    std::map<std::pair<std::string, std::string>, double> cycles, milliseconds, energy;
    std::size_t candidates = 0;
    for (const json& layer : document["layers"]) {
        require(layer.is_object() && layer.contains("name") && layer["name"].is_string(),
                source + ": a layer has no \"name\" string");
        const std::string name = layer["name"];
        require(layer.contains("candidates") && layer["candidates"].is_array(),
                source + ": layer \"" + name + "\" has no \"candidates\" array");
        for (const json& candidate : layer["candidates"]) {
            require(candidate.is_object() && candidate.contains("bits") && candidate["bits"].is_string(),
                    source + ": a candidate of layer \"" + name + "\" has no \"bits\" string such as \"w8a8\"");
            const std::pair<std::string, std::string> key{name, candidate["bits"].get<std::string>()};
            require(!cycles.count(key) && !milliseconds.count(key),
                    source + ": layer \"" + name + "\" lists candidate " + key.second + " twice");
            ++candidates;
            const auto read = [&](const char* field, std::map<std::pair<std::string, std::string>, double>& into) {
                if (!candidate.contains(field)) return;
                const json& value = candidate[field];
                require(value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() >= 0.0,
                        source + ": layer \"" + name + "\" candidate " + key.second + ": \"" + field +
                            "\" must be a non-negative number");
                into[key] = value.get<double>();
            };
            read("latency_ms", milliseconds);
            read("cycles", cycles);
            read("energy_pj", energy);
        }
    }
    require(candidates > 0, source + ": the latency table has no candidates");
    // The field the table's "unit" names, else latency_ms, else cycles; it must be in every candidate.
    const bool complete_ms = milliseconds.size() == candidates, complete_cycles = cycles.size() == candidates;
    if (table.unit == "cycles") {
        require(complete_cycles, source + ": unit is \"cycles\" but not every candidate gives \"cycles\"");
        table.latency_field = "cycles";
    } else if (table.unit == "ms" || table.unit == "latency_ms") {
        require(complete_ms, source + ": unit is \"" + table.unit + "\" but not every candidate gives \"latency_ms\"");
        table.latency_field = "latency_ms";
    } else if (complete_ms) {
        table.latency_field = "latency_ms";
    } else if (complete_cycles) {
        table.latency_field = "cycles";
    } else {
        throw Error(source + ": neither \"latency_ms\" nor \"cycles\" is given for every candidate");
    }
    table.latency = table.latency_field == "cycles" ? std::move(cycles) : std::move(milliseconds);
    // Energy in some candidates only would let the ILP budget a metric that half the choices lack.
    require(energy.empty() || energy.size() == candidates,
            source + ": \"energy_pj\" is given for " + std::to_string(energy.size()) + " of " +
                std::to_string(candidates) + " candidates (give it for every candidate or for none)");
    table.energy_pj = std::move(energy);
    return table;
}

LatencyTable read_latency_table(const std::string& path) {
    return parse_latency_table(read_file(path, "latency table"), path);
}

std::string candidate_label(int bits) { return quant::bit_candidate_label(bits, bits); }

namespace {

double entry_of(const std::map<std::pair<std::string, std::string>, double>& entries, const std::string& layer,
                const std::string& bits_label) {
    const auto it = entries.find({layer, bits_label});
    if (it != entries.end()) return it->second;
    std::string known;
    for (const auto& [key, value] : entries)
        if (key.first == layer) known += (known.empty() ? "" : ", ") + key.second;
    if (known.empty()) throw Error("latency table has no layer \"" + layer + "\"");
    throw Error("latency table has no candidate " + bits_label + " for layer \"" + layer + "\" (it has " + known + ")");
}

}  // namespace

double latency_of(const LatencyTable& table, const std::string& layer, const std::string& bits_label) {
    return entry_of(table.latency, layer, bits_label);
}

double energy_of(const LatencyTable& table, const std::string& layer, const std::string& bits_label) {
    require(table.has_energy(), "latency table has no energy (\"energy_pj\"): its backend has no energy model");
    return entry_of(table.energy_pj, layer, bits_label);
}

}  // namespace dyadic::sensitivity
