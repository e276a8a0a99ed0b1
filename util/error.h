#pragma once
// The one exception type of dyadic. Every user-facing failure (bad input, impossible shape,
// accumulator overflow, unsupported op, ...) is reported by throwing it with a message that
// names the problem; the command-line tool turns it into a message and a non-zero exit.
#include <stdexcept>
#include <string>

namespace dyadic {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws Error(message) when the condition is false. For checks on user data, not for bugs.
inline void require(bool condition, const std::string& message) {
    if (!condition) throw Error(message);
}

}  // namespace dyadic
