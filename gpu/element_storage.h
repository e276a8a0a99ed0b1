#pragma once
// How the GPU backend stores tensor elements in memory (docs/semantics.md, section 2): types of at
// most 4 bits two per byte (element 2i in the low nibble, 2i+1 in the high nibble, each nibble
// the value's low 4 bits), 5..8 bits one byte, 9..16 bits two bytes, int32 four bytes, all
// little-endian two's complement. Element order is whatever the caller indexes (NHWC here).
//
// Every buffer is addressed through 32-bit words so that a packed 4-bit store can be an atomic
// OR into its word: a buffer of `count` elements occupies storage_words(count, format) words.
#include <cstdint>

#include "gpu/host_device.h"

namespace dyadic::gpu {

// The container of one element and whether the value it holds is signed.
struct StorageFormat {
    int bits = 8;  // 4, 8, 16 or 32
    bool is_signed = true;
};

// The container for a type of `type_bits` bits (2..16 or 32).
DYADIC_HD int storage_bits_for(int type_bits) {
    return type_bits <= 4 ? 4 : type_bits <= 8 ? 8 : type_bits <= 16 ? 16 : 32;
}

DYADIC_HD int64_t storage_words(int64_t count, StorageFormat format) {
    const int64_t bits = count * format.bits;
    return (bits + 31) / 32;
}

// Sign- or zero-extends the low `bits` bits of `raw`.
DYADIC_HD int32_t extend(uint32_t raw, int bits, bool is_signed) {
    const uint32_t mask = bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1u;
    raw &= mask;
    if (is_signed && bits < 32 && (raw >> (bits - 1)) != 0) raw |= ~mask;
    return static_cast<int32_t>(raw);
}

// Element `index` of a buffer in `format`.
DYADIC_HD int32_t load_element(const uint32_t* words, int64_t index, StorageFormat format) {
    const int64_t bit = index * format.bits;
    const uint32_t word = words[bit >> 5];
    return extend(word >> (bit & 31), format.bits, format.is_signed);
}

// Writes `value` (already in range) as element `index`. The buffer must be zero where 4-bit
// elements are written (they are ORed in); wider containers are plain stores of whole bytes,
// halves or words, which never touch a neighbour's bits.
DYADIC_HD void store_element(uint32_t* words, int64_t index, StorageFormat format, int32_t value) {
    const int64_t bit = index * format.bits;
    switch (format.bits) {
        case 4:
            or_into_word(&words[bit >> 5], (static_cast<uint32_t>(value) & 0xFu) << (bit & 31));
            break;
        case 8:
            reinterpret_cast<uint8_t*>(words)[bit >> 3] = static_cast<uint8_t>(value);
            break;
        case 16: {
            // Two byte stores rather than a 16-bit one: byte access is alias-safe in host C++.
            uint8_t* bytes = reinterpret_cast<uint8_t*>(words) + (bit >> 3);
            bytes[0] = static_cast<uint8_t>(value);
            bytes[1] = static_cast<uint8_t>(static_cast<uint32_t>(value) >> 8);
            break;
        }
        default:
            words[bit >> 5] = static_cast<uint32_t>(value);
            break;
    }
}

}  // namespace dyadic::gpu
