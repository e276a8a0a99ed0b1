#include "ilp/ties.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "util/error.h"

namespace dyadic::ilp {
namespace {

// Union-find over layer indices: ties may chain (a~b in one group, b~c in another).
class DisjointSets {
public:
    explicit DisjointSets(std::size_t count) : parent_(count) { std::iota(parent_.begin(), parent_.end(), 0); }
    std::size_t root(std::size_t x) {
        while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
        return x;
    }
    // Keeps the smaller index as the root so each group's root is its first layer.
    void join(std::size_t a, std::size_t b) {
        a = root(a);
        b = root(b);
        if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::size_t> parent_;
};

std::string sorted_labels(const Layer& layer) {
    std::vector<std::string> labels;
    for (const auto& choice : layer.choices) labels.push_back(choice.label);
    std::sort(labels.begin(), labels.end());
    std::string text;
    for (const auto& label : labels) text += (text.empty() ? "" : ",") + label;
    return "{" + text + "}";
}

}  // namespace

std::vector<TieGroup> build_tie_groups(const Problem& problem) {
    const std::size_t layer_count = problem.layers.size();
    DisjointSets sets(layer_count);
    for (const auto& tie : problem.ties) {
        for (std::size_t layer : tie) sets.join(tie.front(), layer);
    }
    std::vector<TieGroup> groups;
    std::vector<std::size_t> group_of_root(layer_count, layer_count);
    for (std::size_t l = 0; l < layer_count; ++l) {
        const std::size_t root = sets.root(l);
        if (group_of_root[root] == layer_count) {
            group_of_root[root] = groups.size();
            groups.emplace_back();
        }
        groups[group_of_root[root]].layers.push_back(l);
    }
    for (auto& group : groups) {
        const Layer& first = problem.layers[group.layers.front()];
        for (const auto& choice : first.choices) group.labels.push_back(choice.label);
        group.choice_index.assign(group.labels.size(), {});
        for (std::size_t member : group.layers) {
            const Layer& layer = problem.layers[member];
            std::map<std::string, std::size_t> index_of_label;
            for (std::size_t c = 0; c < layer.choices.size(); ++c) index_of_label[layer.choices[c].label] = c;
            require(layer.choices.size() == first.choices.size() &&
                        std::all_of(group.labels.begin(), group.labels.end(),
                                    [&](const std::string& label) { return index_of_label.count(label) > 0; }),
                    "tied layers '" + first.name + "' " + sorted_labels(first) + " and '" + layer.name + "' " +
                        sorted_labels(layer) + " offer different bits choices");
            for (std::size_t k = 0; k < group.labels.size(); ++k) {
                group.choice_index[k].push_back(index_of_label.at(group.labels[k]));
            }
        }
    }
    return groups;
}

}  // namespace dyadic::ilp
