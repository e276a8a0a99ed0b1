#pragma once
// Verilog $readmemh memory images of integer tensors, for RTL testbenches (docs/golden.md).
//
// Element images: one element per line, in row-major order, as lowercase hexadecimal with
// ceil(bits/4) digits holding the value's two's complement at the type's width (int4 -3 -> "d",
// int5 -3 -> "1d", uint16 63970 -> "f9e2", int32 -1 -> "ffffffff"). No address markers, no
// comments: line k is element k.
//
// Packed images, for types of at most 4 bits: the nibble stream of docs/semantics.md section 2
// (element 2i in the low nibble of byte i, element 2i+1 in the high nibble, each nibble the
// value's low 4 bits) read as little-endian 32-bit words, one word per line, 8 hex digits. So
// word k holds elements 8k .. 8k+7, element 8k+j in bits [4j+3 : 4j]; unused nibbles of the last
// word are 0. Header is C++17.
#include <cstdint>
#include <string>
#include <vector>

#include "reference/int_type.h"
#include "reference/tensor.h"

namespace dyadic::golden {

inline constexpr int kPackedWordBits = 32;

// Hex digits per element line: ceil(type.bits / 4).
int readmemh_digits(const IntType& type);

// Values must lie in type's range (throws Error otherwise).
std::string readmemh_text(const TensorStorage& values, const IntType& type);
// Types of at most 4 bits only (throws Error otherwise).
std::string readmemh_packed_text(const TensorStorage& values, const IntType& type);

// Inverses, strict: every line exactly the expected digits, values sign-extended for signed
// types; `source` names the text in error messages. parse_readmemh_packed needs the element
// count, since the last word may hold padding.
std::vector<int32_t> parse_readmemh(const std::string& text, const IntType& type, const std::string& source);
std::vector<int32_t> parse_readmemh_packed(const std::string& text, uint64_t count, const IntType& type,
                                           const std::string& source);

}  // namespace dyadic::golden
