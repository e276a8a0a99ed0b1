#pragma once
// Converting ONNX TensorProto data (typed fields or raw_data) into dyadic values.
#include <onnx/onnx_pb.h>

#include <vector>

#include "reference/tensor.h"

namespace dyadic::onnx_io {

// The TensorProto's dims as a Shape.
Shape shape_of(const onnx::TensorProto& tensor);

// FLOAT (and DOUBLE) tensors as float32 values, row-major. Throws Error for other types or a
// size that does not match the dims.
std::vector<float> float_data(const onnx::TensorProto& tensor);

// INT64 tensors (shapes, axes) as int64 values.
std::vector<int64_t> int64_data(const onnx::TensorProto& tensor);

// INT8, UINT8, INT16, UINT16 and INT32 tensors as a dyadic integer Tensor of the same type
// (int8 -> IntType{8, signed}, uint8 -> {8, unsigned}, ...). Throws Error for other types.
Tensor integer_tensor(const onnx::TensorProto& tensor);

// "FLOAT", "INT8", ... for messages.
const char* data_type_name(int data_type);

}  // namespace dyadic::onnx_io
