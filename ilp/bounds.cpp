#include "ilp/bounds.h"

#include "ilp/ties.h"

namespace dyadic::ilp {

MetricRange metric_range(const Problem& problem, std::size_t metric) {
    MetricRange range;
    range.cheapest.assign(problem.layers.size(), 0);
    range.dearest.assign(problem.layers.size(), 0);
    for (const auto& group : build_tie_groups(problem)) {
        // A tied group pays the sum over its members, so its extreme candidates are chosen by that sum.
        std::size_t cheapest = 0;
        std::size_t dearest = 0;
        double cheapest_cost = 0.0;
        double dearest_cost = 0.0;
        for (std::size_t k = 0; k < group.labels.size(); ++k) {
            double cost = 0.0;
            for (std::size_t m = 0; m < group.layers.size(); ++m) {
                cost += problem.layers[group.layers[m]].choices[group.choice_index[k][m]].metric_values[metric];
            }
            if (k == 0 || cost < cheapest_cost) cheapest = k, cheapest_cost = cost;
            if (k == 0 || cost > dearest_cost) dearest = k, dearest_cost = cost;
        }
        for (std::size_t m = 0; m < group.layers.size(); ++m) {
            range.cheapest[group.layers[m]] = group.choice_index[cheapest][m];
            range.dearest[group.layers[m]] = group.choice_index[dearest][m];
        }
    }
    // Totals summed the one canonical way, so a budget set to max_total admits the dearest assignment.
    range.min_total = totals_of(problem, range.cheapest)[metric];
    range.max_total = totals_of(problem, range.dearest)[metric];
    return range;
}

}  // namespace dyadic::ilp
