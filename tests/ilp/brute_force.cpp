#include "brute_force.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace dyadic::ilp::testing {
namespace {

// Layers grouped by ties: group[i] lists layer indices; the first member fixes the label order.
std::vector<std::vector<std::size_t>> tie_groups(const Problem& problem) {
    std::vector<std::size_t> owner(problem.layers.size());
    for (std::size_t l = 0; l < owner.size(); ++l) owner[l] = l;
    auto find = [&](std::size_t x) {
        while (owner[x] != x) x = owner[x];
        return x;
    };
    for (const auto& tie : problem.ties) {
        for (std::size_t layer : tie) {
            const std::size_t a = find(tie.front());
            const std::size_t b = find(layer);
            if (a != b) owner[std::max(a, b)] = std::min(a, b);
        }
    }
    std::map<std::size_t, std::vector<std::size_t>> by_root;
    for (std::size_t l = 0; l < owner.size(); ++l) by_root[find(l)].push_back(l);
    std::vector<std::vector<std::size_t>> groups;
    for (auto& [root, members] : by_root) groups.push_back(members);
    return groups;
}

std::size_t choice_with_label(const Layer& layer, const std::string& label) {
    for (std::size_t c = 0; c < layer.choices.size(); ++c) {
        if (layer.choices[c].label == label) return c;
    }
    throw std::logic_error("tied layers with different labels in a brute-force test problem");
}

}  // namespace

double assignment_count(const Problem& problem) {
    double count = 1.0;
    for (const auto& group : tie_groups(problem)) count *= static_cast<double>(problem.layers[group[0]].choices.size());
    return count;
}

BruteForceResult brute_force(const Problem& problem) {
    const auto groups = tie_groups(problem);
    const std::size_t metric_count = problem.metrics.size();
    BruteForceResult result;
    result.smallest_under_others.assign(problem.budgets.size(), std::nullopt);
    result.min_total.assign(metric_count, 0.0);
    result.max_total.assign(metric_count, 0.0);

    std::vector<std::size_t> candidate(groups.size(), 0);  // mixed-radix counter over groups
    std::vector<std::size_t> choice(problem.layers.size(), 0);
    std::vector<double> totals(metric_count);
    bool first = true;
    while (true) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const std::string& label = problem.layers[groups[g][0]].choices[candidate[g]].label;
            for (std::size_t layer : groups[g]) choice[layer] = choice_with_label(problem.layers[layer], label);
        }
        double objective = 0.0;
        std::fill(totals.begin(), totals.end(), 0.0);
        for (std::size_t l = 0; l < problem.layers.size(); ++l) {
            const Choice& picked = problem.layers[l].choices[choice[l]];
            objective += picked.sensitivity;
            for (std::size_t m = 0; m < metric_count; ++m) totals[m] += picked.metric_values[m];
        }
        ++result.assignments;
        for (std::size_t m = 0; m < metric_count; ++m) {
            result.min_total[m] = first ? totals[m] : std::min(result.min_total[m], totals[m]);
            result.max_total[m] = first ? totals[m] : std::max(result.max_total[m], totals[m]);
        }
        first = false;
        std::size_t violated = 0;
        std::size_t violated_budget = 0;
        for (std::size_t b = 0; b < problem.budgets.size(); ++b) {
            if (totals[problem.budgets[b].metric] > problem.budgets[b].limit) ++violated, violated_budget = b;
        }
        if (violated == 0 && (!result.best_objective || objective < *result.best_objective)) {
            result.best_objective = objective;
        }
        for (std::size_t b = 0; b < problem.budgets.size(); ++b) {
            // Within the other budgets: nothing violated, or only budget b itself.
            if (violated == 0 || (violated == 1 && violated_budget == b)) {
                auto& smallest = result.smallest_under_others[b];
                const double total = totals[problem.budgets[b].metric];
                if (!smallest || total < *smallest) smallest = total;
            }
        }
        std::size_t g = 0;
        while (g < groups.size() && ++candidate[g] == problem.layers[groups[g][0]].choices.size()) candidate[g++] = 0;
        if (g == groups.size()) break;
    }
    return result;
}

}  // namespace dyadic::ilp::testing
