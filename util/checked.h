#pragma once
// Checked arithmetic on sizes, shapes and counts that come from outside (model files, ONNX
// graphs, configurations, command lines). Every such product, sum or narrowing goes through
// these helpers, so a forged value is refused with a message naming it instead of wrapping
// around (undefined behaviour for signed types) into a small or negative size.
// Header is C++17 (the SystemC model includes it).
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "util/error.h"

namespace dyadic {

namespace checked_detail {
[[noreturn]] inline void overflow(std::string_view what, const char* op, const std::string& a, const std::string& b) {
    throw Error(std::string(what) + ": " + a + " " + op + " " + b + " overflows 64-bit integers");
}
}  // namespace checked_detail

// a * b, or Error naming `what` when the product does not fit in int64.
inline int64_t checked_mul(int64_t a, int64_t b, std::string_view what) {
    int64_t result = 0;
    if (__builtin_mul_overflow(a, b, &result)) {
        checked_detail::overflow(what, "*", std::to_string(a), std::to_string(b));
    }
    return result;
}

// a + b, or Error naming `what` when the sum does not fit in int64.
inline int64_t checked_add(int64_t a, int64_t b, std::string_view what) {
    int64_t result = 0;
    if (__builtin_add_overflow(a, b, &result)) {
        checked_detail::overflow(what, "+", std::to_string(a), std::to_string(b));
    }
    return result;
}

// `value` as the integer type To, or Error naming `what` and To's range when it does not fit.
template <typename To, typename From>
To checked_narrow(From value, std::string_view what) {
    static_assert(std::is_integral_v<To> && std::is_integral_v<From>, "integers only");
    To result{};
    if (__builtin_add_overflow(value, From{0}, &result)) {
        throw Error(std::string(what) + " = " + std::to_string(value) + " lies outside " +
                    std::to_string(std::numeric_limits<To>::min()) + ".." +
                    std::to_string(std::numeric_limits<To>::max()));
    }
    return result;
}

// `value` when it lies in [lo, hi], else Error "what must lie in lo..hi, got value".
inline int64_t checked_range(int64_t value, int64_t lo, int64_t hi, std::string_view what) {
    if (value < lo || value > hi) {
        throw Error(std::string(what) + " must lie in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                    std::to_string(value));
    }
    return value;
}

}  // namespace dyadic
