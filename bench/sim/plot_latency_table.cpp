// Plots latency tables (docs/latency-table.md) as an SVG bar chart of cycles per layer, one bar
// colour per candidate precision, from one or more table files (their layers side by side).
//   plot_latency_table --out chart.svg table.json [more.json ...]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/atomic_file.h"

using namespace dyadic;

namespace {

struct Series {
    std::string title;
    std::vector<std::string> layers;
    std::vector<std::string> labels;                 // candidate labels, in file order
    std::vector<std::vector<double>> cycles;         // [layer][candidate]
};

Series read_table(const std::string& path) {
    std::ifstream in(path);
    require(static_cast<bool>(in), "cannot read " + path);
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": not valid JSON (" + e.what() + ")");
    }
    Series s;
    s.title = j.value("model", path);
    for (const auto& layer : j.at("layers")) {
        s.layers.push_back(layer.at("name").get<std::string>());
        std::vector<double> row;
        for (const auto& c : layer.at("candidates")) {
            const std::string label = c.at("bits").get<std::string>();
            if (std::find(s.labels.begin(), s.labels.end(), label) == s.labels.end()) s.labels.push_back(label);
            row.push_back(c.at("cycles").get<double>());
        }
        s.cycles.push_back(row);
    }
    return s;
}

std::string svg_chart(const std::vector<Series>& all) {
    const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
    const double bar = 5, gap = 3, left = 70, top = 40, plot_h = 260, label_h = 120, panel_gap = 40;
    double width = left + 20;
    for (const Series& s : all) width += static_cast<double>(s.layers.size()) * (bar * static_cast<double>(s.labels.size()) + gap) + panel_gap;
    const double height = top + plot_h + label_h + 30;
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"10\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    double x0 = left;
    for (const Series& s : all) {
        double max_cycles = 1;
        for (const auto& row : s.cycles) for (const double c : row) max_cycles = std::max(max_cycles, c);
        const double panel_w = static_cast<double>(s.layers.size()) * (bar * static_cast<double>(s.labels.size()) + gap);
        o << "<text x=\"" << x0 << "\" y=\"20\" font-size=\"13\">" << s.title << ": cycles per layer (max "
          << static_cast<long long>(max_cycles) << ")</text>\n";
        o << "<line x1=\"" << x0 << "\" y1=\"" << top + plot_h << "\" x2=\"" << x0 + panel_w << "\" y2=\"" << top + plot_h
          << "\" stroke=\"black\"/>\n";
        for (int t = 0; t <= 4; ++t) {
            const double y = top + plot_h - plot_h * t / 4.0;
            o << "<line x1=\"" << x0 - 4 << "\" y1=\"" << y << "\" x2=\"" << x0 + panel_w << "\" y2=\"" << y
              << "\" stroke=\"#ddd\"/>\n<text x=\"" << x0 - 6 << "\" y=\"" << y + 3 << "\" text-anchor=\"end\">"
              << static_cast<long long>(max_cycles * t / 4.0) << "</text>\n";
        }
        for (size_t l = 0; l < s.layers.size(); ++l) {
            const double lx = x0 + static_cast<double>(l) * (bar * static_cast<double>(s.labels.size()) + gap);
            for (size_t c = 0; c < s.cycles[l].size(); ++c) {
                const double h = plot_h * s.cycles[l][c] / max_cycles;
                o << "<rect x=\"" << lx + bar * static_cast<double>(c) << "\" y=\"" << top + plot_h - h << "\" width=\""
                  << bar << "\" height=\"" << h << "\" fill=\"" << colours[c % 5] << "\"><title>" << s.layers[l] << " "
                  << s.labels[c] << ": " << static_cast<long long>(s.cycles[l][c]) << " cycles</title></rect>\n";
            }
            o << "<text transform=\"translate(" << lx + 4 << "," << top + plot_h + 6 << ") rotate(90)\" font-size=\"7\">"
              << s.layers[l] << "</text>\n";
        }
        for (size_t c = 0; c < s.labels.size(); ++c) {
            o << "<rect x=\"" << x0 + panel_w - 60 << "\" y=\"" << top + 12 * static_cast<double>(c) << "\" width=\"10\" height=\"10\" fill=\""
              << colours[c % 5] << "\"/><text x=\"" << x0 + panel_w - 46 << "\" y=\"" << top + 9 + 12 * static_cast<double>(c)
              << "\">" << s.labels[c] << "</text>\n";
        }
        x0 += panel_w + panel_gap;
    }
    o << "</svg>\n";
    return o.str();
}

}  // namespace

int main(int argc, char** argv) {
    std::string out;
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--out" && i + 1 < argc) {
            out = argv[++i];
        } else {
            inputs.push_back(arg);
        }
    }
    if (out.empty() || inputs.empty()) {
        std::fprintf(stderr, "usage: plot_latency_table --out chart.svg table.json [more.json ...]\n");
        return 2;
    }
    try {
        std::vector<Series> all;
        for (const std::string& path : inputs) all.push_back(read_table(path));
        write_file_atomically(out, svg_chart(all));
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "plot_latency_table: %s\n", e.what());
        return 1;
    }
}
