#include "reference/dyadic.h"

#include <cmath>
#include <sstream>

#include "util/error.h"

namespace dyadic {

double Dyadic::value() const { return std::ldexp(static_cast<double>(mantissa), -shift); }

Dyadic to_dyadic(double ratio) {
    if (!std::isfinite(ratio) || ratio <= 0.0) {
        std::ostringstream message;
        message << "dyadic multiplier: ratio must be finite and positive, got " << ratio;
        throw Error(message.str());
    }
    int exponent = 0;
    const double fraction = std::frexp(ratio, &exponent);  // ratio = fraction * 2^exponent, fraction in [0.5, 1)
    // fraction * 2^31 is exact (a power-of-two scaling), so floor(x + 0.5) is exact round-half-up.
    int64_t mantissa = static_cast<int64_t>(std::floor(std::ldexp(fraction, 31) + 0.5));
    if (mantissa == (int64_t{1} << 31)) {  // rounding carried into a new binade
        mantissa = int64_t{1} << 30;
        exponent += 1;
    }
    const int shift = 31 - exponent;
    if (shift < kMinShift || shift > kMaxShift) {
        std::ostringstream message;
        message << "dyadic multiplier: ratio " << ratio << " needs shift " << shift << ", outside ["
                << kMinShift << ", " << kMaxShift << "] (representable ratios lie in about [2^-32, 2^31))";
        throw Error(message.str());
    }
    return Dyadic{static_cast<int32_t>(mantissa), shift};
}

}  // namespace dyadic
