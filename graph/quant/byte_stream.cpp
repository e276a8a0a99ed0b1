#include "graph/quant/byte_stream.h"

#include <cstring>

#include "util/error.h"

namespace dyadic::quant {

void ByteWriter::u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::f64(double v) {
    static_assert(sizeof(double) == sizeof(uint64_t), "double must be IEEE binary64");
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
}

void ByteWriter::string(const std::string& v) {
    u32(static_cast<uint32_t>(v.size()));
    bytes_ += v;
}

void ByteReader::fail(const std::string& problem) const {
    throw Error(what_ + ": " + problem + " (at payload byte " + std::to_string(position_) + ")");
}

void ByteReader::need(uint64_t count) {
    if (count > remaining()) {
        fail("truncated: needs " + std::to_string(count) + " more bytes, only " + std::to_string(remaining()) +
             " left");
    }
}

uint8_t ByteReader::u8() {
    need(1);
    return static_cast<uint8_t>(bytes_[position_++]);
}

uint32_t ByteReader::u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(bytes_[position_++])} << (8 * i);
    return v;
}

uint64_t ByteReader::u64() {
    need(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<uint8_t>(bytes_[position_++])} << (8 * i);
    return v;
}

double ByteReader::f64() {
    const uint64_t bits = u64();
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

bool ByteReader::boolean() {
    const uint8_t v = u8();
    if (v > 1) fail("boolean byte is " + std::to_string(v) + ", must be 0 or 1");
    return v == 1;
}

std::string ByteReader::string() {
    const uint64_t length = u32();
    return raw(length);
}

std::string ByteReader::raw(uint64_t count) {
    need(count);
    std::string v = bytes_.substr(position_, count);
    position_ += count;
    return v;
}

uint64_t ByteReader::count(uint64_t min_bytes_each, const char* of_what) {
    const uint64_t n = u32();
    if (min_bytes_each > 0 && n > remaining() / min_bytes_each) {
        fail(std::string("count of ") + of_what + " (" + std::to_string(n) + ") exceeds the bytes left");
    }
    return n;
}

}  // namespace dyadic::quant
