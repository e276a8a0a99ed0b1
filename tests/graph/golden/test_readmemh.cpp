// $readmemh images against hand-derived lines (two's complement at the type's width) and the
// nibble packing of docs/semantics.md section 2; the parsers invert the writers.
#include <catch2/catch.hpp>
#include <random>

#include "graph/golden/readmemh.h"
#include "util/error.h"

namespace {

using namespace dyadic;
using namespace dyadic::golden;
using Catch::Matchers::Contains;

TensorStorage random_values(std::mt19937& rng, const IntType& type, size_t count) {
    std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
    TensorStorage values = {static_cast<int32_t>(type.min()), static_cast<int32_t>(type.max()), 0};
    while (values.size() < count) values.push_back(static_cast<int32_t>(dist(rng)));
    return values;
}

}  // namespace

TEST_CASE("readmemh: one element per line, two's complement at the type's width", "[golden][readmemh]") {
    CHECK(readmemh_text({-3, 5, 7, -8}, IntType::signed_bits(4)) == "d\n5\n7\n8\n");
    CHECK(readmemh_text({-2, -1, 0, 1}, IntType::signed_bits(2)) == "2\n3\n0\n1\n");
    CHECK(readmemh_text({-3, 15, -16}, IntType::signed_bits(5)) == "1d\n0f\n10\n");
    CHECK(readmemh_text({0, 255, 128}, IntType::unsigned_bits(8)) == "00\nff\n80\n");
    CHECK(readmemh_text({-128, -1}, IntType::signed_bits(8)) == "80\nff\n");
    CHECK(readmemh_text({63970, 1}, IntType::unsigned_bits(16)) == "f9e2\n0001\n");
    CHECK(readmemh_text({-256, 255}, IntType::signed_bits(9)) == "100\n0ff\n");
    CHECK(readmemh_text({-1, INT32_MIN, INT32_MAX}, IntType::int32()) == "ffffffff\n80000000\n7fffffff\n");
    CHECK(readmemh_text({}, IntType::signed_bits(8)).empty());
    CHECK_THROWS_WITH(readmemh_text({8}, IntType::signed_bits(4)), Contains("element 0 = 8 lies outside int4"));
}

TEST_CASE("readmemh: packed words follow the semantics' nibble order", "[golden][readmemh]") {
    // docs/semantics.md section 2: int4 [-3, 5, 7] packs to bytes 0x5D, 0x07; as a little-endian
    // 32-bit word that is 0x0000075D.
    CHECK(readmemh_packed_text({-3, 5, 7}, IntType::signed_bits(4)) == "0000075d\n");
    // Nine uint4 elements 1..9: word 0 holds 1..8 (element j in bits 4j+3..4j), word 1 holds 9.
    CHECK(readmemh_packed_text({1, 2, 3, 4, 5, 6, 7, 8, 9}, IntType::unsigned_bits(4)) == "87654321\n00000009\n");
    // Narrower types use the same 4-bit container: int2 -1 is nibble 0xF, -2 is 0xE.
    CHECK(readmemh_packed_text({-1, -2, 1, 0}, IntType::signed_bits(2)) == "000001ef\n");
    CHECK(readmemh_packed_text({}, IntType::unsigned_bits(4)).empty());
    CHECK_THROWS_WITH(readmemh_packed_text({1}, IntType::signed_bits(5)), Contains("at most 4 bits"));
}

TEST_CASE("readmemh: parsing inverts writing for every type", "[golden][readmemh]") {
    std::mt19937 rng(3);
    std::vector<IntType> types = {IntType::int32()};
    for (int bits = 2; bits <= 16; ++bits) {
        types.push_back(IntType::signed_bits(bits));
        types.push_back(IntType::unsigned_bits(bits));
    }
    for (const IntType& type : types) {
        INFO(type.name());
        for (const size_t count : {size_t{1}, size_t{8}, size_t{37}}) {
            const TensorStorage values = random_values(rng, type, count);
            CHECK(parse_readmemh(readmemh_text(values, type), type, "t") == values);
            if (type.bits <= 4) {
                CHECK(parse_readmemh_packed(readmemh_packed_text(values, type), values.size(), type, "t") == values);
            }
        }
    }
}

TEST_CASE("readmemh: malformed images are Errors naming the line", "[golden][readmemh]") {
    const IntType s5 = IntType::signed_bits(5);
    CHECK_THROWS_WITH(parse_readmemh("1d\n3\n", s5, "m.hex"), Contains("m.hex line 2: expected 2 hex digits"));
    CHECK_THROWS_WITH(parse_readmemh("1g\n", s5, "m.hex"), Contains("not hexadecimal"));
    CHECK_THROWS_WITH(parse_readmemh("3f\n", s5, "m.hex"), Contains("more than 5 bits"));
    CHECK_THROWS_WITH(parse_readmemh("1d", s5, "m.hex"), Contains("does not end in a newline"));
    CHECK(parse_readmemh("1D\n", s5, "m.hex") == std::vector<int32_t>{-3});
    const IntType u4 = IntType::unsigned_bits(4);
    CHECK_THROWS_WITH(parse_readmemh_packed("10000009\n", 1, u4, "p.hex"), Contains("padding nibble 7 is not 0"));
    CHECK_THROWS_WITH(parse_readmemh_packed("00000009\n", 9, u4, "p.hex"), Contains("9 elements need 2 words"));
    CHECK_THROWS_WITH(parse_readmemh_packed("00000004\n", 1, IntType::unsigned_bits(2), "p.hex"),
                      Contains("lies outside uint2"));
}
