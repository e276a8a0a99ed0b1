#include "idx_test_files.h"

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

namespace dyadic::dataset::testing {

std::vector<uint8_t> idx_bytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> bytes = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
    for (uint32_t dim : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(dim >> shift));
    }
    bytes.insert(bytes.end(), data.begin(), data.end());
    return bytes;
}

TemporaryDirectory::TemporaryDirectory() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("dyadic-dataset-test-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TemporaryDirectory::write_gzip(const std::string& name, const std::vector<uint8_t>& bytes) const {
    const std::string file = (path_ / name).string();
    gzFile out = gzopen(file.c_str(), "wb");
    if (out == nullptr) throw std::runtime_error("test setup: cannot create " + file);
    const int written = bytes.empty() ? 0 : gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
    const int closed = gzclose(out);
    if (written != static_cast<int>(bytes.size()) || closed != Z_OK)
        throw std::runtime_error("test setup: cannot write " + file);
    return file;
}

std::string TemporaryDirectory::write_plain(const std::string& name, const std::vector<uint8_t>& bytes) const {
    const std::string file = (path_ / name).string();
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("test setup: cannot write " + file);
    return file;
}

std::vector<uint8_t> gunzip_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (compressed.empty()) throw std::runtime_error("test setup: cannot read " + path);

    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip header and trailer.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("inflateInit2 failed");
    stream.next_in = compressed.data();
    stream.avail_in = static_cast<uInt>(compressed.size());
    std::vector<uint8_t> out;
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        uint8_t buffer[1 << 16];
        stream.next_out = buffer;
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            inflateEnd(&stream);
            throw std::runtime_error("test setup: inflate failed on " + path);
        }
        out.insert(out.end(), buffer, buffer + (sizeof buffer - stream.avail_out));
    }
    inflateEnd(&stream);
    return out;
}

}  // namespace dyadic::dataset::testing
