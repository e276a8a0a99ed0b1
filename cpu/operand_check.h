#pragma once
// The reference's operand checks (validate, require_operand) as a yes/no answer at memory speed:
// one min/max pass instead of a per-element test with an early exit. The cpu ops run an operand
// only when the answer is yes; otherwise they hand the call to the reference, which throws its
// own message, so errors stay exactly the reference's.
#include <cstdint>

#include "reference/tensor.h"

namespace dyadic::cpu {

// Largest |element| of the data (0 when empty).
int64_t max_abs(const Tensor& tensor);

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
