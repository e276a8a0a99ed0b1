// The .npy reader and writer against files NumPy itself writes (bytes copied from numpy.save of
// NumPy 1.24), hand-written headers in the variants NumPy accepts, and every malformed header.
#include <catch2/catch.hpp>
#include <cstring>
#include <limits>
#include <random>

#include "graph/golden/npy.h"
#include "util/error.h"

namespace {

using namespace dyadic;
using namespace dyadic::golden;
using Catch::Matchers::Contains;

std::string from_hex(const std::string& hex) {
    std::string bytes;
    for (size_t i = 0; i < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return bytes;
}

// A version 1.0 file: preamble, the dict padded with spaces to `header_length` bytes ending in
// '\n' (NumPy pads every header here to 118 bytes, so that the data starts at byte 128), data.
std::string npy_v1(const std::string& dict, const std::string& data_hex, size_t header_length = 118) {
    std::string header = dict;
    if (header.size() + 1 < header_length) header.append(header_length - header.size() - 1, ' ');
    header += '\n';
    std::string out = std::string("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xFF);
    out += static_cast<char>(header.size() >> 8);
    return out + header + from_hex(data_hex);
}

std::string npy_v2(const std::string& dict, const std::string& data_hex) {
    const std::string header = dict + "\n";
    std::string out = std::string("\x93NUMPY\x02\x00", 8);
    for (int b = 0; b < 4; ++b) out += static_cast<char>((header.size() >> (8 * b)) & 0xFF);
    return out + header + from_hex(data_hex);
}

std::string dict(const std::string& descr, const std::string& shape, const std::string& fortran = "False") {
    return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

struct NumpyFile {
    NpyDtype dtype;
    Shape shape;
    std::vector<int64_t> values;
    std::string file;
};

// numpy.save output for these arrays, header and data as NumPy wrote them.
std::vector<NumpyFile> numpy_files() {
    return {
        {NpyDtype::int16, {2, 3}, {1, -2, 3, -32768, 32767, 0}, npy_v1(dict("<i2", "(2, 3)"), "0100feff03000080ff7f0000")},
        {NpyDtype::uint8, {3}, {255, 0, 7}, npy_v1(dict("|u1", "(3,)"), "ff0007")},
        {NpyDtype::int8, {}, {-5}, npy_v1(dict("|i1", "()"), "fb")},
        {NpyDtype::int32, {0, 3}, {}, npy_v1(dict("<i4", "(0, 3)"), "")},
        {NpyDtype::uint16, {1}, {63970}, npy_v1(dict("<u2", "(1,)"), "e2f9")},
        {NpyDtype::int64, {2}, {-1, int64_t{1} << 40}, npy_v1(dict("<i8", "(2,)"), "ffffffffffffffff0000000000010000")},
        {NpyDtype::int8, {3}, {-3, 5, 7}, npy_v1(dict("|i1", "(3,)"), "fd0507")},
    };
}

}  // namespace

TEST_CASE("npy: the writer produces NumPy's bytes exactly and the reader reads them back", "[golden][npy]") {
    for (const NumpyFile& f : numpy_files()) {
        INFO(npy_dtype_name(f.dtype) << " " << to_string(f.shape));
        const NpyArray array = npy_from_integers(f.dtype, f.shape, f.values);
        CHECK(encode_npy(array) == f.file);
        const NpyArray read = decode_npy(f.file, "numpy");
        CHECK(read.dtype == f.dtype);
        CHECK(read.shape == f.shape);
        CHECK(npy_integers(read, "numpy") == f.values);
    }
    // float32 [1.5, -0.25]
    const std::string floats = npy_v1(dict("<f4", "(2,)"), "0000c03f000080be");
    CHECK(encode_npy(npy_from_floats({2}, {1.5f, -0.25f})) == floats);
    CHECK(npy_floats(decode_npy(floats, "numpy"), "numpy") == std::vector<float>{1.5f, -0.25f});
}

TEST_CASE("npy: every dtype round-trips its full range", "[golden][npy]") {
    std::mt19937_64 rng(5);
    const struct {
        NpyDtype dtype;
        int64_t lo, hi;
    } ranges[] = {
        {NpyDtype::int8, -128, 127},         {NpyDtype::uint8, 0, 255},
        {NpyDtype::int16, -32768, 32767},    {NpyDtype::uint16, 0, 65535},
        {NpyDtype::int32, INT32_MIN, INT32_MAX},
        {NpyDtype::int64, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()},
    };
    for (const auto& r : ranges) {
        INFO(npy_dtype_name(r.dtype));
        std::uniform_int_distribution<int64_t> dist(r.lo, r.hi);
        std::vector<int64_t> values = {r.lo, r.hi, 0};
        for (int i = 0; i < 57; ++i) values.push_back(dist(rng));
        const Shape shape{3, 4, 5};
        const NpyArray back = decode_npy(encode_npy(npy_from_integers(r.dtype, shape, values)), "round trip");
        CHECK(back.dtype == r.dtype);
        CHECK(back.shape == shape);
        CHECK(npy_integers(back, "round trip") == values);
        if (r.dtype != NpyDtype::int64) {
            CHECK_THROWS_WITH(npy_from_integers(r.dtype, {1}, {r.hi + 1}), Contains("does not fit"));
            CHECK_THROWS_WITH(npy_from_integers(r.dtype, {1}, {r.lo - 1}), Contains("does not fit"));
        }
    }
    std::vector<float> floats = {0.0f, -0.0f, 1e-38f, -3.25e38f, 0.1f};
    const NpyArray back = decode_npy(encode_npy(npy_from_floats({5}, floats)), "round trip");
    const std::vector<float> read = npy_floats(back, "round trip");
    REQUIRE(read.size() == floats.size());
    CHECK(std::memcmp(read.data(), floats.data(), sizeof(float) * floats.size()) == 0);  // bit for bit, -0 too
}

TEST_CASE("npy: the header variants NumPy accepts", "[golden][npy]") {
    // Double quotes, no trailing comma, keys in another order, no padding, version 2.0.
    const std::string data = "0100feff";
    const std::vector<std::string> files = {
        npy_v1("{\"descr\": \"<i2\", \"fortran_order\": False, \"shape\": (2,)}", data),
        npy_v1("{'shape': (2,), 'fortran_order': False, 'descr': '<i2'}", data, 0),
        npy_v1("{'descr':'<i2','fortran_order':False,'shape':(2, ),}", data),
        npy_v2(dict("<i2", "(2,)"), data),
    };
    for (const std::string& file : files) {
        const NpyArray array = decode_npy(file, "variant");
        CHECK(array.dtype == NpyDtype::int16);
        CHECK(array.shape == Shape{2});
        CHECK(npy_integers(array, "variant") == std::vector<int64_t>{1, -2});
    }
    // One-byte items have no byte order: '<' and '>' are accepted like '|'.
    CHECK(decode_npy(npy_v1(dict("<u1", "(1,)"), "ff"), "x").dtype == NpyDtype::uint8);
    CHECK(decode_npy(npy_v1(dict(">i1", "(1,)"), "ff"), "x").dtype == NpyDtype::int8);
}

TEST_CASE("npy: every malformed file is an Error naming the problem", "[golden][npy]") {
    const auto fails = [](const std::string& bytes, const std::string& message) {
        INFO("expected: " << message);
        CHECK_THROWS_AS(decode_npy(bytes, "f.npy"), Error);
        CHECK_THROWS_WITH(decode_npy(bytes, "f.npy"), Contains("f.npy") && Contains(message));
    };
    const std::string good = npy_v1(dict("<i2", "(2,)"), "0100feff");
    fails("", "not a .npy file");
    fails("\x93NUMPZ\x01\x00", "not a .npy file");
    fails(std::string("\x93NUMPY\x03\x00\x00\x00\x00\x00", 12), "unsupported .npy format version 3.0");
    fails(std::string("\x93NUMPY\x01\x01", 8) + good.substr(8), "unsupported .npy format version 1.1");
    fails(good.substr(0, 9), "truncated .npy header");
    fails(good.substr(0, 60), "truncated .npy header");
    {
        std::string no_newline = good;
        no_newline[127] = ' ';
        fails(no_newline, "does not end in a newline");
    }
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }\xc3\xa9", "0100feff"), "non-ASCII");
    fails(npy_v1("{'descr': '<i2', 'shape': (2,), }", "0100feff"), "missing key 'fortran_order'");
    fails(npy_v1("{'fortran_order': False, 'shape': (2,), }", "0100feff"), "missing key 'descr'");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, }", "0100feff"), "missing key 'shape'");
    fails(npy_v1("{'descr': '<i2', 'descr': '<i2', 'fortran_order': False, 'shape': (2,)}", "0100feff"),
          "'descr' appears twice");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "0100feff"),
          "unexpected key 'extra'");
    fails(npy_v1("['<i2', False, (2,)]", "0100feff"), "expected '{'");
    fails(npy_v1("{'descr': '<i2' 'fortran_order': False, 'shape': (2,)}", "0100feff"), "expected ',' or '}'");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': false, 'shape': (2,)}", "0100feff"), "expected True or False");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (2,)} x", "0100feff"), "unexpected text after");
    fails(npy_v1("{'descr' '<i2', 'fortran_order': False, 'shape': (2,)}", "0100feff"), "expected ':'");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (2)}", "0100feff"), "needs a trailing comma");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': [2]}", "0100feff"), "expected '('");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (-2,)}", "0100feff"), "non-negative integer");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (2; 1)}", "0100feff"), "expected ',' or ')'");
    fails(npy_v1("{'descr': '<i2', 'fortran_order': False, 'shape': (99999999999999999999,)}", ""), "does not fit int64");
    fails(npy_v1(dict("<i2", "(4294967296, 4294967296)"), ""), "is too large");
    fails(npy_v1(dict("<i2", "(2,)", "True"), "0100feff"), "Fortran-order");
    fails(npy_v1(dict(">i2", "(2,)"), "0001fffe"), "big endian");
    fails(npy_v1(dict("|i2", "(2,)"), "0100feff"), "no explicit byte order");
    fails(npy_v1(dict("<f8", "(1,)"), "0000000000000000"), "unsupported dtype '<f8'");
    fails(npy_v1(dict("<u4", "(1,)"), "00000000"), "unsupported dtype '<u4'");
    fails(npy_v1(dict("O", "(1,)"), "00"), "unsupported dtype 'O'");
    fails(npy_v1(dict("<i2", "(2,)"), "0100fe"), "needs 4 data bytes, the file has 3");
    fails(npy_v1(dict("<i2", "(2,)"), "0100feff00"), "needs 4 data bytes, the file has 5");
    fails(npy_v1(dict("<i2", "(2, 3)"), "0100feff"), "needs 12 data bytes");
    std::string many = "(";
    for (int i = 0; i < 65; ++i) many += "1, ";
    fails(npy_v1(dict("<i2", many + ")"), "0100"), "more than 64 dimensions");
}

TEST_CASE("npy: tensors map to the narrowest exact dtype and back, range-checked", "[golden][npy]") {
    CHECK(npy_dtype_for(IntType::signed_bits(4)) == NpyDtype::int8);
    CHECK(npy_dtype_for(IntType::unsigned_bits(8)) == NpyDtype::uint8);
    CHECK(npy_dtype_for(IntType::signed_bits(9)) == NpyDtype::int16);
    CHECK(npy_dtype_for(IntType::unsigned_bits(16)) == NpyDtype::uint16);
    CHECK(npy_dtype_for(IntType::int32()) == NpyDtype::int32);

    const Tensor t({1, 2, 1, 2}, IntType::unsigned_bits(16), {0, 63970, 65535, 7});
    const NpyArray array = npy_from_tensor(t);
    CHECK(array.dtype == NpyDtype::uint16);
    const Tensor back = tensor_from_npy(decode_npy(encode_npy(array), "t"), t.type, "t");
    CHECK(back.shape == t.shape);
    CHECK(back.data == t.data);
    // An int64 file whose values fit is fine; one that leaves the type is refused.
    CHECK(tensor_from_npy(npy_from_integers(NpyDtype::int64, {2}, {-8, 7}), IntType::signed_bits(4), "x").data ==
          std::vector<int32_t>{-8, 7});
    CHECK_THROWS_WITH(tensor_from_npy(npy_from_integers(NpyDtype::int64, {2}, {-9, 7}), IntType::signed_bits(4), "x"),
                      Contains("element 0 = -9 lies outside int4"));
    CHECK_THROWS_WITH(tensor_from_npy(npy_from_floats({1}, {1.0f}), IntType::signed_bits(8), "x"),
                      Contains("expected an integer array, got float32"));
    CHECK_THROWS_WITH(npy_from_integers(NpyDtype::int8, {2, 2}, {1, 2, 3}), Contains("does not hold 3 elements"));
}
