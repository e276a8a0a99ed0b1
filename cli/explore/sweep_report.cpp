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
        for (const json& entry : result["results"]) {
            SweepRow row;
            row.point = i;
            row.name = result.value("name", "");
            row.axes = plan.points[i].axes;
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
    return rows;
}

void mark_pareto(std::vector<SweepRow>& rows) {
    for (SweepRow& row : rows) {
        row.pareto = row.feasible;
        for (const SweepRow& other : rows) {
            if (!row.pareto) break;
            if (!other.feasible || &other == &row) continue;
            const bool no_worse = latency_of(other) <= latency_of(row) && other.sensitivity <= row.sensitivity;
            const bool better = latency_of(other) < latency_of(row) || other.sensitivity < row.sensitivity;
            if (no_worse && better) row.pareto = false;
        }
    }
}

std::string rows_to_json(const std::vector<SweepRow>& rows) {
    json list = json::array();
    for (const SweepRow& row : rows) {
        json axes = json::object();
        for (const auto& [axis, value] : row.axes) axes[axis] = value;
        json entry = {{"point", row.point}, {"name", row.name}, {"axes", axes}, {"budget", row.budget},
                      {"status", row.status}, {"pareto", row.pareto}};
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
    return json{{"format", "dyadic-explore-points"}, {"version", 1}, {"points", list}}.dump(1) + "\n";
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
    csv += ",budget,status,sensitivity";
    for (const std::string& metric : metrics) csv += "," + metric;
    csv += ",pareto,integer_top1,bits\n";
    for (const SweepRow& row : rows) {
        csv += std::to_string(row.point) + "," + csv_field(row.name);
        for (const auto& [axis, value] : row.axes) {
            csv += ',';
            csv += csv_field(value);
        }
        csv += ',';
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
        csv += row.pareto ? ",1," : ",0,";
        if (row.integer_top1) csv += number(*row.integer_top1);
        csv += ',';
        csv += csv_field(bits);
        csv += '\n';
    }
    return csv;
}

namespace {

// Rows with a value on the y axis against their latency; the Pareto rows joined as a staircase.
struct ScatterSpec {
    std::string title;
    std::string y_label;
    bool log_y = false;
    std::function<std::optional<double>(const SweepRow&)> y;
};

std::string latency_scatter_svg(const std::vector<SweepRow>& rows, const ScatterSpec& spec) {
    using ilp::coordinate;
    constexpr double width = 760, height = 480, left = 90, right = 30, top = 40, bottom = 70;
    std::vector<std::pair<const SweepRow*, double>> shown;  // row, y in plot units (log10 when log_y)
    for (const SweepRow& row : rows) {
        const std::optional<double> y = row.feasible ? spec.y(row) : std::nullopt;
        if (y && (!spec.log_y || *y > 0.0)) shown.emplace_back(&row, spec.log_y ? std::log10(*y) : *y);
    }
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coordinate(width) + "\" height=\"" +
                      coordinate(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"" + coordinate(width / 2) +
                      "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" + ilp::xml_escape(spec.title) + "</text>\n";
    if (shown.empty()) return svg + "<text x=\"50%\" y=\"50%\" text-anchor=\"middle\">no point to show</text>\n</svg>\n";
    double x_low = latency_of(*shown[0].first), x_high = x_low, y_low = shown[0].second, y_high = y_low;
    for (const auto& [row, y] : shown) {
        x_low = std::min(x_low, latency_of(*row));
        x_high = std::max(x_high, latency_of(*row));
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
    svg += "<text x=\"" + coordinate((left + plot_right) / 2) + "\" y=\"" + coordinate(height - 22) +
           "\" text-anchor=\"middle\">latency (cycles per image, sum over layers)</text>\n"
           "<text transform=\"translate(22," + coordinate((top + plot_bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + ilp::xml_escape(spec.y_label) + "</text>\n";
    // The front as a staircase through the Pareto rows, by latency.
    std::vector<std::pair<const SweepRow*, double>> front;
    for (const auto& entry : shown)
        if (entry.first->pareto) front.push_back(entry);
    std::sort(front.begin(), front.end(),
              [](const auto& a, const auto& b) { return latency_of(*a.first) < latency_of(*b.first); });
    if (!front.empty()) {
        std::string path = "M" + coordinate(x_of(latency_of(*front[0].first))) + "," + coordinate(y_of(front[0].second));
        for (std::size_t i = 1; i < front.size(); ++i)
            path += " H" + coordinate(x_of(latency_of(*front[i].first))) + " V" + coordinate(y_of(front[i].second));
        svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"steelblue\" stroke-width=\"1.5\"/>\n";
    }
    for (const auto& [row, y] : shown)
        svg += "<circle cx=\"" + coordinate(x_of(latency_of(*row))) + "\" cy=\"" + coordinate(y_of(y)) + "\" r=\"" +
               (row->pareto ? "4.5" : "3") + "\" fill=\"" + (row->pareto ? "darkorange" : "lightgray") +
               "\" stroke=\"black\" stroke-width=\"0.5\"><title>" + ilp::xml_escape(row->name + ", " + row->budget) +
               "</title></circle>\n";
    return svg + "</svg>\n";
}

}  // namespace

std::string sensitivity_latency_svg(const std::vector<SweepRow>& rows) {
    return latency_scatter_svg(rows, {"Hardware and bits: total sensitivity vs latency (every configuration and budget)",
                                      "total sensitivity (log)", true,
                                      [](const SweepRow& row) { return std::optional<double>(row.sensitivity); }});
}

std::string accuracy_latency_svg(const std::vector<SweepRow>& rows) {
    return latency_scatter_svg(rows, {"Hardware and bits: integer-only top-1 vs latency (Pareto points)",
                                      "integer-only top-1", false,
                                      [](const SweepRow& row) { return row.integer_top1; }});
}

}  // namespace dyadic::cli::explore
