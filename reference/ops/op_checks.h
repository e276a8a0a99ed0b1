#pragma once
// Argument checks shared by the op implementations, so that every op rejects bad input the same
// way and names itself in the message. Backends that take the same operands (sim/) use them too,
// so a bad operand is refused with the same words whichever backend runs the layer.
#include <string>

#include "reference/dyadic.h"
#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic {

// Throws Error naming `what` unless b in [2^30, 2^31) and c in [0, 62].
void require_well_formed(const Dyadic& multiplier, const std::string& what);

// Throws Error unless `type` is a valid dyadic type of at most 16 bits (outputs of rescaling ops).
void require_output_type(const IntType& type, const std::string& op_name);

// validate(tensor, what), plus a bound on the element width: the exact int64 accumulation of
// products of two 16-bit operands cannot overflow for any tensor that fits in memory.
void require_operand(const Tensor& tensor, int max_bits, const std::string& what);

}  // namespace dyadic
