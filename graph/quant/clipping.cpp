#include "graph/quant/clipping.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace dyadic::quant {
namespace {

constexpr int kMseCandidates = 400;

}  // namespace

CalibrationMethod parse_calibration_method(const std::string& name) {
    if (name == "auto") return CalibrationMethod::Auto;
    if (name == "minmax") return CalibrationMethod::MinMax;
    if (name == "percentile") return CalibrationMethod::Percentile;
    if (name == "mse") return CalibrationMethod::Mse;
    throw Error("unknown calibration method '" + name + "' (expected auto, minmax, percentile or mse)");
}

const char* calibration_method_name(CalibrationMethod method) {
    switch (method) {
        case CalibrationMethod::Auto: return "auto";
        case CalibrationMethod::MinMax: return "minmax";
        case CalibrationMethod::Percentile: return "percentile";
        case CalibrationMethod::Mse: return "mse";
    }
    return "?";
}

void AbsHistogram::add(const float* values, int64_t count) {
    if (counts.empty() || !(range > 0.0)) return;
    const double scale = static_cast<double>(counts.size()) / range;
    const auto last = static_cast<int64_t>(counts.size()) - 1;
    for (int64_t i = 0; i < count; ++i) {
        const auto bin = static_cast<int64_t>(std::fabs(static_cast<double>(values[i])) * scale);
        counts[static_cast<size_t>(std::min(bin, last))] += 1.0;
    }
}

double AbsHistogram::total() const {
    double sum = 0.0;
    for (const double c : counts) sum += c;
    return sum;
}

void TensorStatistics::add_range(const float* values, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const double v = values[i];
        min = std::min(min, v);
        max = std::max(max, v);
    }
    count += n;
}

double TensorStatistics::abs_max() const { return count == 0 ? 0.0 : std::max(std::fabs(min), std::fabs(max)); }

int64_t quant_levels(const IntType& type) {
    return type.is_signed ? (int64_t{1} << (type.bits - 1)) - 1 : (int64_t{1} << type.bits) - 1;
}

double percentile_clip(const AbsHistogram& histogram, double percentile) {
    require(percentile > 0.0 && percentile <= 100.0,
            "calibration: percentile must lie in (0, 100], got " + std::to_string(percentile));
    const double total = histogram.total();
    if (total <= 0.0) return 0.0;
    const double target = total * percentile / 100.0;
    double cumulative = 0.0;
    for (size_t j = 0; j < histogram.counts.size(); ++j) {
        cumulative += histogram.counts[j];
        if (cumulative >= target) return static_cast<double>(j + 1) * histogram.bin_width();
    }
    return histogram.range;
}

double histogram_mse(const AbsHistogram& histogram, double clip, int64_t levels) {
    const double step = clip / static_cast<double>(levels);
    const double width = histogram.bin_width();
    double error = 0.0;
    for (size_t j = 0; j < histogram.counts.size(); ++j) {
        if (histogram.counts[j] == 0.0) continue;
        const double x = (static_cast<double>(j) + 0.5) * width;  // bin centre stands for the bin
        const double q = std::min(std::round(x / step), static_cast<double>(levels)) * step;
        error += histogram.counts[j] * (x - q) * (x - q);
    }
    const double total = histogram.total();
    return total > 0.0 ? error / total : 0.0;
}

double mse_clip(const AbsHistogram& histogram, int64_t levels) {
    require(levels >= 1, "calibration: quantizer needs at least one level");
    if (histogram.total() <= 0.0 || !(histogram.range > 0.0)) return histogram.range;
    double best_clip = histogram.range;
    double best_error = histogram_mse(histogram, best_clip, levels);
    for (int k = 1; k < kMseCandidates; ++k) {
        const double clip = histogram.range * k / kMseCandidates;
        const double error = histogram_mse(histogram, clip, levels);
        if (error < best_error) {
            best_error = error;
            best_clip = clip;
        }
    }
    return best_clip;
}

double choose_clip(const TensorStatistics& stats, const IntType& type, const CalibrationOptions& options,
                   double upper_bound) {
    // Unsigned tensors are non-negative: their clip is on max; signed ones are symmetric.
    double clip = type.is_signed ? stats.abs_max() : std::max(stats.max, 0.0);
    CalibrationMethod method = options.method;
    if (method == CalibrationMethod::Auto) method = type.bits <= 4 ? CalibrationMethod::Mse : CalibrationMethod::MinMax;
    if (method != CalibrationMethod::MinMax && clip > 0.0) {
        require(!stats.histogram.counts.empty(),
                std::string("calibration: the ") + calibration_method_name(method) + " method needs a histogram");
        const double searched = method == CalibrationMethod::Mse ? mse_clip(stats.histogram, quant_levels(type))
                                                                 : percentile_clip(stats.histogram, options.percentile);
        clip = std::min(clip, searched);
    }
    return std::min(clip, upper_bound);
}

}  // namespace dyadic::quant
