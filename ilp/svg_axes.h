#pragma once
// Small pieces every SVG plot of the project shares: XML escaping, number formatting, padded data
// intervals and round tick positions.
#include <string>
#include <vector>

namespace dyadic::ilp {

std::string xml_escape(const std::string& text);

// printf-style formatting of one number ("%.4g").
std::string format(const char* pattern, double value);

// A coordinate with two decimals.
std::string coordinate(double value);

// A data interval padded by 5% so markers do not sit on the frame; a zero-width interval (a single
// point) is widened around its value.
struct Interval {
    double low;
    double high;
};
Interval padded(double low, double high);

// Round tick positions: steps of 1, 2 or 5 times a power of ten, about five per axis.
std::vector<double> ticks(const Interval& interval);

}  // namespace dyadic::ilp
