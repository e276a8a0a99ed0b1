#include "graph/sensitivity/ilp_problem_file.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "graph/sensitivity/weight_layers.h"
#include "util/error.h"

namespace dyadic::sensitivity {

std::vector<std::vector<std::string>> shared_input_ties(const ir::Graph& graph) {
    std::map<std::string, std::vector<std::string>> readers;
    std::vector<std::string> order;  // shared tensors by first reader, topological
    for (const WeightLayer& layer : weight_layers(graph)) {
        const std::string& input = graph.node(layer.node).inputs.at(0);
        auto& names = readers[input];
        if (names.empty()) order.push_back(input);
        names.push_back(layer.name);
    }
    std::vector<std::vector<std::string>> ties;
    for (const std::string& tensor : order)
        if (readers[tensor].size() >= 2) ties.push_back(readers[tensor]);
    return ties;
}

namespace {

// The candidates to offer: the per-operand list, else the symmetric widths. Checks both.
std::vector<quant::BitCandidate> offered_candidates(const ProblemOptions& options) {
    if (!options.candidates.empty()) {
        std::set<std::string> seen;
        for (const quant::BitCandidate& c : options.candidates)
            require(c.weight_bits >= 2 && c.weight_bits <= 8 && c.activation_bits >= 2 && c.activation_bits <= 8 &&
                        c.label == quant::bit_candidate_label(c.weight_bits, c.activation_bits) &&
                        seen.insert(c.label).second,
                    "ilp problem: candidates must be distinct w<2..8>a<2..8> pairs");
        return options.candidates;
    }
    require(!options.bits.empty(), "ilp problem: no candidate bit widths");
    std::set<int> seen_bits;
    std::vector<quant::BitCandidate> candidates;
    for (const int bits : options.bits) {
        require(bits >= 2 && bits <= 8 && seen_bits.insert(bits).second,
                "ilp problem: candidate bit widths must be distinct integers in 2..8");
        candidates.push_back({candidate_label(bits), bits, bits});
    }
    return candidates;
}

// Omega of the candidate: the weight term, plus the activation term when the file has it. The two
// perturbations are independent with mean zero, so the cross term's expectation vanishes
// (docs/sensitivity.md, "Activation sensitivity").
double candidate_sensitivity(const LayerSensitivity& layer, const quant::BitCandidate& candidate) {
    const double weight = omega_at(layer, candidate.weight_bits);
    if (!layer.activation) {
        require(candidate.weight_bits == candidate.activation_bits,
                "ilp problem: candidate " + candidate.label + " has different weight and activation bits, but the "
                "sensitivity file has no activation sensitivities for layer '" + layer.name +
                "' (rerun dyadic sensitivity)");
        return weight;
    }
    return weight + activation_omega_at(layer, candidate.activation_bits);
}

}  // namespace

std::string ilp_problem_json(const ir::Graph& graph, const SensitivityReport& report, const ProblemOptions& options) {
    const std::vector<quant::BitCandidate> candidates = offered_candidates(options);
    const bool numeric_labels = options.candidates.empty();

    std::map<std::string, const LayerSensitivity*> by_name;
    for (const LayerSensitivity& layer : report.layers) by_name[layer.name] = &layer;
    const std::vector<WeightLayer> layers = weight_layers(graph);
    require(!layers.empty(), "ilp problem: the model has no Conv or FullyConnected layer");

    nlohmann::ordered_json problem_layers = nlohmann::ordered_json::array();
    for (const WeightLayer& layer : layers) {
        const auto found = by_name.find(layer.name);
        require(found != by_name.end(), "ilp problem: the sensitivity file has no layer '" + layer.name +
                                            "' (was it computed for another model?)");
        const LayerSensitivity& sensitivity = *found->second;
        require(sensitivity.n_params == layer.n_params,
                "ilp problem: layer '" + layer.name + "' has " + std::to_string(layer.n_params) +
                    " weights in the model but " + std::to_string(sensitivity.n_params) + " in the sensitivity file");
        by_name.erase(found);

        nlohmann::ordered_json choices = nlohmann::ordered_json::array();
        for (const quant::BitCandidate& candidate : candidates) {
            nlohmann::ordered_json choice;
            if (numeric_labels)
                choice["bits"] = candidate.weight_bits;
            else
                choice["bits"] = candidate.label;
            choice["sensitivity"] = candidate_sensitivity(sensitivity, candidate);
            // int64: exact integers in the file (a layer's MACs times 64 stays far below 2^63).
            choice["size_bits"] = layer.n_params * candidate.weight_bits;
            choice["bops"] = layer.macs * candidate.weight_bits * candidate.activation_bits;
            if (options.latency) choice["latency"] = latency_of(*options.latency, layer.name, candidate.label);
            if (options.latency && options.latency->has_energy())
                choice["energy"] = energy_of(*options.latency, layer.name, candidate.label);
            choices.push_back(std::move(choice));
        }
        problem_layers.push_back({{"name", layer.name}, {"choices", std::move(choices)}});
    }
    require(by_name.empty(), "ilp problem: the sensitivity file has layer '" +
                                 (by_name.empty() ? std::string() : by_name.begin()->first) +
                                 "', which the model does not have");

    nlohmann::ordered_json document;
    document["layers"] = std::move(problem_layers);
    document["ties"] = shared_input_ties(graph);
    return document.dump(2) + "\n";
}

}  // namespace dyadic::sensitivity
