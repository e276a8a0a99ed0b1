#include "reference/ops/quantize_input.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "util/error.h"
#include "reference/ops/op_checks.h"

namespace dyadic {

namespace {

// Round half to even, written out rather than relying on the floating-point environment's
// current rounding mode (std::nearbyint would). v - floor(v) is exact in double.
double round_half_even(double v) {
    const double lower = std::floor(v);
    const double fraction = v - lower;
    if (fraction > 0.5) return lower + 1.0;
    if (fraction < 0.5) return lower;
    return std::fmod(lower, 2.0) == 0.0 ? lower : lower + 1.0;
}

}  // namespace

Tensor quantize_input(const std::vector<float>& values, const Shape& shape, double scale, IntType type) {
    require(std::isfinite(scale) && scale > 0.0,
            "quantize_input: scale must be finite and positive, got " + std::to_string(scale));
    require_output_type(type, "quantize_input");
    const int64_t count = element_count(shape);
    require(static_cast<int64_t>(values.size()) == count,
            "quantize_input: shape " + to_string(shape) + " holds " + std::to_string(count) + " elements but " +
                std::to_string(values.size()) + " values were given");
    const double lo = static_cast<double>(type.min()), hi = static_cast<double>(type.max());
    Tensor output(shape, type);
    output.scales = {scale};
    for (size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i])) {
            std::ostringstream message;
            message << "quantize_input: value " << values[i] << " at " << to_string(unravel_index(static_cast<int64_t>(i), shape))
                    << " is not finite";
            throw Error(message.str());
        }
        // The quotient may overflow to +-inf for tiny scales; clamping in double handles that too.
        const double q = std::clamp(round_half_even(static_cast<double>(values[i]) / scale), lo, hi);
        output.data[i] = static_cast<int32_t>(q);
    }
    return output;
}

}  // namespace dyadic
