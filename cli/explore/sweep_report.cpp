#include "cli/explore/sweep_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <utility>
#include <sstream>

#include "ilp/svg_axes.h"
#include "util/error.h"

namespace dyadic::cli::explore {
namespace {

using nlohmann::json;

json read_json(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    require(static_cast<bool>(file), "cannot open '" + path + "'");
    try {
        return json::parse(file);
    } catch (const json::parse_error& error) {
        throw Error(path + ": not valid JSON: " + error.what());
    }
}

double latency_of(const SweepRow& row) { return row.totals.value("latency", 0.0); }
double energy_of(const SweepRow& row) { return row.totals.value("energy", 0.0); }
double sensitivity_of(const SweepRow& row) { return row.sensitivity; }
bool has_energy(const SweepRow& row) { return row.feasible && row.totals.contains("energy"); }

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\" ") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string number(double value) {
    std::ostringstream text;
    text.precision(12);
    text << value;
    return text.str();
}

}  // namespace

std::vector<SweepRow> gather_rows(const SweepPlan& plan, const std::string& plan_directory) {
    std::vector<SweepRow> rows;
    std::string missing;
    for (std::size_t i = 0; i < plan.points.size(); ++i) {
        const std::string path = point_result_path(plan_directory, i);
        if (!std::filesystem::exists(path)) {
            if (!missing.empty()) missing += ", ";
            missing += std::to_string(i);
            continue;
        }
        const json result = read_json(path);
        require(result.contains("results") && result["results"].is_array(), path + ": no \"results\" list");
        require(result.contains("area") && result["area"].contains("total_um2") && result["area"]["total_um2"].is_number(),
                path + ": no \"area\" estimate (a result of an older dyadic? rerun the point)");
        const double area_um2 = result["area"]["total_um2"].get<double>();
        for (const json& entry : result["results"]) {
            SweepRow row;
            row.point = i;
            row.name = result.value("name", "");
            row.axes = plan.points[i].axes;
            row.area_um2 = area_um2;
            row.budget = entry.value("budget", "");
            row.status = entry.value("status", "");
            row.feasible = entry.contains("assignment");
            if (result.contains("layers"))
                for (const json& layer : result["layers"]) row.layers.push_back(layer.get<std::string>());
            if (row.feasible) {
                row.sensitivity = entry.at("objective").get<double>();
                row.totals = entry.at("totals");
                for (const json& label : entry.at("bits"))
                    row.bits.push_back(label.is_string() ? label.get<std::string>() : label.dump());
            }
            rows.push_back(std::move(row));
        }
    }
    require(missing.empty(), "the sweep lacks the results of points " + missing +
                                 " (see their logs under points/; rerun those jobs, then gather again)");
    mark_pareto(rows);
    mark_area_pareto(rows);
    return rows;
}

namespace {

// Sets `flag` on the feasible rows that no other feasible row of their comparison group (all
// rows, or those of the same budget set) dominates in (x, y): lower or equal in both, lower in one.
void mark_front(std::vector<SweepRow>& rows, bool SweepRow::*flag, double (*x)(const SweepRow&),
                double (*y)(const SweepRow&), bool per_budget) {
    for (SweepRow& row : rows) {
        row.*flag = row.feasible;
        for (const SweepRow& other : rows) {
            if (!(row.*flag)) break;
            if (!other.feasible || &other == &row || (per_budget && other.budget != row.budget)) continue;
            const bool no_worse = x(other) <= x(row) && y(other) <= y(row);
            const bool better = x(other) < x(row) || y(other) < y(row);
            if (no_worse && better) row.*flag = false;
        }
    }
}

}  // namespace

void mark_pareto(std::vector<SweepRow>& rows) {
    mark_front(rows, &SweepRow::pareto, latency_of, sensitivity_of, false);
    // Every point of a sweep has the same backend, so either every feasible row has energy or none.
    if (rows_have_energy(rows))
        mark_front(rows, &SweepRow::pareto_energy, energy_of, sensitivity_of, false);
    else
        for (SweepRow& row : rows) row.pareto_energy = false;
}

void mark_area_pareto(std::vector<SweepRow>& rows) {
    mark_front(rows, &SweepRow::area_pareto, latency_of, [](const SweepRow& row) { return row.area_um2; }, true);
}

bool rows_have_energy(const std::vector<SweepRow>& rows) { return std::any_of(rows.begin(), rows.end(), has_energy); }

std::string rows_to_json(const std::vector<SweepRow>& rows, const nlohmann::json& accuracy) {
    json list = json::array();
    for (const SweepRow& row : rows) {
        json axes = json::object();
        for (const auto& [axis, value] : row.axes) axes[axis] = value;
        json entry = {{"point", row.point}, {"name", row.name}, {"axes", axes}, {"area_mm2", row.area_um2 / 1e6},
                      {"budget", row.budget}, {"status", row.status}, {"pareto", row.pareto},
                      {"area_pareto", row.area_pareto}, {"pareto_energy", row.pareto_energy}};
        if (row.feasible) {
            entry["sensitivity"] = row.sensitivity;
            entry["totals"] = row.totals;
            entry["bits"] = row.bits;
        }
        if (row.integer_top1) {
            entry["integer_top1"] = *row.integer_top1;
            entry["accuracy_images"] = row.accuracy_images;
        }
        list.push_back(std::move(entry));
    }
    json doc = {{"format", "dyadic-explore-points"}, {"version", 1}, {"points", list}};
    if (!accuracy.is_null()) doc["accuracy"] = accuracy;
    return doc.dump(1) + "\n";
}

std::string rows_to_csv(const std::vector<SweepRow>& rows) {
    std::vector<std::string> metrics;
    for (const SweepRow& row : rows)
        if (row.feasible) {
            for (const auto& item : row.totals.items()) metrics.push_back(item.key());
            break;
        }
    std::string csv = "point,name";
    if (!rows.empty())
        for (const auto& [axis, value] : rows.front().axes) {
            csv += ',';
            csv += csv_field(axis);
        }
    csv += ",area_mm2,budget,status,sensitivity";
    for (const std::string& metric : metrics) csv += "," + metric;
    csv += ",pareto,area_pareto,pareto_energy,integer_top1,bits\n";
    for (const SweepRow& row : rows) {
        csv += std::to_string(row.point) + "," + csv_field(row.name);
        for (const auto& [axis, value] : row.axes) {
            csv += ',';
            csv += csv_field(value);
        }
        csv += ',' + number(row.area_um2 / 1e6) + ',';
        csv += csv_field(row.budget);
        csv += ',';
        csv += row.status;
        csv += ',';
        if (row.feasible) csv += number(row.sensitivity);
        for (const std::string& metric : metrics) {
            csv += ',';
            if (row.feasible) csv += number(row.totals.value(metric, 0.0));
        }
        std::string bits;
        for (const std::string& label : row.bits) {
            if (!bits.empty()) bits += ' ';
            bits += label;
        }
        csv += row.pareto ? ",1" : ",0";
        csv += row.area_pareto ? ",1" : ",0";
        csv += row.pareto_energy ? ",1," : ",0,";
        if (row.integer_top1) csv += number(*row.integer_top1);
        csv += ',';
        csv += csv_field(bits);
        csv += '\n';
    }
    return csv;
}

namespace {

// Rows with a value on the y axis against their cost on the x axis (latency, or energy); each
// series' front rows joined as a staircase. One series for the whole sweep, or one per budget set
// (own colour, a legend, and the front rows labelled with their configuration).
struct ScatterSpec {
    std::string title;
    std::string y_label;
    bool log_y = false;
    std::function<std::optional<double>(const SweepRow&)> y;
    bool SweepRow::*on_front = &SweepRow::pareto;
    bool per_budget = false;
    double (*x)(const SweepRow&) = latency_of;
    const char* x_label = "latency (cycles per image, sum over layers)";
};

constexpr const char* kSeriesColours[] = {"darkorange", "steelblue", "seagreen", "crimson", "purple", "goldenrod",
                                          "teal", "saddlebrown"};

std::string cost_scatter_svg(const std::vector<SweepRow>& rows, const ScatterSpec& spec) {
    using ilp::coordinate;
    std::vector<std::pair<const SweepRow*, double>> shown;  // row, y in plot units (log10 when log_y)
    for (const SweepRow& row : rows) {
        const bool has_x = spec.x != energy_of || has_energy(row);
        const std::optional<double> y = row.feasible && has_x ? spec.y(row) : std::nullopt;
        if (y && (!spec.log_y || *y > 0.0)) shown.emplace_back(&row, spec.log_y ? std::log10(*y) : *y);
    }
    // The series, in order of first appearance: one, or one per budget set (listed below the plot).
    std::vector<std::string> series;
    const auto series_of = [&](const SweepRow& row) {
        const std::string key = spec.per_budget ? row.budget : std::string();
        const auto at = std::find(series.begin(), series.end(), key);
        if (at != series.end()) return static_cast<std::size_t>(at - series.begin());
        series.push_back(key);
        return series.size() - 1;
    };
    for (const auto& entry : shown) series_of(*entry.first);
    const double legend_height = spec.per_budget ? 16.0 * static_cast<double>(series.size()) + 8 : 0.0;
    // Room above the plot for stacked labels (see below) and below it for the legend.
    const double top = 40 + (spec.per_budget && !series.empty() ? 11.0 * static_cast<double>(series.size() - 1) : 0.0);
    constexpr double width = 760, left = 90, right = 30;
    const double bottom = 70 + legend_height, height = top + 370 + bottom;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coordinate(width) + "\" height=\"" +
                      coordinate(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"" + coordinate(width / 2) +
                      "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + ilp::xml_escape(spec.title) + "</text>\n";
    if (shown.empty()) return svg + "<text x=\"50%\" y=\"50%\" text-anchor=\"middle\">no point to show</text>\n</svg>\n";
    double x_low = spec.x(*shown[0].first), x_high = x_low, y_low = shown[0].second, y_high = y_low;
    for (const auto& [row, y] : shown) {
        x_low = std::min(x_low, spec.x(*row));
        x_high = std::max(x_high, spec.x(*row));
        y_low = std::min(y_low, y);
        y_high = std::max(y_high, y);
    }
    const ilp::Interval xs = ilp::padded(x_low, x_high), ys = ilp::padded(y_low, y_high);
    const double plot_right = width - right, plot_bottom = height - bottom;
    const auto x_of = [&](double x) { return left + (x - xs.low) / (xs.high - xs.low) * (plot_right - left); };
    const auto y_of = [&](double y) { return plot_bottom - (y - ys.low) / (ys.high - ys.low) * (plot_bottom - top); };
    svg += "<g stroke=\"black\"><line x1=\"" + coordinate(left) + "\" y1=\"" + coordinate(plot_bottom) + "\" x2=\"" +
           coordinate(plot_right) + "\" y2=\"" + coordinate(plot_bottom) + "\"/><line x1=\"" + coordinate(left) +
           "\" y1=\"" + coordinate(top) + "\" x2=\"" + coordinate(left) + "\" y2=\"" + coordinate(plot_bottom) +
           "\"/></g>\n";
    for (const double tick : ilp::ticks(xs))
        svg += "<text x=\"" + coordinate(x_of(tick)) + "\" y=\"" + coordinate(plot_bottom + 18) +
               "\" text-anchor=\"middle\">" + ilp::format("%.4g", tick) + "</text>\n";
    for (const double tick : ilp::ticks(ys))
        svg += "<text x=\"" + coordinate(left - 8) + "\" y=\"" + coordinate(y_of(tick) + 4) +
               "\" text-anchor=\"end\">" + ilp::format("%.4g", spec.log_y ? std::pow(10.0, tick) : tick) + "</text>\n";
    svg += "<text x=\"" + coordinate((left + plot_right) / 2) + "\" y=\"" + coordinate(plot_bottom + 48) +
           "\" text-anchor=\"middle\">" + ilp::xml_escape(spec.x_label) + "</text>\n"
           "<text transform=\"translate(22," + coordinate((top + plot_bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + ilp::xml_escape(spec.y_label) + "</text>\n";
    const auto colour = [&](std::size_t s) { return std::string(kSeriesColours[s % std::size(kSeriesColours)]); };
    // Each series' front as a staircase through its front rows, by cost.
    for (std::size_t s = 0; s < series.size(); ++s) {
        std::vector<std::pair<const SweepRow*, double>> front;
        for (const auto& entry : shown)
            if (entry.first->*spec.on_front && series_of(*entry.first) == s) front.push_back(entry);
        std::sort(front.begin(), front.end(),
                  [&](const auto& a, const auto& b) { return spec.x(*a.first) < spec.x(*b.first); });
        if (front.empty()) continue;
        std::string path = "M" + coordinate(x_of(spec.x(*front[0].first))) + "," + coordinate(y_of(front[0].second));
        for (std::size_t i = 1; i < front.size(); ++i)
            path += " H" + coordinate(x_of(spec.x(*front[i].first))) + " V" + coordinate(y_of(front[i].second));
        svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + (spec.per_budget ? colour(s) : "steelblue") +
               "\" stroke-width=\"1.5\"/>\n";
    }
    for (const auto& [row, y] : shown) {
        const bool front = row->*spec.on_front;
        const std::string fill = front ? (spec.per_budget ? colour(series_of(*row)) : "darkorange") : "lightgray";
        svg += "<circle cx=\"" + coordinate(x_of(spec.x(*row))) + "\" cy=\"" + coordinate(y_of(y)) + "\" r=\"" +
               (front ? "4.5" : "3") + "\" fill=\"" + fill + "\" stroke=\"" +
               (spec.per_budget ? colour(series_of(*row)) : "black") + "\" stroke-width=\"" +
               (spec.per_budget ? "1" : "0.5") + "\"><title>" + ilp::xml_escape(row->name + ", " + row->budget) +
               "</title></circle>\n";
        // Labels of one configuration on several fronts stack by series instead of overprinting.
        // In the right quarter they end at the marker, so that they stay inside the picture.
        if (spec.per_budget && front) {
            const bool right_end = x_of(spec.x(*row)) > left + 0.75 * (plot_right - left);
            svg += "<text class=\"front-label\" x=\"" + coordinate(x_of(spec.x(*row)) + (right_end ? -6 : 6)) +
                   "\" y=\"" + coordinate(y_of(y) - 6 - 11.0 * static_cast<double>(series_of(*row))) +
                   "\" font-size=\"10\" fill=\"" + colour(series_of(*row)) + "\"" +
                   (right_end ? " text-anchor=\"end\"" : "") + ">" + ilp::xml_escape(row->name) + "</text>\n";
        }
    }
    if (spec.per_budget)
        for (std::size_t s = 0; s < series.size(); ++s) {
            const double y = plot_bottom + 66 + 16.0 * static_cast<double>(s);
            svg += "<circle cx=\"" + coordinate(left + 10) + "\" cy=\"" + coordinate(y) + "\" r=\"4.5\" fill=\"" +
                   colour(s) + "\"/><text x=\"" + coordinate(left + 20) + "\" y=\"" + coordinate(y + 4) +
                   "\">budget " + ilp::xml_escape(series[s]) + ": front joined, configurations named</text>\n";
        }
    return svg + "</svg>\n";
}

}  // namespace

std::string sensitivity_latency_svg(const std::vector<SweepRow>& rows) {
    return cost_scatter_svg(rows, {"Hardware and bits: total sensitivity vs latency (every configuration and budget)",
                                   "total sensitivity (log)", true,
                                   [](const SweepRow& row) { return std::optional<double>(row.sensitivity); }});
}

std::string accuracy_latency_svg(const std::vector<SweepRow>& rows) {
    return cost_scatter_svg(rows, {"Hardware and bits: integer-only top-1 vs latency (Pareto points)",
                                   "integer-only top-1", false, [](const SweepRow& row) {
                                       return row.pareto ? row.integer_top1 : std::nullopt;
                                   }});
}

std::string sensitivity_energy_svg(const std::vector<SweepRow>& rows) {
    return cost_scatter_svg(rows, {"Hardware and bits: total sensitivity vs energy (every configuration and budget)",
                                   "total sensitivity (log)", true,
                                   [](const SweepRow& row) { return std::optional<double>(row.sensitivity); },
                                   &SweepRow::pareto_energy, false, energy_of,
                                   "energy (pJ per image, sum over conv/FC layers)"});
}

std::string accuracy_energy_svg(const std::vector<SweepRow>& rows) {
    return cost_scatter_svg(rows, {"Hardware and bits: integer-only top-1 vs energy (Pareto points)",
                                   "integer-only top-1", false,
                                   [](const SweepRow& row) { return row.pareto_energy ? row.integer_top1 : std::nullopt; },
                                   &SweepRow::pareto_energy, false, energy_of,
                                   "energy (pJ per image, sum over conv/FC layers)"});
}

std::string area_latency_svg(const std::vector<SweepRow>& rows) {
    return cost_scatter_svg(rows, {"Hardware and bits: area vs latency (front per budget set)",
                                   "area (mm^2, estimate)", false,
                                   [](const SweepRow& row) { return std::optional<double>(row.area_um2 / 1e6); },
                                   &SweepRow::area_pareto, true});
}

}  // namespace dyadic::cli::explore
