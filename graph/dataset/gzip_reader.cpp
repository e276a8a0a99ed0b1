#include "graph/dataset/gzip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "util/error.h"

namespace dyadic::dataset {

namespace {
gzFile handle(void* file) { return static_cast<gzFile>(file); }
}  // namespace

GzipReader::GzipReader(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    // gzopen also fails on directories only at read time, so a directory is caught by read_some.
    require(file_ != nullptr, "cannot open '" + path + "' for reading");
}

GzipReader::~GzipReader() { gzclose(handle(file_)); }

std::size_t GzipReader::read_some(uint8_t* destination, std::size_t size) {
    std::size_t total = 0;
    while (total < size) {
        // gzread takes an unsigned count and returns int: read in chunks that fit both.
        const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - total, INT_MAX / 2));
        const int got = gzread(handle(file_), destination + total, chunk);
        if (got < 0) throw_stream_error();
        if (got == 0) break;
        total += static_cast<std::size_t>(got);
    }
    // A gzip stream cut short (no trailer) shows up only in gzerror, with gzread returning 0.
    if (total < size) {
        int code = Z_OK;
        gzerror(handle(file_), &code);
        if (code != Z_OK && code != Z_STREAM_END) throw_stream_error();
    }
    return total;
}

void GzipReader::throw_stream_error() const {
    int code = Z_OK;
    const char* zlib_message = gzerror(handle(file_), &code);
    std::string message = zlib_message ? zlib_message : "zlib error";
    // zlib prefixes its messages with the path, which ours already names.
    const std::string prefix = path_ + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
    if (code == Z_BUF_ERROR) message += " (truncated gzip data)";
    if (code == Z_DATA_ERROR) message += " (corrupt gzip data)";
    throw Error("cannot read '" + path_ + "': " + message);
}

void GzipReader::read_exact(uint8_t* destination, std::size_t size, const std::string& what) {
    const std::size_t got = read_some(destination, size);
    require(got == size, "'" + path_ + "' is truncated: " + what + " needs " + std::to_string(size) +
                             " bytes, only " + std::to_string(got) + " present");
}

bool GzipReader::at_end() {
    uint8_t byte = 0;
    return read_some(&byte, 1) == 0;
}

}  // namespace dyadic::dataset
