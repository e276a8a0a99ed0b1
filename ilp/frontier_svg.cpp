#include "ilp/frontier_svg.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "ilp/svg_axes.h"

namespace dyadic::ilp {
namespace {

constexpr double kWidth = 720.0;
constexpr double kHeight = 460.0;
constexpr double kLeft = 90.0;
constexpr double kRight = 30.0;
constexpr double kTop = 40.0;
constexpr double kBottom = 70.0;

}  // namespace

std::string frontier_to_svg(const Problem& problem, const Frontier& frontier) {
    const std::string metric = xml_escape(problem.metrics[frontier.metric]);
    const std::vector<TradeOff> points = distinct_trade_offs(frontier);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coordinate(kWidth) + "\" height=\"" +
                      coordinate(kHeight) + "\" viewBox=\"0 0 " + coordinate(kWidth) + " " + coordinate(kHeight) +
                      "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    svg += "<text x=\"" + coordinate(kWidth / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" +
           "Bit allocation: total sensitivity vs " + metric + "</text>\n";
    const double plot_right = kWidth - kRight;
    const double plot_bottom = kHeight - kBottom;
    if (points.empty()) {
        svg += "<text x=\"" + coordinate(kWidth / 2) + "\" y=\"" + coordinate(kHeight / 2) +
               "\" text-anchor=\"middle\">no budget in the sweep is feasible</text>\n</svg>\n";
        return svg;
    }
    const auto [min_cost, max_cost] = std::minmax_element(
        points.begin(), points.end(), [](const TradeOff& a, const TradeOff& b) { return a.cost < b.cost; });
    const auto [min_objective, max_objective] = std::minmax_element(
        points.begin(), points.end(), [](const TradeOff& a, const TradeOff& b) { return a.objective < b.objective; });
    const Interval x_range = padded(min_cost->cost, max_cost->cost);
    const Interval y_range = padded(min_objective->objective, max_objective->objective);
    auto x_of = [&](double cost) {
        return kLeft + (cost - x_range.low) / (x_range.high - x_range.low) * (plot_right - kLeft);
    };
    auto y_of = [&](double objective) {
        return plot_bottom - (objective - y_range.low) / (y_range.high - y_range.low) * (plot_bottom - kTop);
    };

    // Axes and ticks.
    svg += "<g stroke=\"black\" stroke-width=\"1\">\n";
    svg += "<line x1=\"" + coordinate(kLeft) + "\" y1=\"" + coordinate(plot_bottom) + "\" x2=\"" +
           coordinate(plot_right) + "\" y2=\"" + coordinate(plot_bottom) + "\"/>\n";
    svg += "<line x1=\"" + coordinate(kLeft) + "\" y1=\"" + coordinate(kTop) + "\" x2=\"" + coordinate(kLeft) +
           "\" y2=\"" + coordinate(plot_bottom) + "\"/>\n";
    std::string labels;
    for (double tick : ticks(x_range)) {
        const std::string x = coordinate(x_of(tick));
        svg += "<line x1=\"" + x + "\" y1=\"" + coordinate(plot_bottom) + "\" x2=\"" + x + "\" y2=\"" +
               coordinate(plot_bottom + 5) + "\"/>\n";
        labels += "<text x=\"" + x + "\" y=\"" + coordinate(plot_bottom + 19) + "\" text-anchor=\"middle\">" +
                  format("%.4g", tick) + "</text>\n";
    }
    for (double tick : ticks(y_range)) {
        const std::string y = coordinate(y_of(tick));
        svg += "<line x1=\"" + coordinate(kLeft - 5) + "\" y1=\"" + y + "\" x2=\"" + coordinate(kLeft) + "\" y2=\"" +
               y + "\"/>\n";
        labels += "<text x=\"" + coordinate(kLeft - 8) + "\" y=\"" + coordinate(y_of(tick) + 4) +
                  "\" text-anchor=\"end\">" + format("%.4g", tick) + "</text>\n";
    }
    svg += "</g>\n" + labels;
    svg += "<text x=\"" + coordinate((kLeft + plot_right) / 2) + "\" y=\"" + coordinate(kHeight - 20) +
           "\" text-anchor=\"middle\">" + metric + " (achieved total)</text>\n";
    svg += "<text transform=\"translate(22," + coordinate((kTop + plot_bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">total sensitivity</text>\n";

    // The staircase: the objective holds until the next cheaper-objective trade-off becomes affordable.
    std::string path = "M";
    path += coordinate(x_of(points.front().cost)) + "," + coordinate(y_of(points.front().objective));
    for (std::size_t i = 1; i < points.size(); ++i) {
        path += " H" + coordinate(x_of(points[i].cost)) + " V" + coordinate(y_of(points[i].objective));
    }
    svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"steelblue\" stroke-width=\"1.5\"/>\n";
    svg += "<g fill=\"darkorange\" stroke=\"black\" stroke-width=\"0.5\">\n";
    for (const auto& point : points) {
        svg += "<circle cx=\"" + coordinate(x_of(point.cost)) + "\" cy=\"" + coordinate(y_of(point.objective)) +
               "\" r=\"3.5\"><title>" + metric + " " + format("%.6g", point.cost) + ", sensitivity " +
               format("%.6g", point.objective) + "</title></circle>\n";
    }
    svg += "</g>\n</svg>\n";
    return svg;
}

}  // namespace dyadic::ilp
