#include "ilp/svg_axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dyadic::ilp {

std::string xml_escape(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
            case '&': escaped += "&amp;"; break;
            case '<': escaped += "&lt;"; break;
            case '>': escaped += "&gt;"; break;
            case '"': escaped += "&quot;"; break;
            default: escaped += c;
        }
    }
    return escaped;
}

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

std::string coordinate(double value) { return format("%.2f", value); }

Interval padded(double low, double high) {
    double span = high - low;
    if (!(span > 0.0)) span = std::max(std::fabs(low), 1.0) * 0.1;
    return Interval{low - 0.05 * span, high + 0.05 * span};
}

std::vector<double> ticks(const Interval& interval) {
    const double raw_step = (interval.high - interval.low) / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
    const double normalised = raw_step / magnitude;
    const double step = (normalised < 1.5 ? 1.0 : normalised < 3.5 ? 2.0 : normalised < 7.5 ? 5.0 : 10.0) * magnitude;
    std::vector<double> positions;
    for (double tick = std::ceil(interval.low / step) * step; tick <= interval.high; tick += step) {
        positions.push_back(std::fabs(tick) < step * 1e-9 ? 0.0 : tick);
    }
    return positions;
}

}  // namespace dyadic::ilp
