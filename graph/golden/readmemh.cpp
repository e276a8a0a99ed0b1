#include "graph/golden/readmemh.h"

#include "graph/quant/packed_elements.h"
#include "util/error.h"

namespace dyadic::golden {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_hex(std::string& out, uint64_t value, int digits) {
    for (int d = digits - 1; d >= 0; --d) out += kHexDigits[(value >> (4 * d)) & 0xFu];
    out += '\n';
}

// The lines of `text`: every line ends in '\n' (the last one too).
std::vector<std::string> split_lines(const std::string& text, const std::string& source) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        require(end != std::string::npos, source + ": the last line does not end in a newline");
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

uint64_t parse_hex_line(const std::string& line, int digits, const std::string& source, size_t line_number) {
    const std::string where = source + " line " + std::to_string(line_number + 1);
    require(line.size() == static_cast<size_t>(digits),
            where + ": expected " + std::to_string(digits) + " hex digits, got '" + line + "'");
    uint64_t value = 0;
    for (const char c : line) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        require(digit >= 0, where + ": '" + line + "' is not hexadecimal");
        value = value << 4 | static_cast<uint64_t>(digit);
    }
    return value;
}

}  // namespace

int readmemh_digits(const IntType& type) { return (type.bits + 3) / 4; }

std::string readmemh_text(const TensorStorage& values, const IntType& type) {
    validate(type);
    const uint64_t mask = (uint64_t{1} << type.bits) - 1;
    std::string out;
    out.reserve(values.size() * static_cast<size_t>(readmemh_digits(type) + 1));
    for (size_t i = 0; i < values.size(); ++i) {
        require(type.contains(values[i]), "readmemh: element " + std::to_string(i) + " = " +
                                              std::to_string(values[i]) + " lies outside " + type.name());
        append_hex(out, static_cast<uint64_t>(static_cast<int64_t>(values[i])) & mask, readmemh_digits(type));
    }
    return out;
}

std::string readmemh_packed_text(const TensorStorage& values, const IntType& type) {
    validate(type);
    require(type.bits <= 4, "readmemh: packed images hold types of at most 4 bits, not " + type.name());
    for (size_t i = 0; i < values.size(); ++i) {
        require(type.contains(values[i]), "readmemh: element " + std::to_string(i) + " = " +
                                              std::to_string(values[i]) + " lies outside " + type.name());
    }
    // The model files' nibble stream (one packing convention in the project), grouped into words.
    const std::string bytes = quant::pack_elements(values, type);
    constexpr size_t kWordBytes = kPackedWordBits / 8;
    std::string out;
    for (size_t word = 0; word * kWordBytes < bytes.size(); ++word) {
        uint64_t value = 0;
        for (size_t b = 0; b < kWordBytes && word * kWordBytes + b < bytes.size(); ++b) {
            value |= uint64_t{static_cast<uint8_t>(bytes[word * kWordBytes + b])} << (8 * b);
        }
        append_hex(out, value, kPackedWordBits / 4);
    }
    return out;
}

std::vector<int32_t> parse_readmemh(const std::string& text, const IntType& type, const std::string& source) {
    validate(type);
    const std::vector<std::string> lines = split_lines(text, source);
    std::vector<int32_t> values;
    values.reserve(lines.size());
    const uint64_t sign = uint64_t{1} << (type.bits - 1);
    for (size_t i = 0; i < lines.size(); ++i) {
        const uint64_t raw = parse_hex_line(lines[i], readmemh_digits(type), source, i);
        require(raw >> type.bits == 0, source + " line " + std::to_string(i + 1) + ": '" + lines[i] +
                                           "' has more than " + std::to_string(type.bits) + " bits");
        const int64_t value = type.is_signed ? static_cast<int64_t>(raw ^ sign) - static_cast<int64_t>(sign)
                                             : static_cast<int64_t>(raw);
        values.push_back(static_cast<int32_t>(value));
    }
    return values;
}

std::vector<int32_t> parse_readmemh_packed(const std::string& text, uint64_t count, const IntType& type,
                                           const std::string& source) {
    validate(type);
    require(type.bits <= 4, source + ": packed images hold types of at most 4 bits, not " + type.name());
    const std::vector<std::string> lines = split_lines(text, source);
    constexpr uint64_t kPerWord = kPackedWordBits / 4;
    require(lines.size() == (count + kPerWord - 1) / kPerWord,
            source + ": " + std::to_string(count) + " elements need " + std::to_string((count + kPerWord - 1) / kPerWord) +
                " words, the image has " + std::to_string(lines.size()));
    std::vector<int32_t> values;
    values.reserve(count);
    for (size_t i = 0; i < lines.size(); ++i) {
        const uint64_t word = parse_hex_line(lines[i], kPackedWordBits / 4, source, i);
        for (uint64_t j = 0; j < kPerWord; ++j) {
            const auto nibble = static_cast<int64_t>((word >> (4 * j)) & 0xFu);
            if (i * kPerWord + j >= count) {
                require(nibble == 0, source + " line " + std::to_string(i + 1) + ": padding nibble " +
                                         std::to_string(j) + " is not 0");
                continue;
            }
            const int64_t value = type.is_signed && nibble >= 8 ? nibble - 16 : nibble;
            require(type.contains(value), source + " line " + std::to_string(i + 1) + ": nibble " + std::to_string(j) +
                                              " = " + std::to_string(value) + " lies outside " + type.name());
            values.push_back(static_cast<int32_t>(value));
        }
    }
    return values;
}

}  // namespace dyadic::golden
