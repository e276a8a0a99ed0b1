#include "reference/requantize.h"

#include <algorithm>
#include <limits>
#include <string>

#include "util/error.h"

namespace dyadic {

int64_t dyadic_scale(int64_t value, const Dyadic& multiplier) {
    // The no-overflow proof in docs/semantics.md needs |value| <= 2^31 and b < 2^31, c <= 62.
    // Plain ifs, not require(): this runs once per output element, and require() would build its
    // message string on every call.
    if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
        throw Error("requantize: value " + std::to_string(value) + " does not fit int32");
    }
    if (multiplier.mantissa < kMantissaMin || multiplier.shift < kMinShift || multiplier.shift > kMaxShift) {
        throw Error("requantize: malformed dyadic multiplier (b=" + std::to_string(multiplier.mantissa) +
                    ", c=" + std::to_string(multiplier.shift) + ")");
    }
    const int64_t product = value * int64_t{multiplier.mantissa};
    const int64_t rounding = multiplier.shift == 0 ? 0 : int64_t{1} << (multiplier.shift - 1);
    // C++20 defines >> on negative values as arithmetic (floor) shift.
    return (product + rounding) >> multiplier.shift;
}

ClampRange clamp_range(const IntType& output_type, bool relu) {
    return ClampRange{relu ? std::max<int64_t>(0, output_type.min()) : output_type.min(), output_type.max()};
}

int32_t requantize(int64_t acc, const Dyadic& multiplier, const ClampRange& range) {
    return static_cast<int32_t>(std::clamp(dyadic_scale(acc, multiplier), range.lo, range.hi));
}

void validate(const OutputStage& stage, int64_t channels, const char* op_name) {
    require(stage.multipliers.size() == 1 || static_cast<int64_t>(stage.multipliers.size()) == channels,
            std::string(op_name) + ": expected 1 or " + std::to_string(channels) + " output multipliers, got " +
                std::to_string(stage.multipliers.size()));
    validate(stage.output_type);
    require(stage.output_type.bits <= 16,
            std::string(op_name) + ": output type " + stage.output_type.name() + " is wider than 16 bits");
}

}  // namespace dyadic
