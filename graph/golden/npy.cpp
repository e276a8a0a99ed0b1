#include "graph/golden/npy.h"

#include <cstring>
#include <iterator>
#include <limits>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::golden {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;
// NumPy refuses more dimensions than this (NPY_MAXDIMS); so do we, which also bounds the header.
constexpr size_t kMaxDimensions = 64;

struct DtypeInfo {
    NpyDtype dtype;
    const char* name;
    const char* descr;
    int item_size;
    bool is_signed;
    bool is_float;
};

constexpr DtypeInfo kDtypes[] = {
    {NpyDtype::int8, "int8", "|i1", 1, true, false},       {NpyDtype::uint8, "uint8", "|u1", 1, false, false},
    {NpyDtype::int16, "int16", "<i2", 2, true, false},     {NpyDtype::uint16, "uint16", "<u2", 2, false, false},
    {NpyDtype::int32, "int32", "<i4", 4, true, false},     {NpyDtype::int64, "int64", "<i8", 8, true, false},
    {NpyDtype::float32, "float32", "<f4", 4, true, true},
};

const DtypeInfo& info(NpyDtype dtype) {
    for (const DtypeInfo& d : kDtypes) {
        if (d.dtype == dtype) return d;
    }
    throw Error("npy: unknown dtype");
}

// Range of an integer dtype.
int64_t dtype_min(const DtypeInfo& d) {
    if (!d.is_signed) return 0;
    return d.item_size == 8 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (8 * d.item_size - 1));
}
int64_t dtype_max(const DtypeInfo& d) {
    if (d.item_size == 8) return std::numeric_limits<int64_t>::max();
    return d.is_signed ? (int64_t{1} << (8 * d.item_size - 1)) - 1 : (int64_t{1} << (8 * d.item_size)) - 1;
}

// element_count(shape) * item_size, or an Error when a dimension is negative or the product
// leaves int64 (sizes read from a file are never trusted).
int64_t checked_byte_count(const Shape& shape, int item_size, const std::string& source) {
    int64_t count = 1;
    for (const int64_t d : shape) {
        require(d >= 0, source + ": negative dimension in shape " + to_string(shape));
        require(!__builtin_mul_overflow(count, d, &count), source + ": shape " + to_string(shape) + " is too large");
    }
    int64_t bytes = 0;
    require(!__builtin_mul_overflow(count, int64_t{item_size}, &bytes),
            source + ": shape " + to_string(shape) + " is too large");
    return bytes;
}

void store_le(std::string& out, size_t offset, uint64_t value, int bytes) {
    for (int b = 0; b < bytes; ++b) out[offset + static_cast<size_t>(b)] = static_cast<char>(value >> (8 * b));
}

uint64_t load_le(const std::string& in, size_t offset, int bytes) {
    uint64_t value = 0;
    for (int b = 0; b < bytes; ++b) value |= uint64_t{static_cast<uint8_t>(in[offset + static_cast<size_t>(b)])} << (8 * b);
    return value;
}

// The header dict, parsed as the small subset of Python literal syntax NumPy writes:
//   {'descr': '<i2', 'fortran_order': False, 'shape': (3, 4), }
class HeaderParser {
public:
    HeaderParser(const std::string& text, std::string source) : text_(text), source_(std::move(source)) {}

    struct Header {
        std::string descr;
        bool fortran_order = false;
        Shape shape;
    };

    Header parse() {
        Header header;
        bool has_descr = false, has_fortran = false, has_shape = false;
        skip_space();
        expect('{');
        skip_space();
        while (peek() != '}') {
            const std::string key = string_literal();
            skip_space();
            expect(':');
            skip_space();
            if (key == "descr") {
                require(!has_descr, fail("key 'descr' appears twice"));
                header.descr = string_literal();
                has_descr = true;
            } else if (key == "fortran_order") {
                require(!has_fortran, fail("key 'fortran_order' appears twice"));
                header.fortran_order = boolean();
                has_fortran = true;
            } else if (key == "shape") {
                require(!has_shape, fail("key 'shape' appears twice"));
                header.shape = tuple();
                has_shape = true;
            } else {
                throw Error(fail("unexpected key '" + key + "' (expected descr, fortran_order, shape)"));
            }
            skip_space();
            if (peek() == ',') {
                ++pos_;
                skip_space();
            } else {
                require(peek() == '}', fail("expected ',' or '}' after the value of '" + key + "'"));
            }
        }
        ++pos_;
        require(has_descr && has_fortran && has_shape,
                fail(std::string("missing key '") + (!has_descr ? "descr" : !has_fortran ? "fortran_order" : "shape") +
                     "'"));
        skip_space();
        require(pos_ == text_.size(), fail("unexpected text after the header dict"));
        return header;
    }

private:
    const std::string& text_;
    std::string source_;
    size_t pos_ = 0;

    std::string fail(const std::string& what) const {
        return source_ + ": malformed .npy header at offset " + std::to_string(pos_) + ": " + what;
    }
    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    }
    void expect(char c) {
        require(peek() == c, fail(std::string("expected '") + c + "'"));
        ++pos_;
    }
    std::string string_literal() {
        const char quote = peek();
        require(quote == '\'' || quote == '"', fail("expected a quoted string"));
        const size_t end = text_.find(quote, pos_ + 1);
        require(end != std::string::npos, fail("unterminated string"));
        std::string value = text_.substr(pos_ + 1, end - pos_ - 1);
        require(value.find('\\') == std::string::npos, fail("escape sequences are not supported"));
        pos_ = end + 1;
        return value;
    }
    bool boolean() {
        if (text_.compare(pos_, 4, "True") == 0) {
            pos_ += 4;
            return true;
        }
        if (text_.compare(pos_, 5, "False") == 0) {
            pos_ += 5;
            return false;
        }
        throw Error(fail("expected True or False"));
    }
    int64_t integer() {
        require(peek() >= '0' && peek() <= '9', fail("expected a non-negative integer dimension"));
        int64_t value = 0;
        while (peek() >= '0' && peek() <= '9') {
            const int digit = peek() - '0';
            require(!__builtin_mul_overflow(value, int64_t{10}, &value) &&
                        !__builtin_add_overflow(value, int64_t{digit}, &value),
                    fail("dimension does not fit int64"));
            ++pos_;
        }
        return value;
    }
    // Python tuple syntax: "()", "(3,)", "(3, 4)", "(3, 4,)"; "(3)" is an int, not a tuple.
    Shape tuple() {
        expect('(');
        Shape shape;
        bool trailing_comma = false;
        skip_space();
        while (peek() != ')') {
            require(shape.size() < kMaxDimensions, fail("more than 64 dimensions"));
            shape.push_back(integer());
            skip_space();
            trailing_comma = peek() == ',';
            if (trailing_comma) {
                ++pos_;
                skip_space();
            } else {
                require(peek() == ')', fail("expected ',' or ')' in the shape"));
            }
        }
        ++pos_;
        require(shape.size() != 1 || trailing_comma, fail("a one-dimensional shape needs a trailing comma: (n,)"));
        return shape;
    }
};

NpyDtype dtype_from_descr(const std::string& descr, const std::string& source) {
    require(descr.size() >= 3, source + ": unsupported dtype '" + descr + "'");
    const char order = descr[0];
    const std::string kind = descr.substr(1);
    for (const DtypeInfo& d : kDtypes) {
        if (kind != std::string(d.descr).substr(1)) continue;
        if (d.item_size == 1) {
            // Byte order means nothing for one-byte items; NumPy writes '|' but reads all three.
            require(order == '|' || order == '<' || order == '>', source + ": unsupported dtype '" + descr + "'");
            return d.dtype;
        }
        require(order != '>', source + ": dtype '" + descr + "' is big endian; only little endian is supported "
                                         "(save with array.astype('<" + kind + "'))");
        require(order == '<', source + ": dtype '" + descr + "' has no explicit byte order; expected '<" + kind + "'");
        return d.dtype;
    }
    throw Error(source + ": unsupported dtype '" + descr +
                "' (supported: int8, uint8, int16, uint16, int32, int64, float32, little endian)");
}

}  // namespace

const char* npy_dtype_name(NpyDtype dtype) { return info(dtype).name; }
const char* npy_descr(NpyDtype dtype) { return info(dtype).descr; }
int npy_item_size(NpyDtype dtype) { return info(dtype).item_size; }

NpyDtype npy_dtype_for(const IntType& type) {
    validate(type);
    if (type.bits <= 8) return type.is_signed ? NpyDtype::int8 : NpyDtype::uint8;
    if (type.bits <= 16) return type.is_signed ? NpyDtype::int16 : NpyDtype::uint16;
    return NpyDtype::int32;
}

NpyArray npy_from_integers(NpyDtype dtype, const Shape& shape, const std::vector<int64_t>& values) {
    const DtypeInfo& d = info(dtype);
    require(!d.is_float, "npy: npy_from_integers needs an integer dtype");
    const int64_t bytes = checked_byte_count(shape, d.item_size, "npy");
    require(bytes / d.item_size == static_cast<int64_t>(values.size()),
            "npy: shape " + to_string(shape) + " does not hold " + std::to_string(values.size()) + " elements");
    NpyArray array{dtype, shape, std::string(static_cast<size_t>(bytes), '\0')};
    for (size_t i = 0; i < values.size(); ++i) {
        require(values[i] >= dtype_min(d) && values[i] <= dtype_max(d),
                "npy: element " + std::to_string(i) + " = " + std::to_string(values[i]) + " does not fit " + d.name);
        store_le(array.data, i * static_cast<size_t>(d.item_size), static_cast<uint64_t>(values[i]), d.item_size);
    }
    return array;
}

NpyArray npy_from_floats(const Shape& shape, const std::vector<float>& values) {
    const int64_t bytes = checked_byte_count(shape, 4, "npy");
    require(bytes / 4 == static_cast<int64_t>(values.size()),
            "npy: shape " + to_string(shape) + " does not hold " + std::to_string(values.size()) + " elements");
    NpyArray array{NpyDtype::float32, shape, std::string(static_cast<size_t>(bytes), '\0')};
    for (size_t i = 0; i < values.size(); ++i) {
        uint32_t bits = 0;
        std::memcpy(&bits, &values[i], sizeof bits);
        store_le(array.data, 4 * i, bits, 4);
    }
    return array;
}

NpyArray npy_from_tensor(const Tensor& tensor) {
    validate(tensor, "npy");
    return npy_from_integers(npy_dtype_for(tensor.type), tensor.shape,
                             std::vector<int64_t>(tensor.data.begin(), tensor.data.end()));
}

std::vector<int64_t> npy_integers(const NpyArray& array, const std::string& what) {
    const DtypeInfo& d = info(array.dtype);
    require(!d.is_float, what + ": expected an integer array, got " + d.name);
    const auto size = static_cast<size_t>(d.item_size);
    require(array.data.size() % size == 0, what + ": data is not a whole number of elements");
    std::vector<int64_t> values(array.data.size() / size);
    for (size_t i = 0; i < values.size(); ++i) {
        const uint64_t raw = load_le(array.data, i * size, d.item_size);
        if (d.is_signed && d.item_size < 8) {
            const uint64_t sign = uint64_t{1} << (8 * d.item_size - 1);
            values[i] = static_cast<int64_t>(raw ^ sign) - static_cast<int64_t>(sign);
        } else {
            values[i] = static_cast<int64_t>(raw);
        }
    }
    return values;
}

std::vector<float> npy_floats(const NpyArray& array, const std::string& what) {
    require(array.dtype == NpyDtype::float32, what + ": expected a float32 array, got " + npy_dtype_name(array.dtype));
    std::vector<float> values(array.data.size() / 4);
    for (size_t i = 0; i < values.size(); ++i) {
        const auto bits = static_cast<uint32_t>(load_le(array.data, 4 * i, 4));
        std::memcpy(&values[i], &bits, sizeof bits);
    }
    return values;
}

Tensor tensor_from_npy(const NpyArray& array, const IntType& type, const std::string& what) {
    validate(type);
    const std::vector<int64_t> values = npy_integers(array, what);
    Tensor tensor;
    tensor.shape = array.shape;
    tensor.type = type;
    tensor.data.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        require(type.contains(values[i]), what + ": element " + std::to_string(i) + " = " + std::to_string(values[i]) +
                                              " lies outside " + type.name());
        tensor.data.push_back(static_cast<int32_t>(values[i]));
    }
    validate(tensor, what);
    return tensor;
}

std::string encode_npy(const NpyArray& array) {
    const DtypeInfo& d = info(array.dtype);
    require(checked_byte_count(array.shape, d.item_size, "npy") == static_cast<int64_t>(array.data.size()),
            "npy: data size does not match shape " + to_string(array.shape));
    std::string dict = std::string("{'descr': '") + d.descr + "', 'fortran_order': False, 'shape': (";
    for (size_t i = 0; i < array.shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(array.shape[i]);
    dict += array.shape.size() == 1 ? ",), }" : "), }";
    // Pad with spaces and end in '\n' so that the data starts on a multiple of 64 bytes.
    // Format 1.0 stores the header length in 16 bits; 2.0 (32 bits) only when that is too small.
    const auto padded_total = [&](size_t preamble) { return (preamble + dict.size() + 1 + 63) / 64 * 64; };
    const bool version2 = padded_total(kMagicBytes + 4) - (kMagicBytes + 4) > 65535;
    const size_t preamble = kMagicBytes + 2 + (version2 ? 4 : 2);
    const size_t total = padded_total(preamble);
    dict.append(total - preamble - dict.size() - 1, ' ');
    dict += '\n';

    std::string out(preamble, '\0');
    std::memcpy(out.data(), kMagic, kMagicBytes);
    out[6] = static_cast<char>(version2 ? 2 : 1);
    out[7] = 0;
    store_le(out, 8, dict.size(), version2 ? 4 : 2);
    out += dict;
    out += array.data;
    return out;
}

NpyArray decode_npy(const std::string& bytes, const std::string& source) {
    require(bytes.size() >= kMagicBytes + 2 && bytes.compare(0, kMagicBytes, kMagic) == 0,
            source + ": not a .npy file (no \\x93NUMPY magic)");
    const int major = static_cast<uint8_t>(bytes[6]);
    const int minor = static_cast<uint8_t>(bytes[7]);
    require((major == 1 || major == 2) && minor == 0, source + ": unsupported .npy format version " +
                                                          std::to_string(major) + "." + std::to_string(minor) +
                                                          " (supported: 1.0, 2.0)");
    const int length_bytes = major == 1 ? 2 : 4;
    require(bytes.size() >= kMagicBytes + 2 + static_cast<size_t>(length_bytes), source + ": truncated .npy header");
    const uint64_t header_length = load_le(bytes, 8, length_bytes);
    const uint64_t header_start = kMagicBytes + 2 + static_cast<uint64_t>(length_bytes);
    require(header_length <= bytes.size() - header_start,
            source + ": truncated .npy header (declares " + std::to_string(header_length) + " bytes, file has " +
                std::to_string(bytes.size() - header_start) + " after the preamble)");
    const std::string text = bytes.substr(header_start, header_length);
    require(!text.empty() && text.back() == '\n', source + ": malformed .npy header: it does not end in a newline");
    for (const char c : text) {
        require(static_cast<unsigned char>(c) < 0x80, source + ": malformed .npy header: non-ASCII byte");
    }
    const HeaderParser::Header header = HeaderParser(text.substr(0, text.size() - 1), source).parse();
    require(!header.fortran_order, source + ": Fortran-order arrays are not supported; save a C-order array "
                                            "(numpy.ascontiguousarray)");
    NpyArray array;
    array.dtype = dtype_from_descr(header.descr, source);
    array.shape = header.shape;
    const int64_t expected = checked_byte_count(array.shape, npy_item_size(array.dtype), source);
    const uint64_t available = bytes.size() - header_start - header_length;
    require(available == static_cast<uint64_t>(expected),
            source + ": shape " + to_string(array.shape) + " of " + npy_dtype_name(array.dtype) + " needs " +
                std::to_string(expected) + " data bytes, the file has " + std::to_string(available));
    array.data = bytes.substr(static_cast<size_t>(header_start + header_length));
    return array;
}

void write_npy(const std::string& path, const NpyArray& array) { write_file_atomically(path, encode_npy(array)); }

NpyArray read_npy(const std::string& path) {
    return decode_npy(read_file(path, ".npy file"), path);
}

}  // namespace dyadic::golden
