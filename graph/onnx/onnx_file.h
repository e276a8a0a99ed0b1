#pragma once
// Reading ONNX protobuf files: whole models and single TensorProto files (the input_N.pb /
// output_N.pb of the ONNX backend test data).
#include <onnx/onnx_pb.h>

#include <string>

namespace dyadic::onnx_io {

// Throws dyadic::Error naming the file when it is missing, unreadable or not a valid message.
onnx::ModelProto load_model(const std::string& path);
onnx::TensorProto load_tensor(const std::string& path);

}  // namespace dyadic::onnx_io
