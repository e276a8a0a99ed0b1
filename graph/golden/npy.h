#pragma once
// NumPy .npy files (format 1.0 and 2.0): the exchange format of golden vectors
// (docs/golden.md). Only what golden vectors need, and strictly: little-endian int8, uint8, int16,
// uint16, int32, int64 and float32 in C order. Everything else (big endian, Fortran order, other
// dtypes, a header that is not the Python dict literal NumPy writes, a size that does not match
// the shape) is a dyadic::Error naming the file and the problem, never a crash or a guess.
// Header is C++17.
#include <cstdint>
#include <string>
#include <vector>

#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::golden {

enum class NpyDtype { int8, uint8, int16, uint16, int32, int64, float32 };

// "int8", "uint16", "float32", ...: NumPy's dtype names.
const char* npy_dtype_name(NpyDtype dtype);
// The header's descr: "|i1", "|u1", "<i2", "<u2", "<i4", "<i8", "<f4".
const char* npy_descr(NpyDtype dtype);
int npy_item_size(NpyDtype dtype);

// The narrowest dtype that holds every value of the type exactly: intB/uintB with B <= 8 ->
// int8/uint8, B <= 16 -> int16/uint16, int32 -> int32.
NpyDtype npy_dtype_for(const IntType& type);

// An array as the file holds it: dtype, shape (C order; an empty shape is a scalar, one element)
// and the raw little-endian element bytes.
struct NpyArray {
    NpyDtype dtype = NpyDtype::int32;
    Shape shape;
    std::string data;  // element_count(shape) * npy_item_size(dtype) bytes
};

// Integer dtypes only. Throws Error when a value does not fit the dtype or the count does not
// match the shape.
NpyArray npy_from_integers(NpyDtype dtype, const Shape& shape, const std::vector<int64_t>& values);
NpyArray npy_from_floats(const Shape& shape, const std::vector<float>& values);
// The tensor's elements in npy_dtype_for(tensor.type), same shape.
NpyArray npy_from_tensor(const Tensor& tensor);

// The elements widened to int64 (integer dtypes; float32 is an Error naming `what`).
std::vector<int64_t> npy_integers(const NpyArray& array, const std::string& what);
// The elements of a float32 array (other dtypes are an Error naming `what`).
std::vector<float> npy_floats(const NpyArray& array, const std::string& what);
// A tensor of `type` with the array's shape; throws Error naming `what` when the dtype is float32
// or an element lies outside `type` (the dtype itself may be any integer dtype).
Tensor tensor_from_npy(const NpyArray& array, const IntType& type, const std::string& what);

// The complete file: magic, version (1.0, or 2.0 when the header needs more than 65535 bytes), a
// header padded with spaces to a multiple of 64 bytes and ending in '\n', then the data.
std::string encode_npy(const NpyArray& array);
// Parses file contents; `source` (usually the path) names them in error messages.
NpyArray decode_npy(const std::string& bytes, const std::string& source);

void write_npy(const std::string& path, const NpyArray& array);  // all-or-nothing (util/atomic_file.h)
NpyArray read_npy(const std::string& path);

}  // namespace dyadic::golden
