#include "random_problem.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace dyadic::ilp::testing {
namespace {

struct LabelBits {
    std::string label;
    int weight_bits;
    int activation_bits;
};

const std::vector<LabelBits> kNumericLabels = {{"2", 2, 2}, {"4", 4, 4}, {"8", 8, 8}};
const std::vector<LabelBits> kMixedLabels = {{"w4a4", 4, 4}, {"w4a8", 4, 8}, {"w8a8", 8, 8}};
const std::vector<std::string> kMetricNames = {"size_bits", "bops", "latency", "energy"};

}  // namespace

Problem random_problem(std::uint64_t seed, const RandomProblemLimits& limits) {
    std::mt19937_64 rng(seed);
    auto uniform = [&](double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng); };
    auto integer = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };

    Problem problem;
    const int layer_count = integer(1, limits.max_layers);
    const int group_count = integer(1, std::min(layer_count, 10));
    const bool numeric_labels = integer(0, 1) == 0;
    const auto& pool = numeric_labels ? kNumericLabels : kMixedLabels;
    // Costs that grow with bits, plain noise, or small integers (many equal totals and objectives,
    // budgets met with equality: the hard cases for a solver working within tolerances).
    const int style = integer(0, 3);
    const bool structured = style <= 1;
    const bool small_integers = style == 3;

    // Which group each layer joins: the first group_count layers (in shuffled order) found groups.
    std::vector<int> group_of(layer_count);
    for (int l = 0; l < layer_count; ++l) group_of[l] = l < group_count ? l : integer(0, group_count - 1);
    std::shuffle(group_of.begin(), group_of.end(), rng);

    // Each group's candidate labels; 3-candidate groups are cut to 2 until the brute force is cheap.
    std::vector<std::vector<LabelBits>> group_labels(group_count);
    double count = 1.0;
    for (auto& labels : group_labels) {
        labels = pool;
        std::shuffle(labels.begin(), labels.end(), rng);
        labels.resize(integer(2, 3));
        count *= static_cast<double>(labels.size());
    }
    for (auto& labels : group_labels) {
        if (count <= limits.max_assignments) break;
        if (labels.size() == 3) labels.pop_back(), count = count / 3.0 * 2.0;
    }

    const int metric_count = integer(1, 4);
    std::vector<std::string> metrics = kMetricNames;
    std::shuffle(metrics.begin(), metrics.end(), rng);
    metrics.resize(metric_count);
    problem.metrics = metrics;

    for (int l = 0; l < layer_count; ++l) {
        Layer layer;
        layer.name = "layer" + std::to_string(l);
        std::vector<LabelBits> labels = group_labels[group_of[l]];
        std::shuffle(labels.begin(), labels.end(), rng);  // tied layers list the same labels in any order
        const double parameters = integer(1, 5000);
        const double macs = uniform(1e6, 1e8);
        const double speed = uniform(0.01, 1.0);
        const double curvature = uniform(0.0, 1.0);
        for (const auto& bits : labels) {
            Choice choice;
            choice.label = bits.label;
            if (numeric_labels) choice.numeric_bits = std::stoll(bits.label);
            const double wb = bits.weight_bits;
            const double ab = bits.activation_bits;
            choice.sensitivity = structured ? curvature * std::pow(2.0, -wb) * uniform(0.5, 1.5) + uniform(0.0, 1e-3)
                                 : small_integers ? integer(0, 6) * 0.25
                                                  : uniform(0.0, 1.0);
            for (const auto& metric : metrics) {
                double value = small_integers ? integer(0, 9) : uniform(0.0, 1.0);
                if (structured && metric == "size_bits") value = parameters * wb;  // integer-valued
                if (structured && metric == "bops") value = std::round(macs) * wb * ab;
                if (structured && metric == "latency") value = speed * (0.2 + 0.1 * wb * ab / 8.0) * uniform(0.9, 1.1);
                if (structured && metric == "energy") value = macs * 1e-9 * (wb + ab) * uniform(0.9, 1.1);
                choice.metric_values.push_back(value);
            }
            layer.choices.push_back(choice);
        }
        problem.layers.push_back(layer);
    }

    // Ties: each multi-layer group as one list, or as a chain of overlapping pairs.
    for (int g = 0; g < group_count; ++g) {
        std::vector<std::size_t> members;
        for (int l = 0; l < layer_count; ++l) {
            if (group_of[l] == g) members.push_back(static_cast<std::size_t>(l));
        }
        if (members.size() < 2) continue;
        std::shuffle(members.begin(), members.end(), rng);
        if (integer(0, 1) == 0) {
            problem.ties.push_back(members);
        } else {
            for (std::size_t i = 1; i < members.size(); ++i) problem.ties.push_back({members[i - 1], members[i]});
        }
    }

    // Budgets: a random fraction of a rough range (below 0 is usually infeasible), or exactly the
    // total of one random tie-respecting assignment (a budget met with equality).
    std::vector<std::size_t> metric_order(metric_count);
    for (int m = 0; m < metric_count; ++m) metric_order[m] = static_cast<std::size_t>(m);
    std::shuffle(metric_order.begin(), metric_order.end(), rng);
    const int budget_count = integer(1, std::min(metric_count, 3));
    std::vector<std::size_t> pick(group_count);
    for (int g = 0; g < group_count; ++g) pick[g] = static_cast<std::size_t>(integer(0, 1));  // every group has >= 2
    for (int b = 0; b < budget_count; ++b) {
        const std::size_t metric = metric_order[b];
        double low = 0.0, high = 0.0, exact = 0.0;
        for (int l = 0; l < layer_count; ++l) {
            double layer_low = 1e300, layer_high = -1e300;
            for (const auto& choice : problem.layers[l].choices) {
                layer_low = std::min(layer_low, choice.metric_values[metric]);
                layer_high = std::max(layer_high, choice.metric_values[metric]);
            }
            low += layer_low;
            high += layer_high;
            const std::string& label = group_labels[group_of[l]][pick[group_of[l]]].label;
            for (const auto& choice : problem.layers[l].choices) {
                if (choice.label == label) exact += choice.metric_values[metric];
            }
        }
        const double limit = integer(0, 4) == 0 ? exact : low + uniform(-0.15, 0.8) * (high - low);
        problem.budgets.push_back(Budget{metric, limit});
    }
    return problem;
}

}  // namespace dyadic::ilp::testing
