#include "reference/ops/op_checks.h"

#include "util/error.h"

namespace dyadic {

void require_well_formed(const Dyadic& m, const std::string& what) {
    require(m.mantissa >= kMantissaMin && m.shift >= kMinShift && m.shift <= kMaxShift,
            what + " is malformed (b=" + std::to_string(m.mantissa) + ", c=" + std::to_string(m.shift) +
                "; need b in [2^30, 2^31) and c in [0, 62])");
}

void require_output_type(const IntType& type, const std::string& op_name) {
    validate(type);
    require(type.bits <= 16, op_name + ": output type " + type.name() + " is wider than 16 bits");
}

void require_operand(const Tensor& tensor, int max_bits, const std::string& what) {
    validate(tensor, what);
    require(tensor.type.bits <= max_bits,
            what + ": type " + tensor.type.name() + " is wider than " + std::to_string(max_bits) + " bits");
}

}  // namespace dyadic
