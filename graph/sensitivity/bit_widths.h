#pragma once
// The candidate bit-width list as written on the command line: "2,3,4,5,6,8". Header is C++17.
#include <string>
#include <vector>

namespace dyadic::sensitivity {

// Distinct integers in 2..8, kept in the given order. Throws Error naming the offending item for
// an empty list, a non-integer, a value outside 2..8 or a repeated value.
std::vector<int> parse_bit_widths(const std::string& text);

}  // namespace dyadic::sensitivity
