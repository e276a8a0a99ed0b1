#pragma once
// The reference's operand checks (validate, require_operand) as a yes/no answer at memory speed:
// one min/max pass instead of a per-element test with an early exit. The cpu ops run an operand
// only when the answer is yes; otherwise they hand the call to the reference, which throws its
// own message, so errors stay exactly the reference's. A pass that reads every element anyway
// (the conv engine's input encoding) may take the range there instead (valid_layout, then
// ValueRange::fits).
#include <algorithm>
#include <cstdint>
#include <limits>

#include "reference/tensor.h"

namespace dyadic::cpu {

// The smallest and largest of a set of values; empty (lo > hi) until one is added.
struct ValueRange {
    int32_t lo = std::numeric_limits<int32_t>::max();
    int32_t hi = std::numeric_limits<int32_t>::min();

    void add(const ValueRange& other) {
        lo = std::min(lo, other.lo);
        hi = std::max(hi, other.hi);
    }
    bool empty() const { return lo > hi; }
    // Every value lies in `type` (true when empty).
    bool fits(const IntType& type) const { return empty() || (type.contains(lo) && type.contains(hi)); }
    // Largest |value| (0 when empty).
    int64_t max_abs() const { return empty() ? 0 : std::max(-int64_t{lo}, int64_t{hi}); }
};

ValueRange value_range(const Tensor& tensor);

// Largest |element| of the data (0 when empty).
int64_t max_abs(const Tensor& tensor);

// Whether the type and the shape would pass validate(tensor) and (for max_bits)
// require_operand(tensor, max_bits); reads no element.
bool valid_layout(const Tensor& tensor, int max_bits = 32);

// Whether validate(tensor) and (for max_bits) require_operand(tensor, max_bits) would pass.
bool valid_operand(const Tensor& tensor, int max_bits = 32);

}  // namespace dyadic::cpu

#include "util/error.h"

namespace dyadic::cpu {

// Whether `checks` (calls of the reference's own checking functions) run without throwing Error.
template <typename Checks>
bool passes(const Checks& checks) {
    try {
        checks();
        return true;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace dyadic::cpu
