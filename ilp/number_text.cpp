#include "ilp/number_text.h"

#include <charconv>

namespace dyadic::ilp {

std::string number_text(double value) {
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

}  // namespace dyadic::ilp
