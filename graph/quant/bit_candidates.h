#pragma once
// Bit-width candidates per operand, as written on command lines: "4,8" (w4a4, w8a8) or
// "w8a8,w4a8,w8a4,w2a8" (weight bits, activation bits). One parser for every command that takes
// candidates (latency-table, ilp-problem, explore). Header is C++17 (sim/ includes it).
#include <string>
#include <vector>

namespace dyadic::quant {

struct BitCandidate {
    std::string label;  // "w4a8", always in this form
    int weight_bits = 8;
    int activation_bits = 8;
};

// The label of w-bit weights and a-bit activations: (4, 8) -> "w4a8".
std::string bit_candidate_label(int weight_bits, int activation_bits);

// "4,8" -> w4a4, w8a8; "w4a8,w8a8" -> as written. Widths 2..8. Throws Error naming the item for
// anything else, a repeated candidate or an empty list.
std::vector<BitCandidate> parse_bit_candidates(const std::string& list);

}  // namespace dyadic::quant
