#include "graph/onnx/onnx_tensor.h"

#include <cstring>
#include <string>

#include "util/checked.h"
#include "util/error.h"

namespace dyadic::onnx_io {
namespace {

// raw_data is little-endian; so is every machine we build on (x86-64, aarch64).
template <typename Stored>
std::vector<Stored> from_raw(const onnx::TensorProto& tensor, int64_t count) {
    const std::string& raw = tensor.raw_data();
    const int64_t bytes = checked_mul(count, int64_t{sizeof(Stored)}, "ONNX tensor '" + tensor.name() + "' byte size");
    require(static_cast<int64_t>(raw.size()) == bytes, "ONNX tensor '" + tensor.name() + "': raw_data holds " +
                                                           std::to_string(raw.size()) + " bytes, dims need " +
                                                           std::to_string(bytes));
    std::vector<Stored> values(static_cast<size_t>(count));
    if (count > 0) std::memcpy(values.data(), raw.data(), raw.size());
    return values;
}

void require_count(const onnx::TensorProto& tensor, int64_t expected, int64_t actual) {
    require(expected == actual, "ONNX tensor '" + tensor.name() + "' (" + data_type_name(tensor.data_type()) +
                                    "): dims need " + std::to_string(expected) + " values, found " +
                                    std::to_string(actual));
}

}  // namespace

const char* data_type_name(int data_type) {
    switch (data_type) {
        case onnx::TensorProto::FLOAT: return "FLOAT";
        case onnx::TensorProto::UINT8: return "UINT8";
        case onnx::TensorProto::INT8: return "INT8";
        case onnx::TensorProto::UINT16: return "UINT16";
        case onnx::TensorProto::INT16: return "INT16";
        case onnx::TensorProto::INT32: return "INT32";
        case onnx::TensorProto::INT64: return "INT64";
        case onnx::TensorProto::DOUBLE: return "DOUBLE";
        case onnx::TensorProto::FLOAT16: return "FLOAT16";
        case onnx::TensorProto::BOOL: return "BOOL";
        case onnx::TensorProto::STRING: return "STRING";
        default: return "unsupported data type";
    }
}

Shape shape_of(const onnx::TensorProto& tensor) { return Shape(tensor.dims().begin(), tensor.dims().end()); }

std::vector<float> float_data(const onnx::TensorProto& tensor) {
    const int64_t count = element_count(shape_of(tensor));
    if (tensor.data_type() == onnx::TensorProto::FLOAT) {
        if (tensor.has_raw_data()) return from_raw<float>(tensor, count);
        require_count(tensor, count, tensor.float_data_size());
        return std::vector<float>(tensor.float_data().begin(), tensor.float_data().end());
    }
    if (tensor.data_type() == onnx::TensorProto::DOUBLE) {
        std::vector<double> values;
        if (tensor.has_raw_data()) {
            values = from_raw<double>(tensor, count);
        } else {
            require_count(tensor, count, tensor.double_data_size());
            values.assign(tensor.double_data().begin(), tensor.double_data().end());
        }
        return std::vector<float>(values.begin(), values.end());
    }
    throw Error("ONNX tensor '" + tensor.name() + "' is " + data_type_name(tensor.data_type()) + ", expected FLOAT");
}

std::vector<int64_t> int64_data(const onnx::TensorProto& tensor) {
    require(tensor.data_type() == onnx::TensorProto::INT64,
            "ONNX tensor '" + tensor.name() + "' is " + data_type_name(tensor.data_type()) + ", expected INT64");
    const int64_t count = element_count(shape_of(tensor));
    if (tensor.has_raw_data()) return from_raw<int64_t>(tensor, count);
    require_count(tensor, count, tensor.int64_data_size());
    return std::vector<int64_t>(tensor.int64_data().begin(), tensor.int64_data().end());
}

Tensor integer_tensor(const onnx::TensorProto& tensor) {
    const Shape shape = shape_of(tensor);
    const int64_t count = element_count(shape);
    TensorStorage values;
    IntType type;
    // Typed (non-raw) storage keeps every integer type up to 32 bits in int32_data.
    auto widen = [&](auto stored_example, IntType t) {
        using Stored = decltype(stored_example);
        type = t;
        if (tensor.has_raw_data()) {
            const std::vector<Stored> raw = from_raw<Stored>(tensor, count);
            values.assign(raw.begin(), raw.end());
        } else {
            require_count(tensor, count, tensor.int32_data_size());
            values.assign(tensor.int32_data().begin(), tensor.int32_data().end());
        }
    };
    switch (tensor.data_type()) {
        case onnx::TensorProto::INT8: widen(int8_t{}, IntType::signed_bits(8)); break;
        case onnx::TensorProto::UINT8: widen(uint8_t{}, IntType::unsigned_bits(8)); break;
        case onnx::TensorProto::INT16: widen(int16_t{}, IntType::signed_bits(16)); break;
        case onnx::TensorProto::UINT16: widen(uint16_t{}, IntType::unsigned_bits(16)); break;
        case onnx::TensorProto::INT32: widen(int32_t{}, IntType::int32()); break;
        default:
            throw Error("ONNX tensor '" + tensor.name() + "' is " + data_type_name(tensor.data_type()) +
                        ", expected an integer type of at most 32 bits");
    }
    Tensor result(shape, type, std::move(values));  // validates every value against the type
    return result;
}

}  // namespace dyadic::onnx_io
