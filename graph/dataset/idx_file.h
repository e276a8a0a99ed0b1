#pragma once
// IDX files (the MNIST / Fashion-MNIST container): a big-endian header
//   0x00 0x00 <type> <rank>, then `rank` big-endian uint32 dimensions,
// then the row-major elements. Only element type 0x08 (unsigned byte) is supported: it is the
// only type the MNIST family uses.
#include <cstdint>
#include <string>
#include <vector>

namespace dyadic::dataset {

struct IdxArray {
    std::vector<uint32_t> dims;
    std::vector<uint8_t> data;  // row-major, product(dims) bytes
};

// Reads a gzip-compressed (or plain) IDX file of unsigned bytes with exactly `expected_rank`
// dimensions. Throws dyadic::Error naming the file for: a missing/unreadable file, a bad magic
// number (wrong type or rank), a truncated header or body, corrupt gzip data and trailing bytes.
IdxArray read_idx_ubyte(const std::string& path, int expected_rank);

}  // namespace dyadic::dataset
