// The storage format: packing and unpacking round-trip every value of every width, nibbles go low
// first, rows start on byte boundaries, and a tile's bursts cover exactly its elements' bytes.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "sim/storage_format.h"
#include "sim/tile_layout.h"
#include "sim_test_support.h"

using namespace dyadic;
using namespace dyadic::sim;

TEST_CASE("packed elements round-trip for every width and signedness", "[sim][storage]") {
    std::mt19937 rng(51);
    for (const IntType type : {IntType::signed_bits(2), IntType::unsigned_bits(3), IntType::signed_bits(4),
                               IntType::unsigned_bits(4), IntType::signed_bits(6), IntType::unsigned_bits(8),
                               IntType::signed_bits(8), IntType::signed_bits(16), IntType::unsigned_bits(16),
                               IntType::int32()}) {
        const Tensor t = simtest::random_tensor({101}, type, rng);
        const int bits = storage_bits(type);
        for (int64_t offset_bits : {int64_t{0}, int64_t{bits == 4 ? 4 : 8}}) {
            std::vector<uint8_t> memory(static_cast<size_t>(row_bytes(101, bits) + 2), 0xA5);
            pack_elements(t.data.data(), 101, bits, memory.data(), offset_bits);
            std::vector<int32_t> back(101);
            unpack_elements(memory.data(), offset_bits, 101, bits, type.is_signed, back.data());
            INFO(type.name() << " at bit " << offset_bits);
            CHECK(back == t.data);
        }
    }
}

TEST_CASE("4-bit elements pack two per byte, low nibble first", "[sim][storage]") {
    std::vector<uint8_t> memory(2, 0);
    const int32_t values[] = {1, -1, 7};
    pack_elements(values, 3, 4, memory.data(), 0);
    CHECK(memory[0] == 0xF1);
    CHECK(memory[1] == 0x07);
    // Writing the high nibble of byte 1 keeps its low nibble.
    const int32_t eight = -8;
    pack_elements(&eight, 1, 4, memory.data(), 12);
    CHECK(memory[1] == 0x87);
    CHECK(storage_bits(IntType::unsigned_bits(2)) == 4);
    CHECK(storage_bits(IntType::signed_bits(5)) == 8);
    CHECK(storage_bits(IntType::signed_bits(9)) == 16);
}

TEST_CASE("tile bursts cover the tile's rows and columns", "[sim][storage]") {
    // A [2, 3, 5, 7] int4 tensor: rows of 7 nibbles take 4 bytes.
    const TensorPlacement t = place_tensor(100, 2, 3, 5, 7, IntType::signed_bits(4));
    CHECK(t.row_stride() == 4);
    CHECK(t.total_bytes() == 2 * 3 * 5 * 4);
    // Whole rows 1..3 of channels 1 and 2 of image 1: one run (the channels are adjacent? no:
    // rows 4 and 0 lie between them), so two runs of 3 rows.
    const TileLayout whole = build_tile_layout(t, {SegmentSpec{1, 1, {1, 4}, {0, 7}}, SegmentSpec{1, 2, {1, 4}, {0, 7}}});
    REQUIRE(whole.bursts.size() == 2);
    CHECK(whole.bursts[0].dram_byte == 100 + ((1 * 3 + 1) * 5 + 1) * 4);
    CHECK(whole.bursts[0].bytes == 12);
    CHECK(whole.bytes == 24);
    // Columns 3..5 of rows 0..1 of one plane: per row the bytes holding nibbles 3..5 (bytes 1..2).
    const TileLayout part = build_tile_layout(t, {SegmentSpec{0, 0, {0, 2}, {3, 6}}});
    REQUIRE(part.bursts.size() == 2);
    CHECK(part.bursts[0].dram_byte == 101);
    CHECK(part.bursts[0].bytes == 2);
    CHECK(part.bursts[1].dram_byte == 105);
    CHECK(part.segments[0].local_bit == 4);  // nibble 3 is the high half of the first byte read
    // Whole planes of adjacent channels merge into one run.
    const TileLayout planes = build_tile_layout(t, {SegmentSpec{0, 0, {0, 5}, {0, 7}}, SegmentSpec{0, 1, {0, 5}, {0, 7}}});
    CHECK(planes.bursts.size() == 1);
    CHECK(planes.bytes == 40);
}
