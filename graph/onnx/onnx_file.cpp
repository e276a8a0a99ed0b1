#include "graph/onnx/onnx_file.h"

#include <limits>

#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::onnx_io {
namespace {

template <typename Message>
Message parse(const std::string& path, const char* what) {
    const std::string bytes = read_file(path, std::string("ONNX ") + what + " file");
    require(bytes.size() < static_cast<size_t>(std::numeric_limits<int>::max()),
            std::string(what) + " file '" + path + "' is larger than protobuf can parse (2 GiB)");
    Message message;
    require(message.ParseFromString(bytes),
            std::string("'") + path + "' is not a valid ONNX " + what + " (truncated or corrupt protobuf)");
    return message;
}

}  // namespace

onnx::ModelProto load_model(const std::string& path) {
    onnx::ModelProto model = parse<onnx::ModelProto>(path, "model");
    require(model.has_graph(), "ONNX model '" + path + "' has no graph");
    return model;
}

onnx::TensorProto load_tensor(const std::string& path) { return parse<onnx::TensorProto>(path, "tensor"); }

}  // namespace dyadic::onnx_io
