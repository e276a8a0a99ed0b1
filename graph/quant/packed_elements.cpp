#include "graph/quant/packed_elements.h"

#include "util/error.h"

namespace dyadic::quant {
namespace {

int bytes_per_element(const IntType& type) { return type.bits <= 8 ? 1 : type.bits <= 16 ? 2 : 4; }

// Sign-extends the low `width` bits of `raw` for signed types; plain value otherwise.
int32_t decode(uint32_t raw, int width, bool is_signed) {
    if (!is_signed || width == 32) return static_cast<int32_t>(raw);
    const uint32_t sign = uint32_t{1} << (width - 1);
    return static_cast<int32_t>(static_cast<int64_t>(raw ^ sign) - static_cast<int64_t>(sign));
}

}  // namespace

uint64_t packed_size(uint64_t count, const IntType& type) {
    if (type.bits <= 4) return (count + 1) / 2;
    return count * static_cast<uint64_t>(bytes_per_element(type));
}

std::string pack_elements(const TensorStorage& values, const IntType& type) {
    std::string bytes(packed_size(values.size(), type), '\0');
    if (type.bits <= 4) {
        for (size_t i = 0; i < values.size(); ++i) {
            const auto nibble = static_cast<uint8_t>(static_cast<uint32_t>(values[i]) & 0xFu);
            bytes[i / 2] = static_cast<char>(static_cast<uint8_t>(bytes[i / 2]) | (i % 2 == 0 ? nibble : nibble << 4));
        }
        return bytes;
    }
    const int width = bytes_per_element(type);
    for (size_t i = 0; i < values.size(); ++i) {
        const auto v = static_cast<uint32_t>(values[i]);
        for (int b = 0; b < width; ++b) bytes[i * width + b] = static_cast<char>(static_cast<uint8_t>(v >> (8 * b)));
    }
    return bytes;
}

TensorStorage unpack_elements(const std::string& bytes, uint64_t count, const IntType& type) {
    require(bytes.size() == packed_size(count, type), "packed tensor data has the wrong size");
    TensorStorage values(count, 0);
    if (type.bits <= 4) {
        for (uint64_t i = 0; i < count; ++i) {
            const auto byte = static_cast<uint8_t>(bytes[i / 2]);
            values[i] = decode(i % 2 == 0 ? byte & 0xFu : byte >> 4, 4, type.is_signed);
        }
        require(count % 2 == 0 || (static_cast<uint8_t>(bytes.back()) >> 4) == 0,
                "packed tensor data: the padding nibble after the last element is not zero");
        return values;
    }
    const int width = bytes_per_element(type);
    for (uint64_t i = 0; i < count; ++i) {
        uint32_t raw = 0;
        for (int b = 0; b < width; ++b) raw |= uint32_t{static_cast<uint8_t>(bytes[i * width + b])} << (8 * b);
        values[i] = decode(raw, 8 * width, type.is_signed);
    }
    return values;
}

}  // namespace dyadic::quant
