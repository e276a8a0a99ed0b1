#include "sim/storage_format.h"

#include <string>

#include "util/error.h"

namespace dyadic::sim {

int storage_bits(const IntType& type) {
    if (type.bits <= 4) return 4;
    if (type.bits <= 8) return 8;
    if (type.bits <= 16) return 16;
    require(type.bits == 32, "no storage format for " + type.name());
    return 32;
}

TensorPlacement place_tensor(int64_t base, int64_t n, int64_t c, int64_t h, int64_t w, const IntType& type) {
    TensorPlacement p;
    p.base = base;
    p.n = n;
    p.c = c;
    p.h = h;
    p.w = w;
    p.bits = storage_bits(type);
    p.type = type;
    return p;
}

void pack_elements(const int32_t* values, int64_t count, int bits, uint8_t* memory, int64_t bit_address) {
    if (bits == 4) {
        for (int64_t i = 0; i < count; ++i) {
            const int64_t bit = bit_address + i * 4;
            uint8_t& byte = memory[bit >> 3];
            const uint8_t nibble = static_cast<uint8_t>(values[i] & 0xF);
            byte = (bit & 4) ? static_cast<uint8_t>((byte & 0x0F) | (nibble << 4))
                             : static_cast<uint8_t>((byte & 0xF0) | nibble);
        }
        return;
    }
    // Wider elements always start on a byte boundary (rows are byte aligned).
    uint8_t* out = memory + (bit_address >> 3);
    const int bytes = bits / 8;
    for (int64_t i = 0; i < count; ++i) {
        const uint32_t v = static_cast<uint32_t>(values[i]);
        for (int b = 0; b < bytes; ++b) out[i * bytes + b] = static_cast<uint8_t>(v >> (8 * b));
    }
}

namespace {

template <typename T>
void unpack(const uint8_t* memory, int64_t bit_address, int64_t count, int bits, bool is_signed, T* out) {
    if (bits == 4) {
        for (int64_t i = 0; i < count; ++i) {
            const int64_t bit = bit_address + i * 4;
            const int raw = (memory[bit >> 3] >> (bit & 4)) & 0xF;
            out[i] = static_cast<T>(is_signed && raw >= 8 ? raw - 16 : raw);
        }
        return;
    }
    const uint8_t* in = memory + (bit_address >> 3);
    if (bits == 8) {
        if (is_signed) {
            for (int64_t i = 0; i < count; ++i) out[i] = static_cast<T>(static_cast<int8_t>(in[i]));
        } else {
            for (int64_t i = 0; i < count; ++i) out[i] = static_cast<T>(in[i]);
        }
        return;
    }
    if (bits == 16) {
        for (int64_t i = 0; i < count; ++i) {
            const uint16_t raw = static_cast<uint16_t>(in[2 * i] | (in[2 * i + 1] << 8));
            out[i] = is_signed ? static_cast<T>(static_cast<int16_t>(raw)) : static_cast<T>(raw);
        }
        return;
    }
    for (int64_t i = 0; i < count; ++i) {
        const uint32_t raw = static_cast<uint32_t>(in[4 * i]) | (static_cast<uint32_t>(in[4 * i + 1]) << 8) |
                             (static_cast<uint32_t>(in[4 * i + 2]) << 16) |
                             (static_cast<uint32_t>(in[4 * i + 3]) << 24);
        out[i] = static_cast<T>(static_cast<int32_t>(raw));
    }
}

}  // namespace

void unpack_elements(const uint8_t* memory, int64_t bit_address, int64_t count, int bits, bool is_signed,
                     int32_t* out) {
    unpack(memory, bit_address, count, bits, is_signed, out);
}

void unpack_elements(const uint8_t* memory, int64_t bit_address, int64_t count, int bits, bool is_signed,
                     int16_t* out) {
    unpack(memory, bit_address, count, bits, is_signed, out);
}

}  // namespace dyadic::sim
