#pragma once
// Applies an OutputStage to an int32 accumulator tensor whose axis 1 is the channel axis
// (conv2d: [N, C, H, W]; fully_connected: [N, C]).
#include "reference/requantize.h"
#include "reference/tensor.h"

namespace dyadic {

Tensor apply_output_stage(const Tensor& accumulator, const OutputStage& stage, const char* op_name);

// Throws Error naming `op_name` and the element when `value` does not fit int32.
void check_accumulator(int64_t value, const Shape& shape, int64_t flat_index, const char* op_name);

}  // namespace dyadic
