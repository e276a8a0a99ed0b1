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

std::string ilp_problem_json(const ir::Graph& graph, const SensitivityReport& report, const ProblemOptions& options) {
    require(!options.bits.empty(), "ilp problem: no candidate bit widths");
    std::set<int> seen_bits;
    for (const int bits : options.bits)
        require(bits >= 2 && bits <= 8 && seen_bits.insert(bits).second,
                "ilp problem: candidate bit widths must be distinct integers in 2..8");

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
        for (const int bits : options.bits) {
            nlohmann::ordered_json choice;
            choice["bits"] = bits;
            choice["sensitivity"] = omega_at(sensitivity, bits);
            choice["size_bits"] = layer.n_params * bits;  // int64: exact integers in the file
            choice["bops"] = layer.macs * bits * bits;
            if (options.latency) {
                choice["latency"] = latency_of(*options.latency, layer.name, candidate_label(bits));
            }
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
