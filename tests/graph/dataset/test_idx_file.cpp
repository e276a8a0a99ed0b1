// The IDX reader against hand-built gzip files: round trip, and every malformation it must reject.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "graph/dataset/idx_file.h"
#include "idx_test_files.h"
#include "util/error.h"

using namespace dyadic;
using namespace dyadic::dataset;
using dyadic::dataset::testing::idx_bytes;
using dyadic::dataset::testing::TemporaryDirectory;
using Catch::Matchers::Contains;

TEST_CASE("IDX reader returns the dimensions and bytes that were written", "[dataset][idx]") {
    TemporaryDirectory dir;
    const std::vector<uint8_t> data = {0, 1, 2, 127, 128, 255, 9, 8, 7, 6, 5, 4};
    // Dimensions above 255 check that all four big-endian bytes are decoded.
    const std::string path = dir.write_gzip("a.gz", idx_bytes({2, 3, 2}, data));
    const IdxArray array = read_idx_ubyte(path, 3);
    CHECK(array.dims == std::vector<uint32_t>{2, 3, 2});
    CHECK(array.data == data);

    std::vector<uint8_t> long_vector(0x10203);
    for (std::size_t i = 0; i < long_vector.size(); ++i) long_vector[i] = static_cast<uint8_t>(i * 7 + 3);
    const IdxArray long_array = read_idx_ubyte(dir.write_gzip("b.gz", idx_bytes({0x10203}, long_vector)), 1);
    CHECK(long_array.dims == std::vector<uint32_t>{0x10203});
    CHECK(long_array.data == long_vector);
}

TEST_CASE("IDX reader also reads an uncompressed file", "[dataset][idx]") {
    TemporaryDirectory dir;
    const std::vector<uint8_t> data = {10, 20, 30};
    const IdxArray array = read_idx_ubyte(dir.write_plain("plain", idx_bytes({3}, data)), 1);
    CHECK(array.data == data);
}

TEST_CASE("IDX reader accepts an empty array", "[dataset][idx]") {
    TemporaryDirectory dir;
    const IdxArray array = read_idx_ubyte(dir.write_gzip("empty.gz", idx_bytes({0, 28, 28}, {})), 3);
    CHECK(array.dims == std::vector<uint32_t>{0, 28, 28});
    CHECK(array.data.empty());
}

TEST_CASE("IDX reader rejects a missing file, naming it", "[dataset][idx]") {
    TemporaryDirectory dir;
    const std::string path = (dir.path() / "does-not-exist.gz").string();
    CHECK_THROWS_WITH(read_idx_ubyte(path, 1), Contains("does-not-exist.gz") && Contains("cannot open"));
}

TEST_CASE("IDX reader rejects bad magic numbers", "[dataset][idx]") {
    TemporaryDirectory dir;
    // A label file (rank 1) where an image file (rank 3) is expected.
    const std::string labels = dir.write_gzip("labels.gz", idx_bytes({3}, {1, 2, 3}));
    CHECK_THROWS_WITH(read_idx_ubyte(labels, 3), Contains("bad IDX magic number 0x00000801") &&
                                                     Contains("expected 0x00000803"));
    // Element type 0x0D (float) instead of 0x08 (unsigned byte).
    std::vector<uint8_t> floats = idx_bytes({1}, {0, 0, 0, 0});
    floats[2] = 0x0D;
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_gzip("floats.gz", floats), 1), Contains("bad IDX magic number 0x00000d01"));
    // Non-zero leading bytes (e.g. a little-endian writer).
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_gzip("le.gz", {1, 8, 0, 0, 1, 0, 0, 0, 5}), 1),
                      Contains("bad IDX magic number"));
    // Not an IDX file at all: a text file.
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_plain("text", {'h', 'e', 'l', 'l', 'o'}), 1), Contains("bad IDX magic"));
}

TEST_CASE("IDX reader rejects truncated headers and data", "[dataset][idx]") {
    TemporaryDirectory dir;
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_gzip("empty-file.gz", {}), 1),
                      Contains("truncated") && Contains("magic"));
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_gzip("short-magic.gz", {0, 0, 8}), 1), Contains("truncated"));
    // Magic says rank 3 but only two dimensions follow.
    std::vector<uint8_t> short_header = idx_bytes({2, 2, 2}, {});
    short_header.resize(4 + 8 + 2);
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_gzip("short-header.gz", short_header), 3),
                      Contains("truncated") && Contains("dimension 2"));
    // Header declares 2x2x2 = 8 bytes, 7 present.
    const std::vector<uint8_t> seven(7, 1);
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_gzip("short-data.gz", idx_bytes({2, 2, 2}, seven)), 3),
                      Contains("truncated") && Contains("8 data bytes") && Contains("only 7"));
}

TEST_CASE("IDX reader rejects a header that declares more data than memory should hold", "[dataset][idx]") {
    TemporaryDirectory dir;
    // 2^32-1 cubed: must fail cleanly (no overflow, no giant allocation).
    const std::string path = dir.write_gzip("huge.gz", idx_bytes({0xffffffffu, 0xffffffffu, 0xffffffffu}, {1, 2}));
    CHECK_THROWS_WITH(read_idx_ubyte(path, 3), Contains("implausibly large"));
    // Large but plausible: 2^20 x 2^10 declared, 2 bytes present -> truncated, found without allocating 1 GiB.
    const std::string big = dir.write_gzip("big.gz", idx_bytes({1u << 20, 1u << 10}, {1, 2}));
    CHECK_THROWS_WITH(read_idx_ubyte(big, 2), Contains("truncated"));
}

TEST_CASE("IDX reader rejects trailing bytes", "[dataset][idx]") {
    TemporaryDirectory dir;
    const std::string path = dir.write_gzip("trailing.gz", idx_bytes({2}, {1, 2, 3}));
    CHECK_THROWS_WITH(read_idx_ubyte(path, 1), Contains("trailing bytes"));
}

TEST_CASE("IDX reader rejects a gzip stream cut short or corrupted", "[dataset][idx]") {
    TemporaryDirectory dir;
    std::vector<uint8_t> data(5000);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>((i * i) >> 3);
    const std::string good = dir.write_gzip("good.gz", idx_bytes({50, 10, 10}, data));
    REQUIRE(read_idx_ubyte(good, 3).data == data);

    std::ifstream in(good, std::ios::binary);
    std::vector<uint8_t> compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(compressed.size() > 40);

    // Cut the compressed file in half: the reader must not return a short array.
    const std::vector<uint8_t> half(compressed.begin(), compressed.begin() + compressed.size() / 2);
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_plain("half.gz", half), 3), Contains("truncated gzip data"));
    // Drop only the 8-byte gzip trailer (CRC and length): all data present but the stream is unfinished.
    const std::vector<uint8_t> no_trailer(compressed.begin(), compressed.end() - 8);
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_plain("no-trailer.gz", no_trailer), 3),
                      Contains("truncated gzip data"));
    // Flip bits in the middle of the deflate data.
    std::vector<uint8_t> corrupt = compressed;
    for (std::size_t i = 20; i < 30; ++i) corrupt[i] ^= 0xA5;
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_plain("corrupt.gz", corrupt), 3), Contains("corrupt gzip data"));
    // Data intact but the CRC in the trailer wrong: only the checksum reveals it.
    std::vector<uint8_t> bad_crc = compressed;
    bad_crc[compressed.size() - 8] ^= 0x01;
    CHECK_THROWS_WITH(read_idx_ubyte(dir.write_plain("bad-crc.gz", bad_crc), 3), Contains("corrupt gzip data"));
}

TEST_CASE("IDX reader rejects a directory", "[dataset][idx]") {
    TemporaryDirectory dir;
    CHECK_THROWS_WITH(read_idx_ubyte(dir.path().string(), 1), Contains("cannot"));
}
