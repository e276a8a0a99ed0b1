#pragma once
// Hand-built IDX files for the dataset tests, written with zlib's own gzip writer into a fresh
// temporary directory that is removed when the fixture goes away.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dyadic::dataset::testing {

// Big-endian IDX bytes of unsigned-byte type: magic 0x0000080<rank>, dims, data.
std::vector<uint8_t> idx_bytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data);

class TemporaryDirectory {
public:
    TemporaryDirectory();
    ~TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // Writes `bytes` gzip-compressed to <dir>/<name>, returns the full path.
    std::string write_gzip(const std::string& name, const std::vector<uint8_t>& bytes) const;
    // Writes `bytes` as they are.
    std::string write_plain(const std::string& name, const std::vector<uint8_t>& bytes) const;

private:
    std::filesystem::path path_;
};

// Decompresses a whole gzip file with zlib's inflate (not gzread, which the reader under test uses).
std::vector<uint8_t> gunzip_file(const std::string& path);

}  // namespace dyadic::dataset::testing
