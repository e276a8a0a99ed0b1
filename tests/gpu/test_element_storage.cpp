// Packed element storage against docs/semantics.md section 2 and the model file's independent
// packing (graph/quant/packed_elements), and the 4-bit -> 8-bit register widening.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gpu/device_layout.h"
#include "gpu/element_storage.h"
#include "gpu/operand_registers.h"
#include "graph/quant/packed_elements.h"
#include "reference/int_type.h"

using namespace dyadic;
using namespace dyadic::gpu;

namespace {

std::vector<uint32_t> pack(const std::vector<int32_t>& values, StorageFormat format) {
    std::vector<uint32_t> words(static_cast<size_t>(storage_words(static_cast<int64_t>(values.size()), format)), 0u);
    for (size_t i = 0; i < values.size(); ++i) store_element(words.data(), static_cast<int64_t>(i), format, values[i]);
    return words;
}

std::string bytes_of(const std::vector<uint32_t>& words, size_t count) {
    std::string bytes(count, '\0');
    std::memcpy(bytes.data(), words.data(), count);
    return bytes;
}

}  // namespace

TEST_CASE("int4 packing follows the semantics example", "[gpu][storage]") {
    // int4 [-3, 5, 7] packs to bytes 0x5D, 0x07 (docs/semantics.md section 2).
    const std::vector<uint32_t> words = pack({-3, 5, 7}, {4, true});
    CHECK(bytes_of(words, 2) == std::string("\x5D\x07", 2));
    CHECK(load_element(words.data(), 0, {4, true}) == -3);
    CHECK(load_element(words.data(), 1, {4, true}) == 5);
    CHECK(load_element(words.data(), 2, {4, true}) == 7);
}

TEST_CASE("packed storage equals the model file packing for every type", "[gpu][storage]") {
    std::mt19937 rng(4);
    std::vector<IntType> types{IntType::int32()};
    for (int bits = 2; bits <= 16; ++bits) {
        types.push_back(IntType::signed_bits(bits));
        types.push_back(IntType::unsigned_bits(bits));
    }
    for (const IntType& type : types) {
        INFO(type.name());
        std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
        for (int64_t count : {1, 2, 7, 64, 333}) {
            std::vector<int32_t> values(static_cast<size_t>(count));
            for (auto& v : values) v = static_cast<int32_t>(dist(rng));
            values[0] = static_cast<int32_t>(type.min());
            values[static_cast<size_t>(count - 1)] = static_cast<int32_t>(type.max());
            const StorageFormat format = storage_format(type);
            const std::vector<uint32_t> words = pack(values, format);
            const std::string expected = quant::pack_elements(TensorStorage(values.begin(), values.end()), type);
            REQUIRE(bytes_of(words, expected.size()) == expected);
            for (int64_t i = 0; i < count; ++i) REQUIRE(load_element(words.data(), i, format) == values[static_cast<size_t>(i)]);
        }
    }
}

TEST_CASE("4-bit runs widen to 8-bit register lanes with the right sign", "[gpu][storage]") {
    std::mt19937 rng(5);
    for (bool is_signed : {true, false}) {
        const IntType type = is_signed ? IntType::signed_bits(4) : IntType::unsigned_bits(4);
        std::uniform_int_distribution<int64_t> dist(type.min(), type.max());
        std::vector<int32_t> values(64);
        for (auto& v : values) v = static_cast<int32_t>(dist(rng));
        const std::vector<uint32_t> words = pack(values, storage_format(type));
        for (int64_t start = 0; start < 64; start += 4) {
            const uint32_t reg = load_register_run(words.data(), start, storage_format(type), 8);
            for (int e = 0; e < 4; ++e) {
                const auto lane = static_cast<int32_t>(is_signed ? static_cast<int8_t>(reg >> (8 * e))
                                                                 : static_cast<uint8_t>(reg >> (8 * e)));
                REQUIRE(lane == values[static_cast<size_t>(start + e)]);
            }
        }
        // Same width: the run is the stored word itself.
        CHECK(load_register_run(words.data(), 8, storage_format(type), 4) == words[1]);
    }
}

TEST_CASE("device layout round-trips NCHW tensors through NHWC", "[gpu][storage]") {
    Tensor t({2, 3, 2, 5}, IntType::signed_bits(4));
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<int32_t>(i % 16) - 8;
    const std::vector<uint32_t> words = to_device_layout(t);
    // NHWC: element (n=0, h=0, w=1, c=2) is the 1*3 + 2 = 5th; NCHW (0, 2, 0, 1) is 2*10 + 1 = 21st.
    CHECK(load_element(words.data(), 5, {4, true}) == t.data[21]);
    const Tensor back = from_device_layout(words, t.shape, t.type);
    CHECK(back.data == t.data);
}
