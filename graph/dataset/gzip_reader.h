#pragma once
// Owns one zlib gzFile opened for reading. zlib reads plain (uncompressed) files transparently,
// so the IDX reader accepts both "foo-ubyte.gz" and a decompressed "foo-ubyte".
// Header is C++17 so that the SystemC model can include it.
#include <cstddef>
#include <cstdint>
#include <string>

namespace dyadic::dataset {

class GzipReader {
public:
    // Throws dyadic::Error naming the path when the file cannot be opened.
    explicit GzipReader(const std::string& path);
    ~GzipReader();
    GzipReader(const GzipReader&) = delete;
    GzipReader& operator=(const GzipReader&) = delete;

    // Reads up to `size` bytes; returns how many were read (less than `size` only at end of data).
    // Throws dyadic::Error when the compressed stream is corrupt.
    std::size_t read_some(uint8_t* destination, std::size_t size);

    // Reads exactly `size` bytes or throws dyadic::Error saying that `what` is truncated.
    void read_exact(uint8_t* destination, std::size_t size, const std::string& what);

    // True when no byte is left (consumes at most one byte to find out).
    bool at_end();

    const std::string& path() const { return path_; }

private:
    [[noreturn]] void throw_stream_error() const;

    std::string path_;
    // zlib's opaque handle (gzFile is a pointer to struct gzFile_s); kept as void* so that
    // this header does not pull zlib.h into every includer.
    void* file_;
};

}  // namespace dyadic::dataset
