#include "graph/dataset/idx_file.h"

#include <algorithm>
#include <cstdio>

#include "graph/dataset/gzip_reader.h"
#include "util/error.h"

namespace dyadic::dataset {

namespace {

uint32_t big_endian_u32(const uint8_t* bytes) {
    return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
           uint32_t{bytes[3]};
}

std::string hex32(uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(value));
    return text;
}

}  // namespace

IdxArray read_idx_ubyte(const std::string& path, int expected_rank) {
    require(expected_rank >= 1 && expected_rank <= 255, "IDX rank must be in 1..255");
    GzipReader reader(path);

    uint8_t magic_bytes[4];
    reader.read_exact(magic_bytes, 4, "the IDX magic number");
    const uint32_t magic = big_endian_u32(magic_bytes);
    const uint32_t expected_magic = 0x00000800u | static_cast<uint32_t>(expected_rank);
    require(magic == expected_magic, "'" + path + "' has bad IDX magic number " + hex32(magic) +
                                         ", expected " + hex32(expected_magic) + " (unsigned bytes, rank " +
                                         std::to_string(expected_rank) + ")");

    IdxArray array;
    uint64_t element_count = 1;
    for (int axis = 0; axis < expected_rank; ++axis) {
        uint8_t dim_bytes[4];
        reader.read_exact(dim_bytes, 4, "the IDX header (dimension " + std::to_string(axis) + ")");
        const uint32_t dim = big_endian_u32(dim_bytes);
        array.dims.push_back(dim);
        // Checked before multiplying so that the product can never overflow.
        constexpr uint64_t max_elements = uint64_t{1} << 40;
        require(dim == 0 || element_count <= max_elements / dim,
                "'" + path + "' declares an implausibly large IDX array (over 2^40 elements)");
        element_count *= dim;
    }

    // Grow the buffer as the data arrives rather than trusting the header with one huge allocation:
    // a corrupt header then fails as "truncated" instead of exhausting memory.
    constexpr uint64_t chunk = uint64_t{1} << 20;
    while (array.data.size() < element_count) {
        const std::size_t before = array.data.size();
        const std::size_t wanted = static_cast<std::size_t>(std::min<uint64_t>(chunk, element_count - before));
        array.data.resize(before + wanted);
        const std::size_t got = reader.read_some(array.data.data() + before, wanted);
        require(got == wanted, "'" + path + "' is truncated: the header declares " +
                                   std::to_string(element_count) + " data bytes, only " +
                                   std::to_string(before + got) + " present");
    }
    require(reader.at_end(), "'" + path + "' has trailing bytes after the " + std::to_string(element_count) +
                                 " data bytes its header declares");
    return array;
}

}  // namespace dyadic::dataset
