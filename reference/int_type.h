#pragma once
// The integer element types of dyadic tensors (docs/semantics.md, "Integer types").
// Header is C++17 so that the SystemC model (built as C++17) can include it.
#include <cstdint>
#include <string>

namespace dyadic {

// A b-bit two's-complement (signed) or plain binary (unsigned) integer type.
// Values are always stored widened to int32_t; the type fixes the legal range.
struct IntType {
    int bits = 8;          // 2..16 for weights/activations/residual streams, 32 for bias/accumulators
    bool is_signed = true;

    constexpr int64_t min() const { return is_signed ? -(int64_t{1} << (bits - 1)) : 0; }
    constexpr int64_t max() const {
        return is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
    }
    constexpr bool contains(int64_t v) const { return v >= min() && v <= max(); }
    constexpr bool operator==(const IntType& o) const { return bits == o.bits && is_signed == o.is_signed; }
    constexpr bool operator!=(const IntType& o) const { return !(*this == o); }

    static constexpr IntType int32() { return {32, true}; }
    static constexpr IntType signed_bits(int b) { return {b, true}; }
    static constexpr IntType unsigned_bits(int b) { return {b, false}; }

    // "int8", "uint4", "int32", ...
    std::string name() const { return (is_signed ? "int" : "uint") + std::to_string(bits); }
};

// Throws dyadic::Error unless the type is one the semantics allow:
// signed 2..16 or 32 bits, unsigned 2..16 bits (unsigned 32 does not fit the int32 storage).
void validate(const IntType& type);

}  // namespace dyadic
