#pragma once
// Choosing the clipping range of a quantized tensor from calibration statistics
// (docs/quantization.md, "Calibration"): min/max, a percentile of |x|, or the clip that
// minimizes the mean squared quantization error (searched on a histogram of |x|).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "reference/int_type.h"

namespace dyadic::quant {

enum class CalibrationMethod {
    Auto,        // MinMax above 4 bits, Mse at 4 bits and below (where clipping pays most)
    MinMax,      // clip = max |x|
    Percentile,  // clip = the given percentile of |x|
    Mse,         // clip minimizing E[(x - Q(x))^2]
};

struct CalibrationOptions {
    CalibrationMethod method = CalibrationMethod::Auto;
    double percentile = 99.99;  // Percentile only, in (0, 100]
};

// "auto", "minmax", "percentile", "mse"; throws Error otherwise.
CalibrationMethod parse_calibration_method(const std::string& name);
const char* calibration_method_name(CalibrationMethod method);

// Counts of |x| in equal bins over [0, range]; values beyond range land in the last bin.
struct AbsHistogram {
    double range = 0.0;
    std::vector<double> counts;

    AbsHistogram() = default;
    AbsHistogram(double range_, int bins) : range(range_), counts(static_cast<size_t>(bins), 0.0) {}
    void add(const float* values, int64_t count);
    double total() const;
    double bin_width() const { return range / static_cast<double>(counts.size()); }
};

// What calibration records about one float tensor.
struct TensorStatistics {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    int64_t count = 0;
    AbsHistogram histogram;  // empty unless a histogram pass ran

    void add_range(const float* values, int64_t n);
    double abs_max() const;  // max(|min|, |max|), 0 when nothing was observed
};

// The largest integer magnitude a symmetric quantizer of `type` uses on the clipped side:
// 2^bits - 1 for unsigned types, 2^(bits-1) - 1 for signed ones.
int64_t quant_levels(const IntType& type);

// Smallest bin edge below which `percentile` percent of the histogram's mass lies.
double percentile_clip(const AbsHistogram& histogram, double percentile);

// The clip c in a grid over (0, range] minimizing the histogram's expected squared error
// of x -> min(round(x / s), levels) * s with s = c / levels.
double mse_clip(const AbsHistogram& histogram, int64_t levels);

// The clipping value for a tensor of `type`; never above `upper_bound` (a known bound such as
// ReLU6's 6), and 0 only for a tensor that was all zeros. Needs a histogram for Percentile, Mse
// and Auto at <= 4 bits.
double choose_clip(const TensorStatistics& stats, const IntType& type, const CalibrationOptions& options,
                   double upper_bound = std::numeric_limits<double>::infinity());

// Expected squared quantization error of the histogram's mass for clip `clip` (for tests and reports).
double histogram_mse(const AbsHistogram& histogram, double clip, int64_t levels);

}  // namespace dyadic::quant
