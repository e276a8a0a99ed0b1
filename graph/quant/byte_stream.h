#pragma once
// Little-endian primitive encoding for the model file (docs/model-format.md, "Primitives").
// ByteReader checks every read against the bytes that remain, so a truncated or malformed payload
// throws Error instead of reading past the end.
#include <cstdint>
#include <string>

namespace dyadic::quant {

class ByteWriter {
public:
    void u8(uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
    void u32(uint32_t v);
    void u64(uint64_t v);
    void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
    void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
    void f64(double v);  // IEEE 754 binary64 bit pattern
    void boolean(bool v) { u8(v ? 1 : 0); }
    void string(const std::string& v);  // u32 length + bytes
    void raw(const std::string& v) { bytes_ += v; }

    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

class ByteReader {
public:
    // `what` names the data in messages ("model file 'x.dyqm'").
    ByteReader(const std::string& bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

    uint8_t u8();
    uint32_t u32();
    uint64_t u64();
    int32_t i32() { return static_cast<int32_t>(u32()); }
    int64_t i64() { return static_cast<int64_t>(u64()); }
    double f64();
    bool boolean();  // rejects anything but 0 and 1
    std::string string();
    std::string raw(uint64_t count);

    // A count read from the file, checked against the bytes left at `min_bytes_each` per item, so a
    // corrupted count cannot trigger a huge allocation.
    uint64_t count(uint64_t min_bytes_each, const char* of_what);

    uint64_t remaining() const { return bytes_.size() - position_; }
    [[noreturn]] void fail(const std::string& problem) const;

private:
    void need(uint64_t count);

    const std::string& bytes_;
    std::string what_;
    uint64_t position_ = 0;
};

}  // namespace dyadic::quant
