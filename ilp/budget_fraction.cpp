#include "ilp/budget_fraction.h"

#include <charconv>
#include <cmath>

#include "util/error.h"

namespace dyadic::ilp {

std::vector<BudgetFraction> parse_budget_fractions(const std::string& text) {
    std::vector<BudgetFraction> fractions;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const std::size_t equals = item.find('=');
        require(equals != std::string::npos && equals > 0 && equals + 1 < item.size(),
                "--frac expects metric=fraction[,metric=fraction...], got '" + text + "'");
        BudgetFraction fraction;
        fraction.metric = item.substr(0, equals);
        const std::string number = item.substr(equals + 1);
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), fraction.fraction);
        require(error == std::errc() && end == number.data() + number.size() && std::isfinite(fraction.fraction),
                "--frac: '" + number + "' is not a number (in '" + item + "')");
        require(fraction.fraction >= 0.0 && fraction.fraction <= 1.0,
                "--frac: fraction " + number + " for '" + fraction.metric + "' is outside [0, 1]");
        fractions.push_back(fraction);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return fractions;
}

double budget_at_fraction(const MetricRange& range, double fraction) {
    // (1 - t) * min + t * max rather than min + t * (max - min): the same value in exact arithmetic,
    // but it hits the endpoints exactly in double, so t = 1 never rounds the budget below the
    // dearest assignment's total.
    return (1.0 - fraction) * range.min_total + fraction * range.max_total;
}

void apply_budget_fractions(Problem& problem, const std::vector<BudgetFraction>& fractions) {
    for (const auto& fraction : fractions) {
        const std::size_t metric = resolve_metric(problem, fraction.metric);
        set_budget(problem, metric, budget_at_fraction(metric_range(problem, metric), fraction.fraction));
    }
}

}  // namespace dyadic::ilp
