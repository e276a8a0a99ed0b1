#include "ilp/frontier_csv.h"

#include "ilp/number_text.h"

namespace dyadic::ilp {
namespace {

// RFC 4180 quoting, for metric names that carry commas or quotes.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

std::string frontier_to_csv(const Problem& problem, const Frontier& frontier) {
    std::string csv = csv_field(problem.metrics[frontier.metric] + "_budget") + ",status,objective";
    for (const auto& metric : problem.metrics) {
        csv += ',';
        csv += csv_field(metric);
    }
    csv += "\n";
    for (const auto& point : frontier.points) {
        csv += number_text(point.budget) + "," + point.status_name + ",";
        if (point.assignment) csv += number_text(point.objective);
        for (std::size_t m = 0; m < problem.metrics.size(); ++m) {
            csv += ",";
            if (point.assignment) csv += number_text(point.totals[m]);
        }
        csv += "\n";
    }
    return csv;
}

}  // namespace dyadic::ilp
