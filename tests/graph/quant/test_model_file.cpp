// Model file: exact round trip, hand-derived packing, and rejection of every kind of damage.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "graph/quant/model_file.h"
#include "graph/quant/packed_elements.h"
#include "util/error.h"
#include "tests/graph/quant/sample_model.h"

namespace {

using namespace dyadic;
using namespace dyadic::quant;

uint32_t crc_of(const std::string& payload) {
    return static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(payload.data()),
                                       static_cast<uInt>(payload.size())));
}

void set_u32(std::string& bytes, size_t offset, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Re-seals a payload after a deliberate edit, so that the parser (not the CRC) must catch it.
std::string reseal(std::string file) {
    set_u32(file, 16, crc_of(file.substr(kModelHeaderBytes)));
    return file;
}

std::string error_of(const std::string& bytes) {
    try {
        deserialize_model(bytes, "m.dyqm");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("dyadic_quant_test_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("model file: save and load round-trip every field exactly", "[quant][model_file]") {
    QuantizedModel model = testing::sample_model();
    model.metadata = {{"source", "hand-built"}, {"input_mean", "0.25"}, {"empty", ""}};
    validate(model);
    TempDir dir;
    const std::string path = (dir.path / "sample.dyqm").string();
    save_model(model, path);
    const QuantizedModel loaded = load_model(path);
    CHECK(loaded == model);
    // Every weight width survives, including the odd-length 4-bit tensor with a padding nibble.
    REQUIRE(loaded.layers.size() == model.layers.size());
    for (size_t i = 0; i < model.layers.size(); ++i) {
        CHECK(loaded.layers[i] == model.layers[i]);
        CHECK(weight_bits(loaded.layers[i]) == weight_bits(model.layers[i]));
    }
    // No temporary file is left beside the output.
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) == 1);
    // Serialization is deterministic.
    CHECK(serialize_model(loaded) == serialize_model(model));
}

TEST_CASE("model file: equality notices a one-element weight change", "[quant][model_file]") {
    const QuantizedModel model = testing::sample_model();
    QuantizedModel changed = model;
    auto& conv = std::get<Conv2dLayer>(changed.layers[0].op);
    conv.weight.data[134] = conv.weight.data[134] == 7 ? 6 : conv.weight.data[134] + 1;
    CHECK(changed != model);
    CHECK(deserialize_model(serialize_model(changed)) == changed);
    QuantizedModel rescaled = model;
    rescaled.tensors[3].scale = std::nextafter(rescaled.tensors[3].scale, 1.0);
    CHECK(rescaled != model);
}

TEST_CASE("packing: 4 bits and below go two per byte, low nibble first", "[quant][model_file]") {
    // Hand-derived: int4 {-8, 7, 1} -> 0x78, then 0x01 with a zero high nibble.
    CHECK(pack_elements({-8, 7, 1}, IntType::signed_bits(4)) == std::string("\x78\x01", 2));
    // int2 {-2, 1, -1, 0} -> nibbles E,1,F,0 -> 0x1E, 0x0F.
    CHECK(pack_elements({-2, 1, -1, 0}, IntType::signed_bits(2)) == std::string("\x1E\x0F", 2));
    // uint3 {5, 7} -> 0x75
    CHECK(pack_elements({5, 7}, IntType::unsigned_bits(3)) == std::string("\x75", 1));
    // int8 one byte each, int16 two bytes little-endian, int32 four.
    CHECK(pack_elements({-1, 5}, IntType::signed_bits(5)) == std::string("\xFF\x05", 2));
    CHECK(pack_elements({-2}, IntType::signed_bits(16)) == std::string("\xFE\xFF", 2));
    CHECK(pack_elements({0x01020304}, IntType::int32()) == std::string("\x04\x03\x02\x01", 4));
    CHECK(packed_size(135, IntType::signed_bits(4)) == 68);
    CHECK(packed_size(135, IntType::signed_bits(5)) == 135);

    for (const IntType type : {IntType::signed_bits(2), IntType::signed_bits(3), IntType::signed_bits(4),
                               IntType::unsigned_bits(4), IntType::signed_bits(8), IntType::unsigned_bits(8),
                               IntType::signed_bits(16), IntType::unsigned_bits(16), IntType::int32()}) {
        TensorStorage all;
        const int64_t step = type.bits > 16 ? 65537 : 1;
        for (int64_t v = type.min(); v <= type.max(); v += step) all.push_back(static_cast<int32_t>(v));
        all.push_back(static_cast<int32_t>(type.max()));
        CHECK(unpack_elements(pack_elements(all, type), all.size(), type) == all);
    }
    // A non-zero padding nibble is malformed.
    CHECK_THROWS_AS(unpack_elements(std::string("\x78\x11", 2), 3, IntType::signed_bits(4)), Error);
}

TEST_CASE("model file: 4-bit weights take half the bytes of 8-bit ones", "[quant][model_file]") {
    QuantizedModel model = testing::sample_model();
    const size_t size4 = serialize_model(model).size();
    auto& conv = std::get<Conv2dLayer>(model.layers[0].op);
    conv.weight.type = IntType::signed_bits(8);  // same values, wider type
    const size_t size8 = serialize_model(model).size();
    CHECK(size8 - size4 == 135 - 68);
}

TEST_CASE("model file: every single corrupted payload byte is detected", "[quant][model_file]") {
    const std::string file = serialize_model(testing::sample_model());
    for (size_t i = kModelHeaderBytes; i < file.size(); ++i) {
        std::string bad = file;
        bad[i] = static_cast<char>(bad[i] ^ 0x10);
        const std::string message = error_of(bad);
        INFO("byte " << i);
        CHECK(message.find("corrupted") != std::string::npos);
    }
    std::string bad_crc = file;
    bad_crc[16] = static_cast<char>(bad_crc[16] ^ 1);
    CHECK(error_of(bad_crc).find("corrupted") != std::string::npos);
}

TEST_CASE("model file: every truncation is rejected", "[quant][model_file]") {
    const std::string file = serialize_model(testing::sample_model());
    for (size_t length = 0; length < file.size(); ++length) {
        INFO("length " << length);
        CHECK_FALSE(error_of(file.substr(0, length)).empty());
    }
    CHECK(error_of(file.substr(0, file.size() - 1)).find("truncated") != std::string::npos);
    CHECK(error_of(file.substr(0, 10)).find("truncated header") != std::string::npos);
    CHECK(error_of(file + "x").find("unexpected bytes") != std::string::npos);
}

TEST_CASE("model file: wrong magic and wrong version are rejected by name", "[quant][model_file]") {
    const std::string file = serialize_model(testing::sample_model());
    std::string magic = file;
    magic[0] = 'X';
    CHECK(error_of(magic).find("not a dyadic model file") != std::string::npos);
    CHECK(error_of("").find("not a dyadic model file") != std::string::npos);
    CHECK(error_of("\x7f" "ELF......................").find("not a dyadic model file") != std::string::npos);

    std::string version = file;
    set_u32(version, 4, 2);
    CHECK(error_of(version).find("unsupported format version 2 (this build reads version 1)") != std::string::npos);
    set_u32(version, 4, 0);
    CHECK(error_of(version).find("unsupported format version 0") != std::string::npos);
}

TEST_CASE("model file: malformed payloads with a valid CRC are rejected", "[quant][model_file]") {
    const std::string file = serialize_model(testing::sample_model());
    const size_t payload = kModelHeaderBytes;
    // Payload starts with the model name: u32 length 6, "sample", then u32 metadata count (0),
    // then u32 tensor count.
    REQUIRE(file.substr(payload + 4, 6) == "sample");

    std::string huge_metadata = file;
    set_u32(huge_metadata, payload + 10, 0x10000000u);
    CHECK(error_of(reseal(huge_metadata)).find("count of metadata entries") != std::string::npos);

    std::string huge_count = file;
    set_u32(huge_count, payload + 14, 0xFFFFFFFFu);
    CHECK(error_of(reseal(huge_count)).find("count of tensors") != std::string::npos);

    std::string long_name = file;
    set_u32(long_name, payload, 0x7FFFFFFFu);
    CHECK(error_of(reseal(long_name)).find("truncated") != std::string::npos);

    // The first tensor info: name "input" (u32 + 5 bytes), rank u32 4, four i64 dims, then bits, signed.
    const size_t first_tensor = payload + 18;
    REQUIRE(file.substr(first_tensor + 4, 5) == "input");
    const size_t type_offset = first_tensor + 9 + 4 + 32;
    std::string bad_type = file;
    bad_type[type_offset] = 33;  // 33-bit integers do not exist
    CHECK(error_of(reseal(bad_type)).find("unsupported integer type") != std::string::npos);
    std::string bad_bool = file;
    bad_bool[type_offset + 1] = 2;
    CHECK(error_of(reseal(bad_bool)).find("boolean") != std::string::npos);
    std::string negative_dim = file;
    negative_dim[first_tensor + 13] = static_cast<char>(0xFF);
    for (int i = 1; i < 8; ++i) negative_dim[first_tensor + 13 + i] = static_cast<char>(0xFF);
    CHECK(error_of(reseal(negative_dim)).find("dimension 0 is negative (-1)") != std::string::npos);
    // A forged 2^40 first dimension is named as such, not as the later dimension that crosses
    // the 2^40-element limit.
    std::string huge_dim = file;
    set_u32(huge_dim, first_tensor + 13, 0);
    set_u32(huge_dim, first_tensor + 17, 1u << 8);  // high word: 2^40
    const std::string huge = error_of(reseal(huge_dim));
    CHECK(huge.find("more than 2^40 elements") != std::string::npos);
    CHECK(huge.find("dimension 0 is 1099511627776") != std::string::npos);
}

TEST_CASE("model file: duplicate metadata keys are malformed", "[quant][model_file]") {
    QuantizedModel model = testing::sample_model();
    model.metadata = {{"a", "1"}, {"b", "2"}};
    std::string file = serialize_model(model);
    // Entries: u32 1 'a' u32 1 '1', u32 1 'b' ...: rename key 'b' to 'a'.
    const size_t second_key = kModelHeaderBytes + 10 + 4 + 10 + 4;
    REQUIRE(file[second_key] == 'b');
    file[second_key] = 'a';
    CHECK(error_of(reseal(file)).find("duplicate metadata key 'a'") != std::string::npos);
}

TEST_CASE("model file: semantically invalid models are neither written nor loaded", "[quant][model_file]") {
    QuantizedModel model = testing::sample_model();
    model.layers[2].inputs = {model.layers[2].inputs[0]};  // fused residual without its identity
    CHECK_THROWS_WITH(serialize_model(model), Catch::Contains("conv2") && Catch::Contains("expects 2 input"));

    QuantizedModel order = testing::sample_model();
    std::swap(order.layers[0], order.layers[1]);
    CHECK_THROWS_WITH(validate(order), Catch::Contains("topological order"));

    QuantizedModel shape = testing::sample_model();
    shape.tensors[1].shape = {1, 5, 8, 8};
    CHECK_THROWS_WITH(validate(shape), Catch::Contains("conv1") && Catch::Contains("[1, 5, 7, 7]"));

    QuantizedModel type = testing::sample_model();
    type.tensors[1].type = IntType::signed_bits(8);
    CHECK_THROWS_WITH(validate(type), Catch::Contains("produces uint8"));

    QuantizedModel weight = testing::sample_model();
    std::get<Conv2dLayer>(weight.layers[0].op).weight.data[0] = 8;  // outside int4
    CHECK_THROWS_WITH(validate(weight), Catch::Contains("outside int4"));

    QuantizedModel scale_kept = testing::sample_model();
    scale_kept.tensors[2].scale = 0.06;  // max pool cannot rescale
    CHECK_THROWS_WITH(validate(scale_kept), Catch::Contains("pool1") && Catch::Contains("scale"));
}

TEST_CASE("model file: unreadable paths give a clear error", "[quant][model_file]") {
    CHECK_THROWS_WITH(load_model("no/such/dir/model.dyqm"), Catch::Contains("cannot open model file"));
    TempDir dir;
    CHECK_THROWS_AS(save_model(testing::sample_model(), (dir.path / "missing" / "m.dyqm").string()), Error);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) == 0);
}

TEST_CASE("model file: the absent bias and a present bias, byte for byte", "[quant][model_file]") {
    // docs/model-format.md: an absent bias is rank 0, type int8 (ignored), 0 scales, 0 elements.
    // Two models that differ only in conv3's bias share every byte before that bias.
    QuantizedModel absent = testing::sample_model();
    QuantizedModel present = absent;
    auto& conv3 = std::get<Conv2dLayer>(present.layers[7].op);
    REQUIRE(absent.layers[7].name == "conv3");
    REQUIRE(conv3.bias.shape.empty());
    conv3.bias = Tensor({6}, IntType::int32(), {1, -1, 2, -2, 300, -70000});
    const std::string a = serialize_model(absent);
    const std::string b = serialize_model(present);
    size_t common = kModelHeaderBytes;  // the headers differ in length and CRC
    while (a[common] == b[common]) ++common;
    const std::string absent_bytes("\x00\x00\x00\x00" "\x08\x01" "\x00\x00\x00\x00" "\x00\x00\x00\x00\x00\x00\x00\x00",
                                   18);
    CHECK(a.substr(common, 18) == absent_bytes);
    // The present bias: rank 1, dimension 6, int32, no scales, 6 elements, 6 x 4 bytes little-endian.
    const std::string present_bytes = std::string("\x01\x00\x00\x00" "\x06\x00\x00\x00\x00\x00\x00\x00", 12) +
                                      std::string("\x20\x01" "\x00\x00\x00\x00", 6) +
                                      std::string("\x06\x00\x00\x00\x00\x00\x00\x00", 8) +
                                      std::string("\x01\x00\x00\x00" "\xff\xff\xff\xff" "\x02\x00\x00\x00"
                                                  "\xfe\xff\xff\xff" "\x2c\x01\x00\x00" "\x90\xee\xfe\xff",
                                                  24);
    CHECK(b.substr(common, present_bytes.size()) == present_bytes);
    // After the bias both continue identically (conv params onward).
    CHECK(a.substr(common + 18) == b.substr(common + present_bytes.size()));
}
