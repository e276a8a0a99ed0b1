#pragma once
// How integer tensors are laid out in the accelerator's DRAM and scratchpads
// (docs/accelerator.md, "Memory layout"): elements of at most 4 bits are packed two per byte,
// 5..8 bits take a byte, 9..16 bits two bytes (little endian), int32 four bytes. Tensors are
// row-major 4-D [N, C, H, W] and every row (the W elements of one (n, c, h)) starts on a byte
// boundary, so a tile made of whole rows is written with whole bytes (no read-modify-write of a
// shared nibble). Reads may start in the middle of a byte; the reader skips the leading nibble.
#include <cstdint>
#include <vector>

#include "reference/int_type.h"

namespace dyadic::sim {

// 4, 8, 16 or 32: the storage width of one element of `type`.
int storage_bits(const IntType& type);

// Bytes of a row of `elements` elements of storage width `bits`.
inline int64_t row_bytes(int64_t elements, int bits) { return (elements * bits + 7) / 8; }

// A 4-D tensor placed at byte `base` in a memory.
struct TensorPlacement {
    int64_t base = 0;
    int64_t n = 1, c = 1, h = 1, w = 1;
    int bits = 8;  // storage bits
    IntType type;

    int64_t row_stride() const { return row_bytes(w, bits); }
    int64_t total_bytes() const { return n * c * h * row_stride(); }
    // Bit address of element (n, c, h, w) relative to the start of the memory.
    int64_t bit_address(int64_t in, int64_t ic, int64_t ih, int64_t iw) const {
        return (base + ((in * c + ic) * h + ih) * row_stride()) * 8 + iw * bits;
    }
};

TensorPlacement place_tensor(int64_t base, int64_t n, int64_t c, int64_t h, int64_t w, const IntType& type);

// Writes `count` elements (values in `type`'s range) at consecutive element positions starting at
// bit address `bit_address` of `memory`. Whole bytes of the written range are overwritten; a
// leading or trailing half byte keeps its other nibble.
void pack_elements(const int32_t* values, int64_t count, int bits, uint8_t* memory, int64_t bit_address);

// Reads `count` elements of storage width `bits` starting at `bit_address`, sign-extending when
// `is_signed`, into `out` (int16 or int32 element buffers).
void unpack_elements(const uint8_t* memory, int64_t bit_address, int64_t count, int bits, bool is_signed,
                     int32_t* out);
void unpack_elements(const uint8_t* memory, int64_t bit_address, int64_t count, int bits, bool is_signed,
                     int16_t* out);

}  // namespace dyadic::sim
