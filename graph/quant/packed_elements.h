#pragma once
// Tensor element packing in model files (docs/model-format.md, "Tensor data"): types of at most
// 4 bits go two per byte, low nibble first; 5..8 bits one byte; 9..16 bits two bytes; int32 four
// bytes; all little-endian two's complement for signed types.
#include <cstdint>
#include <string>
#include <vector>

#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::quant {

// Bytes that `count` elements of `type` occupy.
uint64_t packed_size(uint64_t count, const IntType& type);

// Elements must already lie in type's range.
std::string pack_elements(const TensorStorage& values, const IntType& type);

// Inverse of pack_elements; `bytes` must hold exactly packed_size(count, type) bytes. Throws Error
// when the unused high nibble after an odd count of <= 4-bit elements is not zero. The caller
// checks the range of the decoded values (a 3-bit type stored in a nibble can decode to 7).
TensorStorage unpack_elements(const std::string& bytes, uint64_t count, const IntType& type);

}  // namespace dyadic::quant
